/* signals: name table and the set vigil takes over. The real-time range is
 * computed at run time because libcs reserve different low RT signals. */
#include "signals.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *name;
	int num;
} sig_table[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "ILL", SIGILL },
	{ "TRAP", SIGTRAP }, { "ABRT", SIGABRT }, { "IOT", SIGIOT }, { "BUS", SIGBUS },
	{ "FPE", SIGFPE }, { "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV },
	{ "USR2", SIGUSR2 }, { "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
	{ "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD }, { "CLD", SIGCHLD }, { "CONT", SIGCONT },
	{ "STOP", SIGSTOP }, { "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU },
	{ "URG", SIGURG }, { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ }, { "VTALRM", SIGVTALRM },
	{ "PROF", SIGPROF }, { "WINCH", SIGWINCH }, { "IO", SIGIO }, { "POLL", SIGPOLL },
	{ "PWR", SIGPWR }, { "SYS", SIGSYS },
};

#define NTABLE (sizeof(sig_table) / sizeof(sig_table[0]))

static int parse_uint(const char *s, int max)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v > max)
		return -EINVAL;
	return (int)v;
}

static int parse_rt(const char *s)
{
	int base, off = 0;
	const char *rest;

	if (strncasecmp(s, "RTMIN", 5) == 0) {
		base = VIGIL_RTMIN;
		rest = s + 5;
	} else if (strncasecmp(s, "RTMAX", 5) == 0) {
		base = VIGIL_RTMAX;
		rest = s + 5;
	} else {
		return -EINVAL;
	}
	if (*rest) {
		int sign = *rest == '+' ? 1 : *rest == '-' ? -1 : 0;

		if (!sign)
			return -EINVAL;
		off = parse_uint(rest + 1, 64);
		if (off < 0)
			return -EINVAL;
		off *= sign;
	}
	if (base + off < VIGIL_RTMIN || base + off > VIGIL_RTMAX)
		return -EINVAL;
	return base + off;
}

int sig_parse(const char *s, int allow_zero)
{
	int v;

	if (!s || !*s)
		return -EINVAL;
	/* Strip "SIG" first so "SIG32", which sig_name gives for an unnamed
	 * number, parses back. */
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	if (*s >= '0' && *s <= '9') {
		v = parse_uint(s, VIGIL_NSIG - 1);
		if (v < 0 || (v == 0 && !allow_zero))
			return -EINVAL;
		return v;
	}
	for (size_t i = 0; i < NTABLE; i++)
		if (strcasecmp(s, sig_table[i].name) == 0)
			return sig_table[i].num;
	return parse_rt(s);
}

const char *sig_name(int sig, char *buf, size_t len)
{
	for (size_t i = 0; i < NTABLE; i++) {
		if (sig_table[i].num == sig) {
			snprintf(buf, len, "SIG%s", sig_table[i].name);
			return buf;
		}
	}
	if (sig >= VIGIL_RTMIN && sig <= VIGIL_RTMAX) {
		int mid = (VIGIL_RTMIN + VIGIL_RTMAX) / 2;

		if (sig == VIGIL_RTMIN)
			snprintf(buf, len, "SIGRTMIN");
		else if (sig == VIGIL_RTMAX)
			snprintf(buf, len, "SIGRTMAX");
		else if (sig <= mid)
			snprintf(buf, len, "SIGRTMIN+%d", sig - VIGIL_RTMIN);
		else
			snprintf(buf, len, "SIGRTMAX-%d", VIGIL_RTMAX - sig);
		return buf;
	}
	snprintf(buf, len, "SIG%d", sig);
	return buf;
}

int sig_is_forwarded(int sig)
{
	switch (sig) {
	case SIGKILL: case SIGSTOP: case SIGCHLD:
		return 0;
	default:
		break;
	}
	if (sig >= 1 && sig < 32)
		return 1;
	return sig >= VIGIL_RTMIN && sig <= VIGIL_RTMAX;
}

int sig_is_fault(int sig)
{
	switch (sig) {
	case SIGSEGV: case SIGBUS: case SIGFPE: case SIGILL: case SIGTRAP:
	case SIGABRT: case SIGSYS:
		return 1;
	default:
		return 0;
	}
}

/* sigaddset refuses the signals a libc keeps for itself (musl: 32-34),
 * but the kernel takes any bit; vigil is single-threaded and uses none of
 * the libc features behind them, so it sets the bits itself. */
static void set_bit(sigset_t *set, int sig)
{
	unsigned long *w = (unsigned long *)set;
	unsigned bits = 8 * sizeof(unsigned long);

	w[(unsigned)(sig - 1) / bits] |= 1UL << ((unsigned)(sig - 1) % bits);
}

void sig_takeover_set(sigset_t *set)
{
	sigemptyset(set);
	for (int s = 1; s < VIGIL_NSIG; s++)
		if (sig_is_forwarded(s))
			set_bit(set, s);
	set_bit(set, SIGCHLD);
}

void sig_reset_dispositions(void)
{
	for (int s = 1; s < VIGIL_NSIG; s++)
		if (sig_is_forwarded(s) || s == SIGCHLD)
			signal(s, SIG_DFL);
}
