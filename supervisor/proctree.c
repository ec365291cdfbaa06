/* proctree: the process tree as /proc shows it: a process's stat line,
 * the descendants of a pid, the order pids are handed out in, and whether
 * a /proc is the one of vigil's own PID namespace. */
#include "proctree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The field after the spaces at *p, as a number; *p moves past it. The
 * kernel writes these fields, so a plain decimal reader is enough (and,
 * at ten thousand processes a scan, much cheaper than sscanf). */
static int stat_field(const char **p, long long *v)
{
	const char *s = *p;
	bool neg = false;
	long long x = 0;

	while (*s == ' ')
		s++;
	if (*s == '-')
		neg = true, s++;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	while (*s >= '0' && *s <= '9')
		x = x * 10 + (*s++ - '0');
	if (*s != ' ' && *s != '\n' && *s != '\0')
		return -EINVAL;
	*p = s;
	*v = neg ? -x : x;
	return 0;
}

int proctree_parse_stat(const char *stat, pid_t *ppid, char *state, unsigned long long *start)
{
	const char *p = strrchr(stat, ')');
	long long v = 0;

	/* state ppid, then pgrp session tty_nr tpgid flags minflt cminflt
	 * majflt cmajflt utime stime cutime cstime priority nice num_threads
	 * itrealvalue (17 skipped), then starttime. */
	if (!p || p[1] != ' ' || !p[2] || p[3] != ' ')
		return -EINVAL;
	*state = p[2];
	p += 3;
	if (stat_field(&p, &v))
		return -EINVAL;
	*ppid = (pid_t)v;
	for (int i = 0; i < 18; i++)
		if (stat_field(&p, &v))
			return -EINVAL;
	*start = (unsigned long long)v;
	return 0;
}

/* Sort order of the children index: by parent pid. */
struct by_ppid {
	const pid_t *ppid;
	size_t *idx;
	size_t n;
};

/* First position in the children index whose parent is >= ppid. */
static size_t first_child(const struct by_ppid *b, pid_t ppid)
{
	size_t lo = 0, hi = b->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (b->ppid[b->idx[mid]] < ppid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void sort_by_ppid(const pid_t *ppid, size_t *idx, size_t n)
{
	/* Heap sort: no recursion, no allocation, n log n in every case. */
	for (size_t start = n / 2; start-- > 0;) {
		for (size_t root = start, child; (child = 2 * root + 1) < n; root = child) {
			if (child + 1 < n && ppid[idx[child + 1]] > ppid[idx[child]])
				child++;
			if (ppid[idx[root]] >= ppid[idx[child]])
				break;
			size_t t = idx[root]; idx[root] = idx[child]; idx[child] = t;
		}
	}
	for (size_t end = n; end-- > 1;) {
		size_t t = idx[0]; idx[0] = idx[end]; idx[end] = t;
		for (size_t root = 0, child; (child = 2 * root + 1) < end; root = child) {
			if (child + 1 < end && ppid[idx[child + 1]] > ppid[idx[child]])
				child++;
			if (ppid[idx[root]] >= ppid[idx[child]])
				break;
			t = idx[root]; idx[root] = idx[child]; idx[child] = t;
		}
	}
}

size_t proctree_descendants(const pid_t *pid, const pid_t *ppid, size_t n,
			    pid_t root, unsigned char *is_desc)
{
	struct by_ppid b = { ppid, NULL, n };
	size_t *queue, count = 0, head = 0;

	memset(is_desc, 0, n);
	if (!n)
		return 0;
	/* Breadth first from root over an index sorted by parent: n log n
	 * whatever the order of the list and the depth of the tree. Each
	 * entry is marked once, so a loop in the links (a pid reused while
	 * /proc was read) cannot make it run for ever. */
	b.idx = malloc(n * sizeof(*b.idx));
	queue = malloc(n * sizeof(*queue));
	if (!b.idx || !queue) {
		free(b.idx);
		free(queue);
		return SIZE_MAX;
	}
	for (size_t i = 0; i < n; i++)
		b.idx[i] = i;
	sort_by_ppid(ppid, b.idx, n);
	for (pid_t parent = root;; parent = pid[queue[head++]]) {
		for (size_t k = first_child(&b, parent); k < n && ppid[b.idx[k]] == parent; k++) {
			size_t c = b.idx[k];

			if (is_desc[c] || pid[c] == root)
				continue;
			is_desc[c] = 1;
			queue[count++] = c;
		}
		if (head == count)
			break;
	}
	free(queue);
	free(b.idx);
	return count;
}

bool proctree_pid_allocated_in(pid_t pid, long from, long to)
{
	/* Pids are handed out in increasing order and wrap to low numbers
	 * at pid_max: (from, to] may wrap. */
	if (from <= to)
		return pid > from && pid <= to;
	return pid > from || pid <= to;
}

/* A small /proc file, NUL-terminated, into buf: its length or -errno. */
static ssize_t read_small(const char *path, char *buf, size_t len)
{
	ssize_t n;
	/* openat: musl's open follows O_CLOEXEC with an fcntl, one system
	 * call more per process of a ten-thousand-process pass. */
	int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	return n;
}

int proctree_read_stat(pid_t pid, pid_t *ppid, char *state, unsigned long long *start)
{
	char path[48], buf[1024];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	n = read_small(path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	return proctree_parse_stat(buf, ppid, state, start);
}

/* The last pid handed out in vigil's PID namespace, or -errno (the file
 * needs CONFIG_CHECKPOINT_RESTORE). It tells whether anything was forked
 * since it was last read, without reading /proc. */
long proctree_last_pid(void)
{
	char buf[24];
	ssize_t n = read_small("/proc/sys/kernel/ns_last_pid", buf, sizeof(buf));

	return n < 0 ? (long)n : atol(buf);
}

/* A /proc mounted for another PID namespace (the host's, in a container
 * that bind-mounts it) lists other processes under numbers that mean
 * something else here: signalling by them would hit strangers. */
int proctree_is_ours(pid_t self)
{
	char buf[32];
	ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);

	if (n < 0)
		return -errno;  /* ENOENT: not a procfs, or one we are not in */
	buf[n] = '\0';
	return atol(buf) == (long)self ? 0 : -EXDEV;
}
