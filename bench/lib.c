/* lib: shared pieces of the bench drivers (see lib.h). Every wait here has
 * a timeout, so a stuck init costs the run a few seconds, never the whole
 * run; every failed syscall ends the driver with "bench: <what>: <why>". */
#define _GNU_SOURCE
#include "lib.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void die(const char *what)
{
	fprintf(stderr, "bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

void die_msg(const char *fmt, ...)
{
	va_list ap;

	fputs("bench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* "label=/usr/bin/tini -g" -> label and argv split on spaces (bench/run
 * controls these strings, so paths with spaces are simply refused). */
static void parse_one(char *arg, struct init_spec *s)
{
	char *eq = strchr(arg, '=');
	char *save = NULL;
	char *tok;

	if (!eq || eq == arg)
		die_msg("init '%s': expected label=command", arg);
	*eq = '\0';
	s->label = arg;
	s->argc = 0;
	for (tok = strtok_r(eq + 1, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (s->argc == MAX_ARGS - 1)
			die_msg("init '%s': too many words", arg);
		s->argv[s->argc++] = tok;
	}
	if (s->argc == 0)
		die_msg("init '%s': empty command", arg);
	s->argv[s->argc] = NULL;
}

int parse_inits(int argc, char **argv, struct init_spec *specs)
{
	int i;

	if (argc > MAX_INITS)
		die_msg("at most %d inits", MAX_INITS);
	for (i = 0; i < argc; i++)
		parse_one(argv[i], &specs[i]);
	return argc;
}

/* INIT [its options] -- CHILD...: every init here takes "--" the same way. */
int build_argv(char **out, size_t cap, const struct init_spec *init,
	       char *const child[])
{
	size_t n = 0;
	int i;

	for (i = 0; i < init->argc && n < cap - 1; i++)
		out[n++] = init->argv[i];
	if (n < cap - 1)
		out[n++] = "--";
	for (i = 0; child[i] && n < cap - 1; i++)
		out[n++] = child[i];
	if (child[i])
		die_msg("%s: command line too long", init->label);
	out[n] = NULL;
	return (int)n;
}

struct child_args {
	char *const *argv;
	int flags;
	int in_fd;
	int out_fd;
};

static void child_fd(int fd, int target)
{
	if (fd < 0)
		return;
	/* dup2 onto itself would keep O_CLOEXEC; clear it by hand then. */
	if (fd == target ? fcntl(fd, F_SETFD, 0) < 0 : dup2(fd, target) < 0)
		die("child: dup2");
}

/* As a container runtime does: the init (and so its children) in the
 * cgroup bench/run made, named by BENCH_CGROUP. Inside a cpu cgroup the
 * kernel's autogroups do not apply, so a child that calls setsid gets no
 * scheduling share of its own. */
static void join_cgroup(void)
{
	const char *dir = getenv("BENCH_CGROUP");
	char path[512];
	int fd;

	if (!dir || !*dir)
		return;
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "0", 1) != 1)
		die("child: join BENCH_CGROUP");
	close(fd);
}

/* Runs as PID 1 of the new namespace, before the init is exec'd. */
static int child_main(void *arg)
{
	const struct child_args *a = arg;

	join_cgroup();

	/* Should the driver die (timeout in bench/run), the namespace goes too. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		die("child: prctl(PR_SET_PDEATHSIG)");
	if (a->flags & NS_MOUNT_PROC) {
		/* A private /proc of the new namespace, as unshare --mount-proc:
		 * the children count zombies in it. */
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			die("child: make / private");
		if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
			die("child: mount /proc");
	}
	child_fd(a->in_fd, STDIN_FILENO);
	child_fd(a->out_fd, STDOUT_FILENO);
	execv(a->argv[0], a->argv);
	fprintf(stderr, "bench: exec %s: %s\n", a->argv[0], strerror(errno));
	_exit(127);
}

static void make_pipe(int fds[2])
{
	if (pipe2(fds, O_CLOEXEC) < 0)
		die("pipe2");
}

int ns_spawn(struct nsproc *p, char *const argv[], int flags)
{
	/* Without CLONE_VM the child runs on its own copy of this stack. */
	static char stack[64 * 1024] __attribute__((aligned(16)));
	struct child_args a = { argv, flags, -1, -1 };
	int in[2] = { -1, -1 }, out[2] = { -1, -1 };
	int cflags = CLONE_NEWPID | CLONE_PIDFD | SIGCHLD;

	if (flags & NS_PIPE_IN)
		make_pipe(in);
	if (flags & NS_PIPE_OUT)
		make_pipe(out);
	if (flags & NS_MOUNT_PROC)
		cflags |= CLONE_NEWNS;
	a.in_fd = in[0];
	a.out_fd = out[1];
	p->pid = clone(child_main, stack + sizeof(stack), cflags, &a, &p->pidfd);
	if (p->pid < 0)
		die("clone(CLONE_NEWPID)");
	if (in[0] >= 0)
		close(in[0]);
	if (out[1] >= 0)
		close(out[1]);
	p->to_child = in[1];
	p->from_child = out[0];
	return 0;
}

/* 0 and the wait status when the init exited within timeout_ms, else
 * -ETIMEDOUT and the init is still running. */
int ns_wait(struct nsproc *p, int timeout_ms, int *status)
{
	struct pollfd pfd = { .fd = p->pidfd, .events = POLLIN };
	int r;

	do
		r = poll(&pfd, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		die("poll(pidfd)");
	if (r == 0)
		return -ETIMEDOUT;
	if (waitpid(p->pid, status, 0) < 0)
		die("waitpid(init)");
	close(p->pidfd);
	p->pidfd = -1;
	return 0;
}

/* SIGKILL to PID 1 takes the whole namespace down with it. */
void ns_kill(struct nsproc *p)
{
	int status;

	if (p->to_child >= 0)
		close(p->to_child);
	if (p->from_child >= 0)
		close(p->from_child);
	p->to_child = p->from_child = -1;
	if (p->pidfd < 0)
		return;
	if (kill(p->pid, SIGKILL) < 0 && errno != ESRCH)
		die("kill(init, SIGKILL)");
	if (ns_wait(p, 5000, &status) < 0)
		die_msg("init %d survived SIGKILL for 5 s", (int)p->pid);
}

/* 0 when all len bytes came in time, -ETIMEDOUT or -EPIPE (EOF) otherwise. */
int read_timeout(int fd, void *buf, size_t len, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int64_t deadline = now_ns() + (int64_t)timeout_ms * 1000000;
	char *b = buf;

	while (len > 0) {
		int left = (int)((deadline - now_ns()) / 1000000);
		ssize_t n;
		int r;

		r = left > 0 ? poll(&pfd, 1, left) : 0;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die("poll(pipe)");
		if (r == 0)
			return -ETIMEDOUT;
		n = read(fd, b, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("read(pipe)");
		if (n == 0)
			return -EPIPE;
		b += n;
		len -= (size_t)n;
	}
	return 0;
}

void write_all(int fd, const void *buf, size_t len)
{
	const char *b = buf;

	while (len > 0) {
		ssize_t n = write(fd, b, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("write(pipe)");
		b += n;
		len -= (size_t)n;
	}
}

int64_t now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		die("clock_gettime");
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0)
		if (errno != EINTR)
			die("nanosleep");
}

/* utime + stime of pid, fields 14 and 15 of /proc/PID/stat, in clock ticks.
 * Parsing starts after the last ')' since the command name may hold any. */
long proc_cpu_ticks(pid_t pid)
{
	char path[64], buf[1024];
	unsigned long ut, st;
	char *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		die(path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
			 &ut, &st) != 2)
		die_msg("%s: unexpected format", path);
	return (long)(ut + st);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void sort_doubles(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
}

/* Linear interpolation between closest ranks; p in [0, 100]. */
double percentile(const double *sorted, size_t n, double p)
{
	double rank, frac;
	size_t lo;

	if (n == 0)
		return NAN;
	rank = p / 100.0 * (double)(n - 1);
	lo = (size_t)rank;
	frac = rank - (double)lo;
	if (lo + 1 >= n)
		return sorted[n - 1];
	return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

/* One line per cell: metric TAB label TAB number (or "-") TAB shown text.
 * bench/run builds the table from these and ranks on the number. */
void result(const char *metric, const char *label, double value,
	    const char *fmt, ...)
{
	va_list ap;

	if (isnan(value))
		printf("%s\t%s\t-\t", metric, label);
	else
		printf("%s\t%s\t%.6g\t", metric, label, value);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}
