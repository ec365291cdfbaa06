/* memhog: behaviour-test helper that allocates and touches memory until
 * it is killed (by the OOM killer, in the test's memory cgroup) or reaches
 * the limit given in MiB, then exits 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	return 0;
}
