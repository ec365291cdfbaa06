/* sigrecv: behaviour-test helper that records every signal it receives.
 * It blocks all signals, announces readiness, then takes them one by one
 * with sigwaitinfo and writes one line "NUM NAME" per signal, so a test can
 * check exactly which signals reached it and in what order.
 *
 * usage: sigrecv [-o FILE] [-r READYFILE] [-x SIG] [-n COUNT] [-E CODE]
 *   -o FILE       append the lines to FILE (default: stdout)
 *   -r READYFILE  once all signals are blocked, write our pid to READYFILE
 *                 (atomically, through a rename)
 *   -x SIG        exit after receiving SIG (number or name, e.g. USR2)
 *   -n COUNT      exit after COUNT signals
 *   -E CODE       exit status when leaving through -x or -n (default 0) */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Our own table: sigabbrev_np is glibc-only and the helpers are also
 * built with musl for the static core's test run. */
static const char *const names[32] = {
	NULL, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
	"USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT",
	"STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF",
	"WINCH", "POLL", "PWR", "SYS",
};

/* Fixed, as vigil's: glibc's numbering, whatever libc built us. */
#define RT_LOW 34
#define RT_HIGH 64

static const char *abbrev(int sig)
{
	return sig > 0 && sig < 32 ? names[sig] : NULL;
}

static int parse_sig(const char *s)
{
	char *end;
	long v;

	if (*s >= '0' && *s <= '9') {
		v = strtol(s, &end, 10);
		return *end || v < 1 || v > RT_HIGH ? -1 : (int)v;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	if (strncasecmp(s, "RTMIN", 5) == 0 || strncasecmp(s, "RTMAX", 5) == 0) {
		int base = strncasecmp(s, "RTMIN", 5) == 0 ? RT_LOW : RT_HIGH;

		v = s[5] ? strtol(s + 5, &end, 10) : 0;
		if (s[5] && *end)
			return -1;
		return base + (int)v >= RT_LOW && base + (int)v <= RT_HIGH ? base + (int)v : -1;
	}
	for (int i = 1; i < RT_LOW; i++) {
		const char *n = abbrev(i);

		if (n && strcasecmp(n, s) == 0)
			return i;
	}
	return -1;
}

static void sig_label(int sig, char *buf, size_t len)
{
	const char *n = sig < RT_LOW ? abbrev(sig) : NULL;

	if (n)
		snprintf(buf, len, "%s", n);
	else if (sig == RT_LOW)
		snprintf(buf, len, "RTMIN");
	else if (sig == RT_HIGH)
		snprintf(buf, len, "RTMAX");
	else if (sig > RT_LOW && sig < RT_HIGH)
		snprintf(buf, len, "RTMIN+%d", sig - RT_LOW);
	else
		snprintf(buf, len, "SIG%d", sig);
}

static void announce(const char *path)
{
	char tmp[4096], pid[32];
	int fd, n;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, pid, (size_t)n) != n || close(fd) < 0 || rename(tmp, path) < 0) {
		perror("sigrecv: ready file");
		exit(2);
	}
}

int main(int argc, char **argv)
{
	const char *out = NULL, *ready = NULL;
	long count = -1, seen = 0;
	int exit_sig = 0, code = 0, fd = STDOUT_FILENO, c;
	sigset_t all;

	while ((c = getopt(argc, argv, "o:r:x:n:E:")) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'r': ready = optarg; break;
		case 'x': exit_sig = parse_sig(optarg); break;
		case 'n': count = atol(optarg); break;
		case 'E': code = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: sigrecv [-o FILE] [-r READYFILE] [-x SIG] [-n COUNT] [-E CODE]\n");
			return 2;
		}
	}
	if (exit_sig < 0) {
		fprintf(stderr, "sigrecv: bad -x signal\n");
		return 2;
	}
	/* Every bit: musl's sigfillset leaves out 32-34, and a musl build
	 * of this helper must still catch 34 (glibc's SIGRTMIN). */
	memset(&all, 0xff, sizeof(all));
	if (sigprocmask(SIG_SETMASK, &all, NULL) < 0) {
		perror("sigrecv: sigprocmask");
		return 2;
	}
	if (out) {
		fd = open(out, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (fd < 0) {
			perror("sigrecv: open output");
			return 2;
		}
	}
	if (ready)
		announce(ready);
	for (;;) {
		siginfo_t si;
		char name[32], line[64];
		int sig = sigwaitinfo(&all, &si), n;

		if (sig < 0) {
			if (errno == EINTR)
				continue;
			perror("sigrecv: sigwaitinfo");
			return 2;
		}
		sig_label(sig, name, sizeof(name));
		n = snprintf(line, sizeof(line), "%d %s\n", sig, name);
		if (write(fd, line, (size_t)n) != n) {
			perror("sigrecv: write");
			return 2;
		}
		seen++;
		if (sig == exit_sig || seen == count)
			return code;
	}
}
