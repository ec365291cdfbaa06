/* sigstate: behaviour-test helper that starts a command with chosen
 * signals ignored and blocked, through the raw system calls so that the
 * numbers a libc reserves (32-34) can be set too.
 *
 * usage: sigstate [-i N,N...] [-b N,N...] -- COMMAND [ARG...]
 *   -i  set these signal numbers to SIG_IGN
 *   -b  add these signal numbers to the blocked mask */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The kernel's layout on x86 and arm (handler first); only SIG_IGN is set. */
struct ksigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

/* Calls fn for each number of a comma-separated list; 0 or -1. */
static int each(const char *list, int (*fn)(int, uint64_t *), uint64_t *acc)
{
	char *copy = strdup(list), *tok, *save = NULL;

	if (!copy)
		return -1;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *end;
		long n = strtol(tok, &end, 10);

		if (*end || n < 1 || n > 64 || fn((int)n, acc) < 0) {
			fprintf(stderr, "sigstate: bad or refused signal '%s': %s\n", tok, strerror(errno));
			free(copy);
			return -1;
		}
	}
	free(copy);
	return 0;
}

static int ignore(int sig, uint64_t *acc)
{
	struct ksigaction sa = { .handler = SIG_IGN };

	(void)acc;
	return (int)syscall(SYS_rt_sigaction, sig, &sa, NULL, sizeof(uint64_t));
}

static int add_bit(int sig, uint64_t *acc)
{
	*acc |= 1ULL << (sig - 1);
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t block = 0;
	int c;

	while ((c = getopt(argc, argv, "+i:b:")) != -1) {
		switch (c) {
		case 'i':
			if (each(optarg, ignore, NULL) < 0)
				return 2;
			break;
		case 'b':
			if (each(optarg, add_bit, &block) < 0)
				return 2;
			break;
		default:
			fprintf(stderr, "usage: sigstate [-i N,...] [-b N,...] -- COMMAND [ARG...]\n");
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "sigstate: missing command\n");
		return 2;
	}
	if (syscall(SYS_rt_sigprocmask, SIG_BLOCK, &block, NULL, sizeof(block)) < 0) {
		perror("sigstate: rt_sigprocmask");
		return 2;
	}
	execvp(argv[optind], argv + optind);
	fprintf(stderr, "sigstate: exec %s: %s\n", argv[optind], strerror(errno));
	return 127;
}
