/* termchild: the child of the shutdown bench. "exit" dies on SIGTERM at
 * once (default action, unblocked); "ignore" ignores it, so only SIGKILL
 * ends it. Writes 'R' to stdout once set up. usage: termchild exit|ignore */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void fail(const char *what)
{
	fprintf(stderr, "bench: termchild: %s: %s\n", what, strerror(errno));
	_exit(1);
}

int main(int argc, char **argv)
{
	int ignore = argc > 1 && strcmp(argv[1], "ignore") == 0;
	sigset_t set;

	if (argc != 2 || (!ignore && strcmp(argv[1], "exit") != 0)) {
		fprintf(stderr, "usage: termchild exit|ignore\n");
		return 64;
	}
	/* Whatever the init left us, SIGTERM gets exactly the wanted fate. */
	if (signal(SIGTERM, ignore ? SIG_IGN : SIG_DFL) == SIG_ERR)
		fail("signal(SIGTERM)");
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_UNBLOCK, &set, NULL) < 0)
		fail("sigprocmask");
	alarm(60); /* backstop should the driver die */
	if (write(STDOUT_FILENO, "R", 1) != 1)
		fail("write(stdout)");
	for (;;)
		pause();
}
