/* child: turn the options into a spawn configuration, handle the terminal
 * hand-over, and report a failed start in one line. */
#include "vigil.h"

#include "log.h"
#include "parse.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

/* A session leader giving up its terminal makes the kernel send SIGHUP and
 * SIGCONT to the foreground group, which is still ours: swallow exactly
 * those kernel-sent ones so they are not forwarded to the child. */
static void drain_tty_signals(void)
{
	static const struct timespec zero = { 0, 0 };
	sigset_t set;
	siginfo_t si;

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCONT);
	while (sigtimedwait(&set, &si, &zero) > 0) {
		if (si.si_code != SI_KERNEL)
			debug_msg("dropped user signal %d while detaching from the terminal", si.si_signo);
	}
}

static void detach_tty_for_setsid(void)
{
	if (!isatty(STDIN_FILENO) || getsid(0) != getpid() || tcgetsid(STDIN_FILENO) != getpid())
		return;
	if (ioctl(STDIN_FILENO, TIOCNOTTY) < 0) {
		log_errno(errno, "detach from controlling terminal (TIOCNOTTY)");
		return;
	}
	drain_tty_signals();
}

/* A PID 1 sitting in a bind-mounted directory keeps the mount busy, so
 * once the first child has inherited the directory vigil moves to "/".
 * Restarted children go back by path: an O_PATH fd to the directory
 * would pin the mount exactly as the working directory does. */
void child_leave_cwd(struct vigil *v)
{
	if (v->cwd_left)
		return;
	/* Only a supervised child is ever restarted: the core needs no path. */
	if (!v->opt->sup.enabled) {
		if (chdir("/") < 0)
			log_errno(errno, "change directory to /");
		else
			v->cwd_left = true;
		return;
	}
	/* The raw call: libc's getcwd brings malloc into the static core. */
	if (syscall(SYS_getcwd, v->cwd, sizeof(v->cwd)) < 0) {
		/* Without its path a restart could not go back: stay. */
		debug_msg("staying in the working directory: cannot read its path: %s", strerror(errno));
		return;
	}
	if (chdir("/") < 0) {
		log_errno(errno, "change directory to /");
		return;
	}
	v->cwd_left = true;
}

/* Socket activation (systemd, podman with catatonit): LISTEN_PID names the
 * process the inherited fds 3.. are for. When it names vigil, they are
 * the child's, so the child gets its own pid there (written after fork
 * into buf, prepared here). Any other value is left alone, and vigil
 * never closes or marks those fds close-on-exec. */
bool child_listen_pid_is_ours(const char *value)
{
	unsigned long pid;

	return parse_uint_max(value, ULONG_MAX, &pid) == 0 && pid == (unsigned long)getpid();
}

static void prepare_listen_pid(struct spawn_cfg *cfg, char *buf)
{
	size_t plen = sizeof(SPAWN_LISTEN_PID_PREFIX) - 1;

	/* getenv's own pass, but keeping the entry's place in environ. */
	for (char **env = environ; *env; env++) {
		if (**env != 'L' || (*env)[1] != 'I' || strncmp(*env, SPAWN_LISTEN_PID_PREFIX, plen) != 0)
			continue;
		if (!child_listen_pid_is_ours(*env + plen))
			return;
		memcpy(buf, SPAWN_LISTEN_PID_PREFIX, plen);
		cfg->listen_pid_slot = env;
		cfg->listen_pid = buf;
		return;
	}
}

int child_report_failure(const struct spawn_error *e)
{
	if (e->stage == STAGE_EXEC)
		log_errno(e->err, "exec %s", e->what);
	else if (e->stage == STAGE_PREFLIGHT)
		err_msg("%s", e->what);  /* carries its errno text already */
	else
		log_errno(e->err, "%s", e->what);
	return spawn_error_exit_code(e);
}

int child_start(struct vigil *v, spawn_hook hook, void *hook_ctx, struct spawn_error *e)
{
	const struct options *o = v->opt;
	struct spawn_cfg cfg = {
		.argv = o->argv,
		/* Always its own group (dumb-init -c aside): -g only decides
		 * whether signals go to that group or to the child alone. */
		.new_pgrp = !o->same_pgrp,
		.new_session = o->setsid,
		.take_tty = jobctl_take_tty(v),
		.inherit_signals = o->inherit_signals,
		.cwd = v->cwd_left && v->cwd[0] ? v->cwd : NULL,
		.hook = hook,
		.hook_ctx = hook_ctx,
	};
	char listen_pid[SPAWN_LISTEN_PID_LEN];
	pid_t pid;

	prepare_listen_pid(&cfg, listen_pid);
	if (o->setsid)
		detach_tty_for_setsid();
	if (spawn_child(&cfg, &pid, e) < 0)
		return child_report_failure(e);
	v->child = pid;
	v->last_child = pid;
	v->tty_given = cfg.take_tty;
	v->child_stopped = false;
	v->stop_forwarded = false;
	v->child_ran = true;
	child_leave_cwd(v);
	if (log_trace) {
		struct trace_field f[2] = { { "pid", NULL, pid }, { "command", o->argv[0], 0 } };

		trace_event("spawned", f, 2);
	}
	return 0;
}
