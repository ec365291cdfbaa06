/* floor: the least a PID 1 (or a subreaper) can do to end leftovers that
 * ignore SIGTERM, the bench's reference for vigil's teardown: run the
 * command, and once it has exited kill(-1, SIGTERM), wait GRACE_MS,
 * kill(-1, SIGKILL), reap until nothing is left.
 * usage: floor GRACE_MS -- COMMAND... */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "floor: %s: %s\n", what, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	struct timespec grace;
	pid_t main_pid, p;
	int ms, st;

	if (argc < 4 || strcmp(argv[2], "--") != 0 || (ms = atoi(argv[1])) < 0)
		fprintf(stderr, "usage: floor GRACE_MS -- COMMAND...\n"), exit(2);
	if (getpid() != 1 && prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		die("prctl(PR_SET_CHILD_SUBREAPER)");
	main_pid = fork();
	if (main_pid < 0)
		die("fork");
	if (main_pid == 0) {
		execvp(argv[3], argv + 3);
		die("exec");
	}
	while ((p = wait(&st)) != main_pid)
		if (p < 0 && errno != EINTR)
			die("wait");
	kill(-1, SIGTERM);
	grace.tv_sec = ms / 1000;
	grace.tv_nsec = (long)(ms % 1000) * 1000000;
	while (nanosleep(&grace, &grace) < 0)
		if (errno != EINTR)
			die("nanosleep");
	kill(-1, SIGKILL);
	while ((p = wait(&st)) > 0 || errno == EINTR)
		;
	return 0;
}
