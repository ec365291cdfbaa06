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

int teardown_parse_stat(const char *stat, pid_t *ppid, char *state, unsigned long long *start)
{
	const char *p = strrchr(stat, ')');
	char st;
	int pp;

	/* state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt
	 * cmajflt utime stime cutime cstime priority nice num_threads
	 * itrealvalue starttime */
	if (!p || sscanf(p + 1, " %c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
			 &st, &pp, start) != 3)
		return -EINVAL;
	*ppid = (pid_t)pp;
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

/* ---- the set of processes already signalled ---- */

static int id_cmp(const void *a, const void *b)
{
	const struct proc_id *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

bool teardown_set_has(const struct teardown_set *s, struct proc_id id)
{
	return s->n && bsearch(&id, s->id, s->n, sizeof(id), id_cmp) != NULL;
}

int teardown_set_merge(struct teardown_set *s, const struct proc_id *ids, size_t n)
{
	if (!n)
		return 0;
	if (s->n + n > s->cap) {
		size_t cap = s->cap ? s->cap : 64;
		struct proc_id *a;

		while (cap < s->n + n)
			cap *= 2;
		a = realloc(s->id, cap * sizeof(*a));
		if (!a)
			return -ENOMEM;
		s->id = a;
		s->cap = cap;
	}
	memcpy(s->id + s->n, ids, n * sizeof(*ids));
	s->n += n;
	qsort(s->id, s->n, sizeof(*s->id), id_cmp);
	return 0;
}

void teardown_set_free(struct teardown_set *s)
{
	free(s->id);
	s->id = NULL;
	s->n = s->cap = 0;
}

/* ---- /proc ---- */

struct proc_list {
	pid_t *pid;
	pid_t *ppid;
	char *state;
	unsigned long long *start;
	size_t n, cap;
};

static void list_free(struct proc_list *l)
{
	free(l->pid);
	free(l->ppid);
	free(l->state);
	free(l->start);
	memset(l, 0, sizeof(*l));
}

static int grow(void **p, size_t size)
{
	void *a = realloc(*p, size);

	if (!a)
		return -ENOMEM;
	*p = a;
	return 0;
}

static int list_add(struct proc_list *l, pid_t pid, pid_t ppid, char state, unsigned long long start)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;

		if (grow((void **)&l->pid, cap * sizeof(*l->pid)) ||
		    grow((void **)&l->ppid, cap * sizeof(*l->ppid)) ||
		    grow((void **)&l->state, cap) ||
		    grow((void **)&l->start, cap * sizeof(*l->start)))
			return -ENOMEM;
		l->cap = cap;
	}
	l->pid[l->n] = pid;
	l->ppid[l->n] = ppid;
	l->state[l->n] = state;
	l->start[l->n] = start;
	l->n++;
	return 0;
}

static int read_stat(pid_t pid, pid_t *ppid, char *state, unsigned long long *start)
{
	char path[48], buf[1024];
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
	return teardown_parse_stat(buf, ppid, state, start);
}

/* A /proc mounted for another PID namespace (the host's, in a container
 * that bind-mounts it) lists other processes under numbers that mean
 * something else here: signalling by them would hit strangers. */
static int proc_is_ours(pid_t self)
{
	char buf[32];
	ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);

	if (n < 0)
		return -errno;  /* ENOENT: not a procfs, or one we are not in */
	buf[n] = '\0';
	return atol(buf) == (long)self ? 0 : -EXDEV;
}

static int scan_proc(struct proc_list *l, pid_t self)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int r;

	if (!d)
		return -errno;
	r = proc_is_ours(self);
	while (r == 0 && (de = readdir(d)) != NULL) {
		unsigned long long start;
		char *end, state;
		long v = strtol(de->d_name, &end, 10);
		pid_t ppid;

		if (*end || v <= 0)
			continue;
		/* Zombies stay in the list: a process whose main thread
		 * exited shows Z but is alive, and its children hang below
		 * it. A signal to a real zombie does no harm. */
		if (read_stat((pid_t)v, &ppid, &state, &start) < 0)
			continue;
		r = list_add(l, (pid_t)v, ppid, state, start);
	}
	closedir(d);
	return r;
}

