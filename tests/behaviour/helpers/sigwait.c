/* sigwait: behaviour-test helper that reports the first signal it gets
 * through its exit status. It blocks all signals, announces readiness,
 * waits for one and exits with that signal's number (so the init's exit
 * code names the signal the child saw first), or 124 on timeout.
 *
 * usage: sigwait [-r READYFILE] [-t SECONDS]
 *   -r READYFILE  once all signals are blocked, write our pid to READYFILE
 *   -t SECONDS    give up after this long (default 10) */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec limit = { 10, 0 };
	const char *ready = NULL;
	sigset_t all;
	int c, sig;

	while ((c = getopt(argc, argv, "r:t:")) != -1) {
		switch (c) {
		case 'r': ready = optarg; break;
		case 't': limit.tv_sec = atol(optarg); break;
		default:
			fprintf(stderr, "usage: sigwait [-r READYFILE] [-t SECONDS]\n");
			return 2;
		}
	}
	/* Every bit: musl's sigfillset leaves out 32-34, and a musl build
	 * of this helper must still catch 34 (glibc's SIGRTMIN). */
	memset(&all, 0xff, sizeof(all));
	if (sigprocmask(SIG_SETMASK, &all, NULL) < 0) {
		perror("sigwait: sigprocmask");
		return 2;
	}
	if (ready) {
		char tmp[4096];
		FILE *f;

		snprintf(tmp, sizeof(tmp), "%s.tmp", ready);
		f = fopen(tmp, "w");
		if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f) != 0 ||
		    rename(tmp, ready) < 0) {
			perror("sigwait: ready file");
			return 2;
		}
	}
	do {
		sig = sigtimedwait(&all, NULL, &limit);
	} while (sig < 0 && errno == EINTR);
	if (sig < 0)
		return 124;
	printf("%d\n", sig);
	return sig;
}
