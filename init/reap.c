/* reap: collect every zombie on each wake. SIGCHLD coalesces, so one
 * signal may stand for many children: always loop until nothing is left. */
#include "vigil.h"

#include "log.h"
#include "signals.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int status_exit_code(int status, const bool remap[256])
{
	int code;

	if (WIFEXITED(status))
		code = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		code = 128 + WTERMSIG(status);
	else
		return EXIT_INTERNAL;
	/* The remap applies to the code vigil would exit with, 128+N
	 * included, as tini's -e does: `-e 143` makes a SIGTERM death 0. */
	return remap && remap[code] ? 0 : code;
}

/* The zombie's name is only readable before waitpid frees it. */
static void read_comm(pid_t pid, char *buf, size_t len)
{
	char path[32];
	ssize_t n;
	int fd;

	snprintf(buf, len, "?");
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0) {
		snprintf(buf, len, "?");
		return;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

static void trace_reap(pid_t pid, int status, bool is_main, const char *comm)
{
	char sig[16];
	struct trace_field f[5] = {
		{ "pid", NULL, pid },
		{ "comm", comm, 0 },
		{ "main", is_main ? "yes" : "no", 0 },
	};
	int n = 3;

	if (WIFSIGNALED(status)) {
		f[n++] = (struct trace_field){ "signal", sig_name(WTERMSIG(status), sig, sizeof(sig)), 0 };
	} else {
		f[n++] = (struct trace_field){ "exit_code", NULL, WEXITSTATUS(status) };
	}
	trace_event("reaped", f, n);
}

static pid_t peek_zombie(void)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
		return -1;
	return si.si_pid;
}

/* dumb-init's setsid mode: whatever the main child left in its group
 * gets SIGTERM (rewritten like any forwarded one). Sent while the child is
 * still a zombie, whose pid keeps the group id from naming anyone else;
 * vigil then exits with the child's status without waiting for them. */
static void term_child_group(struct vigil *v)
{
	forward_signal(v, SIGTERM);
}

unsigned long reap_all(struct vigil *v)
{
	unsigned long n = 0;
	bool none_left = false;

	for (;;) {
		char comm[32] = "?";
		int status;
		pid_t pid, which = -1;
		int err;

		if (log_trace || v->opt->warn_reap || v->opt->term_group_on_exit) {
			pid_t z = peek_zombie();

			if (z > 0) {
				read_comm(z, comm, sizeof(comm));
				which = z;
				if (z == v->child && v->opt->term_group_on_exit)
					term_child_group(v);
			}
		}
		/* Stops and continues of the main child matter to job control. */
		pid = waitpid(which, &status, WNOHANG | WUNTRACED | WCONTINUED);
		err = pid < 0 ? errno : 0;
		if (err == EINTR)
			continue;
		if (err && err != ECHILD)
			log_errno(err, "waitpid");
		if (pid <= 0) {
			none_left = err == ECHILD;
			break;
		}
		if (WIFSTOPPED(status) || WIFCONTINUED(status)) {
			if (pid == v->child)
				jobctl_child_changed(v, status);
			continue;
		}
		n++;
		v->reaped++;
		if (log_trace)
			trace_reap(pid, status, pid == v->child, comm);
		if (v->ext && v->ext->on_reaped && v->ext->on_reaped(v, pid, status))
			continue;
		if (pid == v->child) {
			/* From here on the pid may be reused: never signal it again. */
			v->child = 0;
			v->child_status = status;
			if (v->ext && v->ext->on_child_exit) {
				v->ext->on_child_exit(v);
			} else {
				v->exit_code = status_exit_code(status, v->opt->remap_exit);
				v->stop = true;
			}
		} else if (v->opt->warn_reap) {
			warn_msg("reaped zombie process %d (%s)", (int)pid, comm);
		}
	}
	if (v->ext && v->ext->after_reap)
		v->ext->after_reap(v, none_left);
	return n;
}
