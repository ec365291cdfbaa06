/* exec: PATH search and exec without the shell fallback glibc's execvp
 * has on ENOEXEC: a truncated binary, a foreign ELF or a script without
 * "#!" fails with 126 in every build instead of running under sh. */
#include "exec.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

/* Errors after which execvp goes on with the next PATH entry: the file
 * is not there (or not reachable through this entry). */
static int try_next(int err)
{
	switch (err) {
	case ENOENT: case ENOTDIR: case ESTALE: case ENODEV: case ETIMEDOUT:
	case ENAMETOOLONG:
		return 1;
	default:
		return 0;
	}
}

int exec_command(char *const argv[])
{
	const char *file = argv[0], *path, *p;
	size_t flen = strlen(file);
	char buf[PATH_MAX];
	int seen_eacces = 0;

	if (flen == 0)
		return -ENOENT;
	if (strchr(file, '/')) {
		execve(file, argv, environ);
		return -errno;
	}
	path = getenv("PATH");
	if (!path)
		path = VIGIL_DEFAULT_PATH;
	for (p = path;; p++) {
		const char *end = strchr(p, ':');
		size_t dlen = end ? (size_t)(end - p) : strlen(p);

		/* An empty entry means the current directory, as in execvp. */
		if (dlen == 0) {
			memcpy(buf, file, flen + 1);
		} else if (dlen + 1 + flen < sizeof(buf)) {
			memcpy(buf, p, dlen);
			buf[dlen] = '/';
			memcpy(buf + dlen + 1, file, flen + 1);
		} else {
			buf[0] = '\0';
		}
		if (buf[0]) {
			execve(buf, argv, environ);
			if (errno == EACCES)
				seen_eacces = 1;
			else if (!try_next(errno))
				return -errno;
		}
		if (!end)
			break;
		p = end;
	}
	return seen_eacces ? -EACCES : -ENOENT;
}
