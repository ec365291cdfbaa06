/* standin: a stand-in PID 1 for the teardown runs where the init under test
 * is a subreaper, not PID 1. Runs the init, reaps whatever reaches it, and
 * when the init has exited writes 'I' and the time in ns to stdout, or 'N'
 * when processes of the init's tree are still alive CAP_MS later (the init
 * left them behind); then kills them all and exits.
 * usage: standin CAP_MS -- INIT... */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "standin: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void put(char tag, int64_t t)
{
	char rec[9];

	rec[0] = tag;
	memcpy(rec + 1, &t, sizeof(t));
	if (write(STDOUT_FILENO, rec, sizeof(rec)) != sizeof(rec))
		die("write(stdout)");
}

int main(int argc, char **argv)
{
	pid_t init, p;
	int64_t t, deadline;
	int cap, st;

	if (argc < 4 || strcmp(argv[2], "--") != 0 || (cap = atoi(argv[1])) < 0)
		fprintf(stderr, "usage: standin CAP_MS -- INIT...\n"), exit(2);
	init = fork();
	if (init < 0)
		die("fork");
	if (init == 0) {
		execv(argv[3], argv + 3);
		die("exec");
	}
	while ((p = wait(&st)) != init)
		if (p < 0 && errno != EINTR)
			die("wait");
	t = now_ns();
	/* Leftovers the init did not end are ours now: are any still alive? */
	deadline = t + (int64_t)cap * 1000000;
	for (;;) {
		p = waitpid(-1, &st, WNOHANG);
		if (p < 0 && errno == ECHILD) {
			put('I', t);
			return 0;
		}
		if (p == 0 && now_ns() > deadline)
			break;
		if (p == 0)
			usleep(1000);
	}
	put('N', t);
	kill(-1, SIGKILL);
	while ((p = wait(&st)) > 0 || errno == EINTR)
		;
	return 0;
}
