/* orphans: the child of the reaping bench. On 'G' from stdin it makes N
 * orphans (double fork: the middle process exits, the grandchild is left to
 * PID 1), then waits until /proc of the namespace shows no zombie; writes
 * the number still left (int64, 0 on success) and holds until stdin closes.
 * usage: orphans N TIMEOUT_MS */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FORK_RETRIES 5000 /* 1 ms apart: pid_max may be hit if PID 1 lags */

static void fail(const char *what)
{
	fprintf(stderr, "bench: orphans: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		fail("clock_gettime");
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void nap_ms(long ms)
{
	struct timespec ts = { 0, ms * 1000000 };

	while (nanosleep(&ts, &ts) < 0)
		if (errno != EINTR)
			fail("nanosleep");
}

/* 0 when one orphan was left behind, -EAGAIN when a fork hit a limit. */
static int one_orphan(void)
{
	pid_t mid = fork();
	int status;

	if (mid < 0) {
		if (errno != EAGAIN)
			fail("fork");
		return -EAGAIN;
	}
	if (mid == 0)
		_exit(fork() < 0 ? 1 : 0); /* the grandchild, too, exits at once */
	if (waitpid(mid, &status, 0) < 0)
		fail("waitpid(middle)");
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EAGAIN;
}

static void make_orphans(long n)
{
	long made = 0, retries = 0;

	while (made < n) {
		if (one_orphan() == 0) {
			made++;
			continue;
		}
		if (++retries > FORK_RETRIES) {
			fprintf(stderr, "bench: orphans: fork kept failing after %ld orphans\n", made);
			return;
		}
		nap_ms(1);
	}
}

static int is_zombie(const char *pid)
{
	char path[64], buf[512], *p;
	ssize_t len;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return 0; /* reaped between readdir and open */
	len = (ssize_t)fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[len > 0 ? len : 0] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'Z';
}

static long count_zombies(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	long n = 0;

	if (!d)
		fail("opendir(/proc)");
	while ((e = readdir(d)))
		if (isdigit((unsigned char)e->d_name[0]) && is_zombie(e->d_name))
			n++;
	closedir(d);
	return n;
}

/* Bounded: an init that never reaps shows up as a non-zero count. */
static long wait_no_zombies(int64_t deadline)
{
	long left;

	while ((left = count_zombies()) > 0 && now_ms() < deadline)
		nap_ms(1);
	return left;
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[1]) : 0;
	long timeout = argc > 2 ? atol(argv[2]) : 0;
	int64_t left;
	char go;

	if (n <= 0 || timeout <= 0) {
		fprintf(stderr, "usage: orphans N TIMEOUT_MS\n");
		return 64;
	}
	alarm((unsigned)(timeout / 1000 + 60)); /* backstop if the driver dies */
	if (write(STDOUT_FILENO, "R", 1) != 1)
		fail("write(stdout)");
	if (read(STDIN_FILENO, &go, 1) != 1)
		fail("read(stdin)");
	make_orphans(n);
	left = wait_no_zombies(now_ms() + timeout);
	if (write(STDOUT_FILENO, &left, sizeof(left)) != sizeof(left))
		fail("write(stdout)");
	while (read(STDIN_FILENO, &go, 1) > 0)
		;
	return 0;
}
