/* sigrecv: the child of the signal-latency bench. Blocks SIGUSR1, takes
 * each one with sigwaitinfo and writes its CLOCK_MONOTONIC receipt time
 * (8 bytes, ns) to stdout. usage: sigrecv MAX_SIGNALS */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void fail(const char *what)
{
	fprintf(stderr, "bench: sigrecv: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void put(const void *buf, size_t len)
{
	if (write(STDOUT_FILENO, buf, len) != (ssize_t)len)
		fail("write(stdout)");
}

int main(int argc, char **argv)
{
	long max = argc > 1 ? atol(argv[1]) : 0;
	struct timespec ts;
	sigset_t set;
	int64_t ns;
	long i;

	if (max <= 0)
		max = 100000;
	/* The driver kills the namespace when done; alarm is the backstop
	 * should it die first. */
	alarm(120);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		fail("sigprocmask");
	put("R", 1);
	for (i = 0; i < max; i++) {
		if (sigwaitinfo(&set, NULL) < 0) {
			if (errno == EINTR)
				continue;
			fail("sigwaitinfo");
		}
		if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
			fail("clock_gettime");
		ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
		put(&ns, sizeof(ns));
	}
	return 0;
}
