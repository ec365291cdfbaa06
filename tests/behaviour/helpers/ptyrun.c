/* ptyrun: behaviour-test helper that runs a command on a fresh
 * pseudo-terminal as the foreground job of a tiny job-control "shell", and
 * plays a script of actions against it (type keys, expect output, wait for
 * the job to stop, fg it, wait for its exit), printing one trace line each.
 *
 * usage: ptyrun [-T MS] [-n] ACTION... -- COMMAND [ARG...]
 *   -T MS     bound of every wait below (default 5000)
 *   -n        turn the terminal's echo off before starting COMMAND
 * actions, run in order:
 *   -s BYTES  type BYTES (escapes: \n \r \t \\ \NNN octal; \003 is Ctrl-C,
 *             \032 Ctrl-Z, \034 Ctrl-\, \004 Ctrl-D)
 *   -e TEXT   wait until the output since the last match contains TEXT
 *   -p MS     pause
 *   -z        wait until the job's leader (COMMAND) is stopped, then take
 *             the terminal back as a shell does: prints "stopped SIG"
 *   -f        fg: give the terminal to the job's group, SIGCONT it
 *   -c CMD    run sh -c CMD (its output goes to ours; $PTYRUN_JOB is the
 *             job's pid); fail if it fails
 *   -m        print the terminal's state: "tty echo=on|off owner=UID:GID mode=OCTAL"
 *   -x        wait for COMMAND to exit: prints "exit N" or "signal N"
 * On the first failed action it prints "FAIL ...", the output so far, kills
 * every process of the terminal's session and exits 1. Exit 0: all passed. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <stdbool.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

struct action {
	char op;
	const char *arg;
};

static int master = -1, slave = -1;
static pid_t job;
static int timeout_ms = 5000;
static char out[1 << 16];
static size_t out_len, out_mark;
static bool job_exited;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read what the terminal has for us, waiting at most ms. Keeping the
 * output drained also keeps the job from blocking on a full terminal. */
static void pump(int ms)
{
	struct pollfd p = { .fd = master, .events = POLLIN };
	char buf[4096];
	ssize_t n;

	if (poll(&p, 1, ms) <= 0 || !(p.revents & POLLIN))
		return;
	n = read(master, buf, sizeof(buf));
	if (n <= 0)
		return;
	if ((size_t)n > sizeof(out) - 1 - out_len)
		n = (ssize_t)(sizeof(out) - 1 - out_len);
	memcpy(out + out_len, buf, (size_t)n);
	out_len += (size_t)n;
	out[out_len] = '\0';
}

static void print_escaped(const char *label, const char *s, size_t len)
{
	printf("%s: ", label);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\\')
			printf("\\\\");
		else if (isprint(c))
			putchar(c);
		else
			printf("\\%03o", c);
	}
	putchar('\n');
}

static size_t unescape(const char *s, char *buf, size_t len)
{
	size_t n = 0;

	while (*s && n < len) {
		if (*s != '\\' || !s[1]) {
			buf[n++] = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'n': buf[n++] = '\n'; s++; break;
		case 'r': buf[n++] = '\r'; s++; break;
		case 't': buf[n++] = '\t'; s++; break;
		default:
			if (*s >= '0' && *s <= '7') {
				int v = 0;

				for (int k = 0; k < 3 && *s >= '0' && *s <= '7'; k++)
					v = v * 8 + (*s++ - '0');
				buf[n++] = (char)v;
			} else {
				buf[n++] = *s++;
			}
		}
	}
	return n;
}

/* Every process of the terminal's session (the job, and whatever it
 * started in other groups or namespaces) goes, so nothing outlives us. */
static void kill_session(void)
{
	pid_t sid = getsid(0);
	DIR *d = opendir("/proc");
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char path[64], line[512], *p;
		pid_t pid = (pid_t)atoi(de->d_name);
		FILE *f;
		int pgrp, session;

		if (pid <= 0 || pid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
		f = fopen(path, "r");
		if (!f)
			continue;
		p = fgets(line, sizeof(line), f) ? strrchr(line, ')') : NULL;
		fclose(f);
		if (p && sscanf(p + 2, "%*c %*d %d %d", &pgrp, &session) == 2 && session == sid)
			kill(pid, SIGKILL);
	}
	closedir(d);
}

static int fail(const char *what, const char *arg)
{
	printf("FAIL %s%s%s\n", what, arg ? " " : "", arg ? arg : "");
	print_escaped("output", out, out_len);
	fflush(stdout);
	kill_session();
	if (!job_exited)
		(void)waitpid(job, NULL, 0);
	return 1;
}

static int do_expect(const char *text)
{
	long long end = now_ms() + timeout_ms;
	char *hit;

	for (;;) {
		hit = strstr(out + out_mark, text);
		if (hit) {
			out_mark = (size_t)(hit - out) + strlen(text);
			printf("ok expect %s\n", text);
			return 0;
		}
		if (now_ms() >= end)
			return fail("expect", text);
		pump(50);
	}
}

/* Wait for the job's leader to change state (stop or exit). */
static int wait_job(int flags, int *status)
{
	long long end = now_ms() + timeout_ms;

	for (;;) {
		pid_t r = waitpid(job, status, WNOHANG | flags);

		if (r == job)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
		if (now_ms() >= end)
			return -1;
		pump(20);
	}
}

