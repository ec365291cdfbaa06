/* leftovers: the main child of the teardown runs. Starts N processes that
 * ignore SIGTERM and sleep, flat (DEPTH 1: all its own children) or in
 * chains of DEPTH (each forks the next), waits until every one is up, writes
 * 'M' and its CLOCK_MONOTONIC time in ns to stdout and exits: what is left
 * is the init's to end.
 * usage: leftovers N DEPTH */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "leftovers: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* One chain: this process forks the next member until there are `left`,
 * then each says it is up and sleeps for ever. */
static _Noreturn void chain(int left, int ready)
{
	while (left-- > 1) {
		pid_t c = fork();

		if (c < 0)
			die("fork");
		if (c > 0)
			break; /* the parent stays as this member; the child goes on */
	}
	if (write(ready, "r", 1) != 1)
		die("write(ready)");
	close(ready);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	int n, depth, fds[2], got = 0;
	struct timespec ts;
	char rec[9], buf[512];
	int64_t t;

	if (argc != 3 || (n = atoi(argv[1])) < 1 || (depth = atoi(argv[2])) < 1 || n % depth)
		fprintf(stderr, "usage: leftovers N DEPTH (N a multiple of DEPTH)\n"), exit(2);
	if (signal(SIGTERM, SIG_IGN) == SIG_ERR || pipe(fds) < 0)
		die("set up");
	for (int i = 0; i < n / depth; i++) {
		pid_t c = fork();

		if (c < 0)
			die("fork");
		if (c == 0) {
			close(fds[0]);
			chain(depth, fds[1]);
		}
	}
	close(fds[1]);
	while (got < n) {
		ssize_t r = read(fds[0], buf, sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			die("read(ready)");
		got += (int)r;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	rec[0] = 'M';
	memcpy(rec + 1, &t, sizeof(t));
	if (write(STDOUT_FILENO, rec, sizeof(rec)) != sizeof(rec))
		die("write(stdout)");
	return 0;
}
