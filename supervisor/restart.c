/* restart: policy decisions are pure functions; the state file is the
 * only thing that outlives vigil, written with rename so a crash or an
 * OOM kill mid-write never leaves half a file. */
#include "restart.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int restart_state_parse(const char *text, struct run_state *s)
{
	const char *line = text;

	s->runs = 0;
	s->restarts = 0;
	s->last_exit = -1;
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		char key[32];
		long v;

		if (*line != '\n' && *line != '#') {
			if (sscanf(line, "%31[a-z_]=%ld", key, &v) != 2 || v < -1 || v > 1000000000)
				return -EINVAL;
			if (strcmp(key, "runs") == 0 && v >= 0)
				s->runs = (unsigned)v;
			else if (strcmp(key, "restarts") == 0 && v >= 0)
				s->restarts = (unsigned)v;
			else if (strcmp(key, "last_exit") == 0)
				s->last_exit = (int)v;
			else
				return -EINVAL;
		}
		line = nl ? nl + 1 : NULL;
	}
	return 0;
}

int restart_state_format(const struct run_state *s, char *buf, unsigned long len)
{
	int n = snprintf(buf, len, "# vigil run state: delete this file to allow a fresh start\n"
			 "runs=%u\nrestarts=%u\nlast_exit=%d\n", s->runs, s->restarts, s->last_exit);

	return n < 0 || (unsigned long)n >= len ? -ENOSPC : n;
}

int restart_state_load(const char *path, struct run_state *s)
{
	char buf[512];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		if (errno != ENOENT)
			return -errno;
		return restart_state_parse("", s);
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return restart_state_parse(buf, s);
}

int restart_state_save(const char *path, const struct run_state *s)
{
	char tmp[4096], buf[512];
	int fd, n, r = 0;

	n = restart_state_format(s, buf, sizeof(buf));
	if (n < 0)
		return n;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, (size_t)n) != n || fsync(fd) < 0)
		r = errno ? -errno : -EIO;
	if (close(fd) < 0 && !r)
		r = -errno;
	if (!r && rename(tmp, path) < 0)
		r = -errno;
	if (r)
		unlink(tmp);
	return r;
}

uint64_t restart_backoff_ms(uint64_t base, unsigned n)
{
	uint64_t d = base;

	for (unsigned i = 0; i < n && d < RESTART_DELAY_CAP_MS; i++)
		d *= 2;
	return d < RESTART_DELAY_CAP_MS ? d : RESTART_DELAY_CAP_MS;
}

bool restart_wanted(enum restart_mode mode, unsigned max, unsigned restarts, int exit_code)
{
	if (mode != RESTART_ON_FAILURE || exit_code == 0)
		return false;
	return max == 0 || restarts < max;
}