static int do_stop(void)
{
	int st;

	if (wait_job(WUNTRACED, &st) < 0)
		return fail("wait for the job to stop", NULL);
	if (!WIFSTOPPED(st)) {
		job_exited = true;
		return fail("job ended instead of stopping", NULL);
	}
	printf("stopped %d\n", WSTOPSIG(st));
	if (tcsetpgrp(slave, getpgrp()) < 0)
		return fail("take the terminal back", strerror(errno));
	return 0;
}

static int do_fg(void)
{
	if (tcsetpgrp(slave, job) < 0)
		return fail("give the terminal to the job", strerror(errno));
	if (kill(-job, SIGCONT) < 0)
		return fail("continue the job", strerror(errno));
	printf("continued\n");
	return 0;
}

static int do_exit(void)
{
	int st;

	if (wait_job(0, &st) < 0)
		return fail("wait for the job to exit", NULL);
	job_exited = true;
	if (WIFEXITED(st))
		printf("exit %d\n", WEXITSTATUS(st));
	else
		printf("signal %d\n", WTERMSIG(st));
	(void)tcsetpgrp(slave, getpgrp());
	return 0;
}

static int do_modes(void)
{
	struct termios t;
	struct stat st;

	if (tcgetattr(slave, &t) < 0 || fstat(slave, &st) < 0)
		return fail("read the terminal's state", strerror(errno));
	printf("tty echo=%s owner=%u:%u mode=%04o\n", t.c_lflag & ECHO ? "on" : "off",
	       (unsigned)st.st_uid, (unsigned)st.st_gid, (unsigned)(st.st_mode & 07777));
	return 0;
}

static int run_action(const struct action *a)
{
	char buf[512];
	size_t n;
	int r;

	fflush(stdout);
	switch (a->op) {
	case 's':
		n = unescape(a->arg, buf, sizeof(buf));
		if (write(master, buf, n) != (ssize_t)n)
			return fail("type", a->arg);
		printf("ok type %s\n", a->arg);
		return 0;
	case 'e':
		return do_expect(a->arg);
	case 'p':
		for (long long end = now_ms() + atoi(a->arg); now_ms() < end;)
			pump(20);
		return 0;
	case 'z':
		return do_stop();
	case 'f':
		return do_fg();
	case 'c':
		r = system(a->arg);
		if (r != 0)
			return fail("command", a->arg);
		return 0;
	case 'm':
		return do_modes();
	case 'x':
		return do_exit();
	}
	return fail("unknown action", NULL);
}

static int open_terminal(bool no_echo)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	struct termios t;
	char *name;

	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 || !(name = ptsname(master)))
		return -1;
	/* A session leader without a terminal gets this one as its own. */
	if (setsid() < 0)
		return -1;
	slave = open(name, O_RDWR | O_CLOEXEC);
	if (slave < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
		return -1;
	(void)ioctl(slave, TIOCSWINSZ, &ws);
	if (no_echo) {
		if (tcgetattr(slave, &t) < 0)
			return -1;
		t.c_lflag &= ~(tcflag_t)ECHO;
		if (tcsetattr(slave, TCSANOW, &t) < 0)
			return -1;
	}
	return 0;
}

static int shell(struct action *acts, int nacts, char **argv, bool no_echo)
{
	char pidbuf[16];

	if (open_terminal(no_echo) < 0) {
		perror("ptyrun: open a terminal");
		return 2;
	}
	/* As a job-control shell: never stopped for using the terminal. */
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	job = fork();
	if (job < 0) {
		perror("ptyrun: fork");
		return 2;
	}
	if (job == 0) {
		setpgid(0, 0);
		tcsetpgrp(slave, getpid());
		signal(SIGTTOU, SIG_DFL);
		signal(SIGTTIN, SIG_DFL);
		signal(SIGTSTP, SIG_DFL);
		dup2(slave, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		execvp(argv[0], argv);
		perror("ptyrun: exec");
		_exit(127);
	}
	/* Both sides, as shells do, so neither order races. */
	setpgid(job, job);
	tcsetpgrp(slave, job);
	snprintf(pidbuf, sizeof(pidbuf), "%d", (int)job);
	setenv("PTYRUN_JOB", pidbuf, 1);
	for (int i = 0; i < nacts; i++)
		if (run_action(&acts[i]))
			return 1;
	print_escaped("output", out, out_len);
	fflush(stdout);
	kill_session();
	if (!job_exited)
		(void)waitpid(job, NULL, 0);
	return 0;
}

int main(int argc, char **argv)
{
	static struct action acts[64];
	int nacts = 0, c, st;
	bool no_echo = false;
	pid_t p;

	while ((c = getopt(argc, argv, "+T:ns:e:p:zfc:mx")) != -1) {
		if (c == 'T') {
			timeout_ms = atoi(optarg);
		} else if (c == 'n') {
			no_echo = true;
		} else if (c == '?' || nacts == 64) {
			fprintf(stderr, "usage: ptyrun [-T MS] [-n] ACTION... -- COMMAND [ARG...]\n");
			return 2;
		} else {
			acts[nacts++] = (struct action){ (char)c, optarg };
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "ptyrun: no command\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* setsid needs a process that leads no group: fork once. */
	p = fork();
	if (p < 0) {
		perror("ptyrun: fork");
		return 2;
	}
	if (p == 0)
		_exit(shell(acts, nacts, argv + optind, no_echo));
	while (waitpid(p, &st, 0) < 0)
		if (errno != EINTR)
			return 2;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 2;
}
