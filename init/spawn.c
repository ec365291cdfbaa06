/* spawn: fork and exec the command. Failures in the child (setup, the
 * supervisor's hook, exec itself) travel back to the parent (through a
 * CLOEXEC pipe, or through memory when the child borrows vigil's until it
 * execs), so it can tell "exec failed" from "the command exited 127". */
#include "spawn.h"

#include "failure.h"
#include "exec.h"
#include "log.h"
#include "signals.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static void set_error(struct spawn_error *e, int stage, int err, const char *what)
{
	e->stage = stage;
	e->err = err;
	snprintf(e->what, sizeof(e->what), "%s", what);
}

/* Async-signal-safe: our pid in decimal after the prefix, and the environ
 * entry pointed at it. Before the hook, whose setenv may copy environ. */
static void set_listen_pid(const struct spawn_cfg *cfg)
{
	char digits[20];
	unsigned long n = (unsigned long)getpid();
	size_t i = sizeof(digits), at = sizeof(SPAWN_LISTEN_PID_PREFIX) - 1;

	do {
		digits[--i] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	memcpy(cfg->listen_pid + at, digits + i, sizeof(digits) - i);
	cfg->listen_pid[at + sizeof(digits) - i] = '\0';
	*cfg->listen_pid_slot = cfg->listen_pid;
}

static int child_setup(const struct spawn_cfg *cfg, struct spawn_error *e)
{
	int r;

	if (cfg->new_session) {
		if (setsid() < 0) {
			set_error(e, STAGE_SETUP, errno, "setsid");
			return -1;
		}
		/* Best effort, as dumb-init: without a terminal there is none to take. */
		if (!cfg->no_ctty && isatty(STDIN_FILENO))
			(void)ioctl(STDIN_FILENO, TIOCSCTTY, 0);
	} else if (cfg->new_pgrp) {
		if (setpgid(0, 0) < 0) {
			set_error(e, STAGE_SETUP, errno, "setpgid");
			return -1;
		}
		/* SIGTTOU is still blocked here (inherited mask), which is what
		 * lets a background group take the terminal without stopping.
		 * Without a controlling terminal (ENOTTY, ENXIO) run without. */
		if (cfg->take_tty && tcsetpgrp(STDIN_FILENO, getpid()) < 0 && errno != ENOTTY && errno != ENXIO) {
			set_error(e, STAGE_SETUP, errno, "tcsetpgrp");
			return -1;
		}
	}
	if (cfg->listen_pid_slot)
		set_listen_pid(cfg);
	/* Before the hook: as the first child, a restarted one reaches its
	 * directory with vigil's credentials. */
	if (cfg->cwd && chdir(cfg->cwd) < 0) {
		set_error(e, STAGE_SETUP, errno, "change to the directory vigil was started in");
		return -1;
	}
	if (cfg->hook && cfg->hook(cfg->hook_ctx, e) < 0)
		return -1;
	r = sig_prepare_exec(cfg->inherit_signals);
	if (r < 0) {
		set_error(e, STAGE_SETUP, -r, "restore signal mask and dispositions");
		return -1;
	}
	return 0;
}

static void child_main(const struct spawn_cfg *cfg, int errfd)
{
	struct spawn_error e;

	memset(&e, 0, sizeof(e));
	if (child_setup(cfg, &e) == 0) {
		set_error(&e, STAGE_EXEC, -exec_command(cfg->argv), cfg->argv[0]);
	}
	/* The parent reads exactly one record; a short write cannot happen
	 * below PIPE_BUF, and if the parent is gone nobody cares. */
	(void)!write(errfd, &e, sizeof(e));
	_exit(spawn_error_exit_code(&e));
}

int spawn_read_status(int fd, struct spawn_error *e)
{
	/* The child wrote its one record, or nothing, before it ended. */
	ssize_t n = read(fd, e, sizeof(*e));

	close(fd);
	return n == (ssize_t)sizeof(*e) && e->stage != STAGE_NONE;
}

int spawn_error_exit_code(const struct spawn_error *e)
{
	return failure_info(failure_of_spawn(e))->exit_code;
}

/* Without a hook (the core's one child) the child borrows vigil's memory
 * until it execs, as posix_spawn does: vfork suspends vigil until then,
 * so the child's failure record lands in *e directly, and no pipe, no
 * copy of the page tables, no second setpgid are needed. Safe because the
 * child only makes system calls (every signal stays blocked until just
 * before exec, no handler exists) and writes nothing of vigil's but *e and
 * its own stack below this frame. Its one write to shared memory besides,
 * the LISTEN_PID environ entry, is undone here once it has exec'd. */
static int spawn_shared(const struct spawn_cfg *cfg, pid_t *pid, struct spawn_error *e)
{
	char *listen_env = cfg->listen_pid_slot ? *cfg->listen_pid_slot : NULL;
	volatile int shared = 0;
	pid_t c;
	int st;

	c = vfork();
	if (c == 0) {
		shared = 1;
		if (child_setup(cfg, e) == 0)
			set_error(e, STAGE_EXEC, -exec_command(cfg->argv), cfg->argv[0]);
		_exit(spawn_error_exit_code(e));
	}
	if (c < 0) {
		set_error(e, STAGE_SETUP, errno, "fork");
		return -1;
	}
	if (cfg->listen_pid_slot)
		*cfg->listen_pid_slot = listen_env;
	/* Where vfork is only a fork (valgrind, qemu-user), the child's record
	 * stayed in its own copy: a failed exec then shows by its exit code
	 * (126, 127) alone, without the line saying why. */
	if (!shared)
		debug_msg("vfork ran as fork here: exec errors are reported by exit code only");
	if (e->stage != STAGE_NONE) {
		/* It has _exited already: reap it here, as below. */
		while (waitpid(c, &st, 0) < 0 && errno == EINTR)
			;
		return -1;
	}
	*pid = c;
	return 0;
}

int spawn_child(const struct spawn_cfg *cfg, pid_t *pid, struct spawn_error *e)
{
	int p[2];
	pid_t c;
	ssize_t n;

	/* Not the whole record: the 240 bytes of what are only read after
	 * a failure, which fills them. */
	e->stage = STAGE_NONE;
	e->err = 0;
	e->what[0] = '\0';
	if (!cfg->hook)
		return spawn_shared(cfg, pid, e);
	if (pipe2(p, O_CLOEXEC | (cfg->exec_status ? O_NONBLOCK : 0)) < 0) {
		set_error(e, STAGE_SETUP, errno, "create exec-status pipe");
		return -1;
	}
	c = fork();
	if (c < 0) {
		set_error(e, STAGE_SETUP, errno, "fork");
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (c == 0) {
		close(p[0]);
		child_main(cfg, p[1]);
	}
	close(p[1]);
	/* Both sides set the group so neither a signal sent right after fork
	 * nor tcsetpgrp in the child races with the other. */
	if (cfg->new_pgrp && !cfg->new_session)
		(void)setpgid(c, c);
	if (cfg->exec_status) {
		*cfg->exec_status = p[0];
		*pid = c;
		return 0;
	}
	do {
		n = read(p[0], e, sizeof(*e));
	} while (n < 0 && errno == EINTR);
	close(p[0]);
	if (n == (ssize_t)sizeof(*e)) {
		int st;

		/* The child _exits right after writing; reap it here so the
		 * main loop never sees a "main child" that never ran. */
		while (waitpid(c, &st, 0) < 0 && errno == EINTR)
			;
		return -1;
	}
	if (n != 0) {
		int st;

		set_error(e, STAGE_SETUP, n < 0 ? errno : EPROTO, "read exec-status pipe");
		/* We cannot know what the child is doing: do not let it run. */
		(void)kill(c, SIGKILL);
		while (waitpid(c, &st, 0) < 0 && errno == EINTR)
			;
		return -1;
	}
	*pid = c;
	return 0;
}
