/* teardown: stop the whole tree so no ghost keeps a GPU or a port. The
 * tree is rebuilt from /proc on every call: processes fork while we kill. */
#include "teardown.h"

#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int teardown_parse_stat_ppid(const char *stat, pid_t *ppid, char *state)
{
	const char *p = strrchr(stat, ')');
	char st;
	int pp;

	if (!p || sscanf(p + 1, " %c %d", &st, &pp) != 2)
		return -EINVAL;
	*ppid = (pid_t)pp;
	if (state)
		*state = st;
	return 0;
}

size_t teardown_descendants(const pid_t *pid, const pid_t *ppid, size_t n,
			    pid_t root, unsigned char *is_desc)
{
	size_t count = 0;
	int changed = 1;

	memset(is_desc, 0, n);
	/* Fixed point over the parent links: small trees, few passes. */
	while (changed) {
		changed = 0;
		for (size_t i = 0; i < n; i++) {
			if (is_desc[i] || pid[i] == root)
				continue;
			if (ppid[i] == root)
				goto mark;
			for (size_t k = 0; k < n; k++)
				if (is_desc[k] && pid[k] == ppid[i])
					goto mark;
			continue;
mark:
			is_desc[i] = 1;
			count++;
			changed = 1;
		}
	}
	return count;
}

struct proc_list {
	pid_t *pid;
	pid_t *ppid;
	char *state;
	size_t n, cap;
};

static int list_add(struct proc_list *l, pid_t pid, pid_t ppid, char state)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		pid_t *a = realloc(l->pid, cap * sizeof(*a));
		pid_t *b;
		char *c;

		if (!a)
			return -ENOMEM;
		l->pid = a;
		b = realloc(l->ppid, cap * sizeof(*b));
		if (!b)
			return -ENOMEM;
		l->ppid = b;
		c = realloc(l->state, cap);
		if (!c)
			return -ENOMEM;
		l->state = c;
		l->cap = cap;
	}
	l->pid[l->n] = pid;
	l->ppid[l->n] = ppid;
	l->state[l->n] = state;
	l->n++;
	return 0;
}

static int read_ppid(pid_t pid, pid_t *ppid, char *state)
{
	char path[48], buf[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	return teardown_parse_stat_ppid(buf, ppid, state);
}

static int scan_proc(struct proc_list *l)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int r = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d)) != NULL) {
		char *end, state;
		long v = strtol(de->d_name, &end, 10);
		pid_t ppid;

		if (*end || v <= 0)
			continue;
		/* Zombies stay in the list: a process whose main thread
		 * exited shows Z but is alive, and its children hang below
		 * it. A signal to a real zombie does no harm. */
		if (read_ppid((pid_t)v, &ppid, &state) < 0)
			continue;
		r = list_add(l, (pid_t)v, ppid, state);
		if (r)
			break;
	}
	closedir(d);
	return r;
}

/* Signal pid only if it is still the process seen in the scan: a pidfd
 * pins it, then the parent link is checked again. Where pidfd_open is
 * refused (old kernel, a runtime's seccomp profile) plain kill remains,
 * with the small pid-reuse window it has. */
static int signal_if_same(pid_t pid, pid_t ppid, int sig)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	pid_t now;
	int r;

	if (fd < 0) {
		if (errno == ESRCH)
			return -1;
		return kill(pid, sig);
	}
	r = read_ppid(pid, &now, NULL) == 0 && now == ppid ?
		(int)syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0) : -1;
	close(fd);
	return r;
}

long teardown_signal_tree(int sig, long *live)
{
	struct proc_list l = { 0 };
	unsigned char *desc = NULL;
	pid_t self = getpid();
	long count = 0;
	int r = scan_proc(&l);

	if (r == 0 && l.n) {
		desc = malloc(l.n);
		if (!desc)
			r = -ENOMEM;
	}
	if (r == 0 && desc) {
		teardown_descendants(l.pid, l.ppid, l.n, self, desc);
		for (size_t i = 0; i < l.n; i++) {
			if (desc[i] && signal_if_same(l.pid[i], l.ppid[i], sig) == 0) {
				count++;
				*live += l.state[i] != 'Z';
			}
		}
	}
	/* As PID 1, kill(-1) also reaches processes entered from outside
	 * (docker exec), whose parent is not in the namespace. */
	if (self == 1) {
		if (kill(-1, sig) == 0)
			count = count ? count : 1; /* someone is left: keep the grace */
		else if (errno != ESRCH && r == 0)
			r = -errno;
	}
	free(desc);
	free(l.pid);
	free(l.ppid);
	free(l.state);
	if (r < 0)
		return r;
	return count;
}