/* Is pid still the process of the scan? Same start time, and the parent
 * seen then or vigil: a parent killed a moment ago hands its children to
 * vigil (subreaper or PID 1), and they are still ours to stop. */
static int still_same(pid_t pid, pid_t ppid, unsigned long long start, pid_t self)
{
	unsigned long long now_start;
	pid_t now;
	char st;
	int r = read_stat(pid, &now, &st, &now_start);

	if (r == -ENOENT)
		return -ESRCH;
	if (r)
		return r;
	if (now_start != start || (now != ppid && now != self))
		return -ESTALE;
	return 0;
}

/* Signal pid only if it is still the process seen in the scan: a pidfd
 * pins it, then its identity is checked again. Where pidfd_open is
 * refused (old kernel, a runtime's seccomp profile) plain kill remains,
 * after the same check, with the small pid-reuse window it has.
 * 0, -ESRCH (gone), -ESTALE (changed: look again) or -errno. */
static int signal_if_same(pid_t pid, pid_t ppid, unsigned long long start, pid_t self, int sig)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	int r;

	if (fd < 0) {
		if (errno == ESRCH)
			return -ESRCH;
		r = still_same(pid, ppid, start, self);
		if (r == 0 && kill(pid, sig) < 0)
			r = -errno;
		return r;
	}
	r = still_same(pid, ppid, start, self);
	if (r == 0 && syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0) < 0)
		r = -errno;
	close(fd);
	return r;
}

/* Enough for a tree that forks while it is being signalled; a fork bomb
 * is left to the SIGKILL pass after the grace. */
#define MAX_SCANS 32

/* One scan: signal the descendants not in done. *again: something was
 * signalled or changed under us, so another scan may find more. */
static int signal_scan(int sig, pid_t self, struct teardown_set *done,
		       struct teardown_pass *p, bool *again)
{
	struct proc_list l = { 0 };
	struct proc_id *fresh = NULL;
	unsigned char *desc = NULL;
	size_t nfresh = 0;
	int r = scan_proc(&l, self);

	*again = false;
	if (r == 0 && l.n) {
		desc = malloc(l.n);
		fresh = malloc(l.n * sizeof(*fresh));
		if (!desc || !fresh)
			r = -ENOMEM;
	}
	if (r == 0 && desc) {
		teardown_descendants(l.pid, l.ppid, l.n, self, desc);
		for (size_t i = 0; i < l.n; i++) {
			struct proc_id id = { l.pid[i], l.start[i] };
			int s;

			if (!desc[i] || teardown_set_has(done, id))
				continue;
			s = signal_if_same(id.pid, l.ppid[i], id.start, self, sig);
			if (s == -ESTALE)
				*again = true;
			if (s)
				continue;
			fresh[nfresh++] = id;
			p->reached++;
			p->live += l.state[i] != 'Z';
		}
		*again = *again || nfresh;
		/* Forgetting them would only signal and count them again. */
		r = teardown_set_merge(done, fresh, nfresh);
	}
	free(fresh);
	free(desc);
	list_free(&l);
	return r;
}

int teardown_set_add_pid(struct teardown_set *s, pid_t pid)
{
	struct proc_id id = { pid, 0 };
	pid_t ppid;
	char st;
	int r = read_stat(pid, &ppid, &st, &id.start);

	if (r)
		return r;
	return teardown_set_has(s, id) ? 0 : teardown_set_merge(s, &id, 1);
}

int teardown_signal_tree(int sig, struct teardown_set *done, struct teardown_pass *p)
{
	pid_t self = getpid();
	bool again = true;
	int r = 0;

	memset(p, 0, sizeof(*p));
	for (int scans = 0; again && r == 0 && scans < MAX_SCANS; scans++)
		r = signal_scan(sig, self, done, p, &again);
	/* As PID 1, kill(-1) also reaches processes entered from outside
	 * (docker exec), whose parent is not in the namespace, and every
	 * process when /proc cannot tell which ones there are. */
	if (self == 1) {
		if (kill(-1, sig) == 0) {
			p->kill_all = true;
			p->unknown = r < 0;
		} else if (errno != ESRCH && r == 0) {
			r = -errno;
		}
	}
	return r;
}
