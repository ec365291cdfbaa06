/* memhog: behaviour-test helper that allocates and touches memory until
 * it is killed (by the OOM killer, in the test's memory cgroup) or reaches
 * the limit given in MiB, then exits 0. With a READYFILE it creates that
 * file once the memory is touched and then waits to be killed: a process
 * holding much memory takes a while to die, long enough to be seen again
 * by a teardown pass. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long max = argc > 1 ? strtol(argv[1], NULL, 10) : 1024;

	for (long i = 0; i < max; i++) {
		char *p = malloc(1 << 20);

		if (!p) {
			perror("memhog: malloc 1 MiB");
			return 1;
		}
		/* Touch every page: untouched memory is never charged. */
		memset(p, (int)(i & 0xff) | 1, 1 << 20);
	}
	if (argc > 2) {
		int fd = open(argv[2], O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

		if (fd < 0) {
			perror("memhog: create the ready file");
			return 1;
		}
		close(fd);
		for (;;)
			pause();
	}
	return 0;
}
