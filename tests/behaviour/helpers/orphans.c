/* orphans: behaviour-test helper that makes orphans for the init to reap.
 * It double-forks N grandchildren (the middle process exits at once, so
 * each grandchild is re-parented to the init), reaps its own direct
 * children, then waits until no process but itself, its parent and PID 1
 * is left in /proc, and reports what is left.
 *
 * usage: orphans [-n N] [-d DELAY_MS] [-t TIMEOUT_S]
 *   -n N          number of orphans (default 1000)
 *   -d DELAY_MS   each orphan sleeps this long before exiting (default 0:
 *                 most are already zombies when they are re-parented)
 *   -t TIMEOUT_S  how long to wait for the init to reap them (default 10)
 * Prints "orphans N zombies Z alive A" and exits 0 when Z and A are 0. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Counts processes other than us, our parent and PID 1. */
static void census(long *zombies, long *alive)
{
	pid_t self = getpid(), parent = getppid();
	DIR *d = opendir("/proc");
	struct dirent *e;

	*zombies = *alive = 0;
	if (!d) {
		perror("orphans: /proc");
		exit(2);
	}
	while ((e = readdir(d)) != NULL) {
		char path[300], buf[512], *rp;
		long pid = strtol(e->d_name, &rp, 10);
		ssize_t n;
		int fd;

		if (*rp || pid <= 1 || pid == self || pid == parent)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		rp = strrchr(buf, ')');
		if (rp && rp[1] == ' ' && rp[2] == 'Z')
			(*zombies)++;
		else
			(*alive)++;
	}
	closedir(d);
}

int main(int argc, char **argv)
{
	long n = 1000, delay_ms = 0, timeout_s = 10, zombies, alive;
	double deadline;
	int c;

	while ((c = getopt(argc, argv, "n:d:t:")) != -1) {
		switch (c) {
		case 'n': n = atol(optarg); break;
		case 'd': delay_ms = atol(optarg); break;
		case 't': timeout_s = atol(optarg); break;
		default:
			fprintf(stderr, "usage: orphans [-n N] [-d DELAY_MS] [-t TIMEOUT_S]\n");
			return 2;
		}
	}
	for (long i = 0; i < n; i++) {
		pid_t mid = fork();
		int st;

		if (mid < 0) {
			perror("orphans: fork");
			return 2;
		}
		if (mid == 0) {
			if (fork() == 0 && delay_ms > 0) {
				struct timespec ts = { delay_ms / 1000, (delay_ms % 1000) * 1000000 };

				nanosleep(&ts, NULL);
			}
			_exit(0);
		}
		while (waitpid(mid, &st, 0) < 0 && errno == EINTR)
			;
	}
	deadline = now() + (double)timeout_s;
	do {
		struct timespec ts = { 0, 20 * 1000000 };

		census(&zombies, &alive);
		if (zombies == 0 && alive == 0)
			break;
		nanosleep(&ts, NULL);
	} while (now() < deadline);
	printf("orphans %ld zombies %ld alive %ld\n", n, zombies, alive);
	return zombies == 0 && alive == 0 ? 0 : 1;
}
