/* cgroup: read oom_kill before and after the run, so a SIGKILL from the
 * OOM killer is told apart from `docker kill`. These hosts may be hybrid:
 * the memory controller can be on v1 while the v2 tree has none. */
#include "cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int copy_path(const char *start, char *path, unsigned long len)
{
	size_t n = strcspn(start, "\n");

	if (n + 1 > len)
		return -ENAMETOOLONG;
	memcpy(path, start, n);
	path[n] = '\0';
	return 0;
}

int cgroup_memory_path(const char *text, char *path, unsigned long len)
{
	const char *line = text;
	const char *v2 = NULL;

	while (line && *line) {
		const char *c1 = strchr(line, ':');
		const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		const char *nl = strchr(line, '\n');

		if (c2 && (!nl || c2 < nl)) {
			size_t clen = (size_t)(c2 - c1 - 1);
			const char *ctl = c1 + 1;

			if (clen == 0 && strncmp(line, "0:", 2) == 0)
				v2 = c2 + 1;
			for (const char *p = ctl; p < c2;) {
				size_t w = strcspn(p, ",:");

				if (w == 6 && strncmp(p, "memory", 6) == 0)
					return copy_path(c2 + 1, path, len) ? -ENAMETOOLONG : 1;
				p += w + 1;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	if (v2)
		return copy_path(v2, path, len) ? -ENAMETOOLONG : 2;
	return -ENOENT;
}

long cgroup_parse_oom_kill(const char *text)
{
	const char *p = text;

	while ((p = strstr(p, "oom_kill ")) != NULL) {
		if (p == text || p[-1] == '\n')
			return strtol(p + 9, NULL, 10);
		p += 9;
	}
	return -ENOENT;
}

static long read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return n;
}

static long oom_from(const char *dir, const char *file)
{
	char path[4200], buf[1024];
	long r;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	r = read_file(path, buf, sizeof(buf));
	if (r < 0)
		return r;
	return cgroup_parse_oom_kill(buf);
}

long cgroup_oom_kills(void)
{
	char text[4096], cg[2048], dir[4096];
	long r = read_file("/proc/self/cgroup", text, sizeof(text));
	int ver;

	if (r < 0)
		return r;
	ver = cgroup_memory_path(text, cg, sizeof(cg));
	if (ver < 0)
		return ver;
	/* Inside a cgroup namespace the path is "/" and the mount is ours;
	 * otherwise the path is relative to the host's hierarchy. */
	if (ver == 1) {
		snprintf(dir, sizeof(dir), "/sys/fs/cgroup/memory%s", cg);
		r = oom_from(dir, "memory.oom_control");
		if (r < 0)
			r = oom_from("/sys/fs/cgroup/memory", "memory.oom_control");
		if (r >= 0)
			return r;
	}
	snprintf(dir, sizeof(dir), "/sys/fs/cgroup%s", ver == 2 ? cg : "/");
	r = oom_from(dir, "memory.events");
	if (r < 0)
		r = oom_from("/sys/fs/cgroup", "memory.events");
	return r;
}
