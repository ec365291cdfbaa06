/* teardown: stop the whole tree so no ghost keeps a GPU or a port. The
 * tree is rebuilt from /proc on every call: processes fork while we kill. */
#include "teardown.h"

#include "proctree.h"

#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

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

bool teardown_set_has_pid(const struct teardown_set *s, pid_t pid)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->id[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n && s->id[lo].pid == pid;
}

void teardown_set_free(struct teardown_set *s)
{
	free(s->id);
	memset(s, 0, sizeof(*s));
}

/* ---- /proc ---- */

struct proc_list {
	pid_t *pid;
	pid_t *ppid;
	char *state;
	unsigned long long *start;
	unsigned char *sent;    /* signalled, or found done, during the scan */
	pid_t *desc;            /* descendants met during the scan, ascending */
	size_t n, ndesc, cap;
	bool incomplete;        /* a process could not be read */
};

static void list_free(struct proc_list *l)
{
	free(l->pid);
	free(l->ppid);
	free(l->state);
	free(l->start);
	free(l->sent);
	free(l->desc);
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
		    grow((void **)&l->start, cap * sizeof(*l->start)) ||
		    grow((void **)&l->sent, cap) ||
		    grow((void **)&l->desc, cap * sizeof(*l->desc)))
			return -ENOMEM;
		l->cap = cap;
	}
	l->pid[l->n] = pid;
	l->ppid[l->n] = ppid;
	l->state[l->n] = state;
	l->start[l->n] = start;
	l->sent[l->n] = 0;
	l->n++;
	return 0;
}

static bool sig_stops_nothing(int sig)
{
	return sig != SIGKILL && sig != SIGCONT && sig != SIGSTOP;
}

/* A stopped process keeps a SIGTERM pending until it is continued: it
 * would get no chance to act on it before the SIGKILL. Sent after the
 * signal, so the signal is already pending when it wakes. */
static bool wants_cont(int sig, char state)
{
	return state == 'T' && sig_stops_nothing(sig);
}

static int pidfd_signal(int fd, int sig)
{
	return syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0) < 0 ? -errno : 0;
}

/* ---- not PID 1: each descendant on its own ---- */

/* Is pid still the process of the scan? Same start time, and the parent
 * seen then or vigil: a parent killed a moment ago hands its children to
 * vigil (subreaper or PID 1), and they are still ours to stop. */
static int still_same(pid_t pid, pid_t ppid, unsigned long long start, pid_t self)
{
	unsigned long long now_start;
	pid_t now;
	char st;
	int r = proctree_read_stat(pid, &now, &st, &now_start);

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
static int signal_if_same(pid_t pid, pid_t ppid, unsigned long long start, pid_t self, int sig, bool cont)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	int r;

	if (fd < 0) {
		if (errno == ESRCH)
			return -ESRCH;
		r = still_same(pid, ppid, start, self);
		if (r == 0 && kill(pid, sig) < 0)
			r = -errno;
		if (r == 0 && cont)
			(void)kill(pid, SIGCONT);
		return r;
	}
	r = still_same(pid, ppid, start, self);
	if (r == 0)
		r = pidfd_signal(fd, sig);
	if (r == 0 && cont)
		(void)pidfd_signal(fd, SIGCONT);
	close(fd);
	return r;
}

static bool pid_listed(const pid_t *sorted, size_t n, pid_t pid)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sorted[mid] < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && sorted[lo] == pid;
}

struct scan_ctx {
	int sig;
	pid_t self;
	bool signal;            /* signal descendants during the scan */
	bool names_only;        /* pids alone, no stat: state unknown */
	bool no_pidfd;          /* pidfd_open refused: none in the scan */
	struct teardown_set *done;
	struct teardown_pass *p;
	struct proc_id *fresh;  /* signalled by this scan */
	size_t nfresh, cap;
};

static int note_fresh(struct scan_ctx *c, struct proc_id id, char state)
{
	if (c->nfresh == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;

		if (grow((void **)&c->fresh, cap * sizeof(*c->fresh)))
			return -ENOMEM;
		c->cap = cap;
	}
	c->fresh[c->nfresh++] = id;
	c->p->reached++;
	c->p->live += state != 'Z';
	return 0;
}

/* The entry just read (index i), whose pidfd fd was opened before its
 * stat was read: if its parent is vigil or a descendant met earlier in
 * this scan (/proc lists pids in increasing order, and a parent mostly
 * has the lower pid), it is a descendant and is signalled now.
 *
 * Why no second read of its stat: the pidfd was opened first, so it
 * names the process that held the pid at that moment. A pid changes
 * hands only once its holder is reaped. If the holder was reaped before
 * the stat was read, the signal through the pidfd fails with ESRCH and
 * nothing is sent or counted; if it was not, it held the pid from the
 * pidfd's opening to the signal, so the stat read in between was its
 * own. Either way no process is signalled on another's data. */
static int signal_in_scan(struct scan_ctx *c, struct proc_list *l, size_t i, int fd)
{
	struct proc_id id = { l->pid[i], l->start[i] };
	int s;

	if (l->ppid[i] != c->self && !pid_listed(l->desc, l->ndesc, l->ppid[i]))
		return 0;
	if (!l->ndesc || l->desc[l->ndesc - 1] < id.pid)
		l->desc[l->ndesc++] = id.pid;
	if (teardown_set_has(c->done, id)) {
		l->sent[i] = 1;
		return 0;
	}
	if (fd < 0)
		return 0;  /* left to the check after the scan */
	s = pidfd_signal(fd, c->sig);
	if (s == -ESRCH)
		return 0;  /* reaped: see above */
	if (s)
		return 0;  /* left to the check after the scan */
	if (wants_cont(c->sig, l->state[i]))
		(void)pidfd_signal(fd, SIGCONT);
	l->sent[i] = 1;
	return note_fresh(c, id, l->state[i]);
}

static int open_pidfd(struct scan_ctx *c, pid_t pid)
{
	int fd;

	if (!c->signal || c->no_pidfd)
		return -1;
	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0 && errno != ESRCH && errno != EMFILE && errno != ENFILE)
		c->no_pidfd = true;  /* ENOSYS, or EPERM from a seccomp filter */
	return fd;
}

/* Read every process but vigil from /proc into l; with c->signal, signal
 * the descendants that can be told on the way. */
static int scan_proc(struct scan_ctx *c, struct proc_list *l)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int r;

	if (!d)
		return -errno;
	r = proctree_is_ours(c->self);
	while (r == 0 && (de = readdir(d)) != NULL) {
		unsigned long long start;
		char *end, state;
		long v = strtol(de->d_name, &end, 10);
		pid_t ppid;
		int fd, s;

		if (*end || v <= 0 || v == (long)c->self)
			continue;
		if (c->names_only) {
			r = list_add(l, (pid_t)v, 0, '?', 0);
			continue;
		}
		fd = open_pidfd(c, (pid_t)v);
		/* Zombies stay in the list: a process whose main thread
		 * exited shows Z but is alive, and its children hang below
		 * it. A signal to a real zombie does no harm. */
		s = proctree_read_stat((pid_t)v, &ppid, &state, &start);
		if (s == 0)
			r = list_add(l, (pid_t)v, ppid, state, start);
		else if (s != -ENOENT && s != -ESRCH)
			l->incomplete = true;
		if (s == 0 && r == 0 && c->signal)
			r = signal_in_scan(c, l, l->n - 1, fd);
		if (fd >= 0)
			close(fd);
	}
	closedir(d);
	return r;
}

/* Enough for a tree that forks while it is being signalled; a fork bomb
 * is left to the SIGKILL pass after the grace. */
#define MAX_SCANS 32

/* One scan: signal the descendants not in done. *again: something was
 * forked or changed under us, so another scan may find more. */
static int signal_scan(struct scan_ctx *c, bool *again)
{
	struct proc_list l = { 0 };
	unsigned char *desc = NULL;
	long mark = proctree_last_pid(), now;
	bool stale = false, moved;
	int r;

	c->nfresh = 0;
	r = scan_proc(c, &l);
	if (r == 0 && l.n) {
		desc = malloc(l.n);
		if (!desc)
			r = -ENOMEM;
	}
	/* The ones whose parent came later in /proc's order, or whose
	 * pidfd could not be had: found from the whole list, then pinned
	 * and checked again. */
	if (r == 0 && desc && proctree_descendants(l.pid, l.ppid, l.n, c->self, desc) == SIZE_MAX)
		r = -ENOMEM;
	/* A parent gone from /proc before its child was read: the child,
	 * re-parented since, may be ours; only another scan can tell. */
	for (size_t i = 0; r == 0 && i < l.n && !l.incomplete; i++)
		if (l.ppid[i] != 0 && l.ppid[i] != c->self && !pid_listed(l.pid, l.n, l.ppid[i]))
			l.incomplete = true;
	for (size_t i = 0; r == 0 && desc && i < l.n; i++) {
		struct proc_id id = { l.pid[i], l.start[i] };
		int s;

		if (!desc[i] || l.sent[i] || teardown_set_has(c->done, id))
			continue;
		s = signal_if_same(id.pid, l.ppid[i], id.start, c->self, c->sig, wants_cont(c->sig, l.state[i]));
		if (s == -ESTALE)
			stale = true;
		if (s == 0)
			r = note_fresh(c, id, l.state[i]);
	}
	/* Forgetting them would only signal and count them again. */
	if (r == 0)
		r = teardown_set_merge(c->done, c->fresh, c->nfresh);
	/* A scan that signalled somebody is followed by another (forks,
	 * parents dying meanwhile), unless nothing was forked in the
	 * namespace since it began (ns_last_pid did not move) and every
	 * parent was seen: a new descendant needs a fork. */
	now = proctree_last_pid();
	moved = mark < 0 || now < 0 || now != mark;
	*again = stale || (c->nfresh && (moved || l.incomplete));
	c->done->settled = !*again && !moved && !l.incomplete;
	c->done->last_pid = now;
	free(desc);
	list_free(&l);
	return r;
}

static int signal_descendants(struct scan_ctx *c)
{
	bool again = true;
	int r = 0;

	for (int scans = 0; again && r == 0 && scans < MAX_SCANS; scans++)
		r = signal_scan(c, &again);
	if (again)
		c->done->settled = false;
	return r;
}

/* ---- PID 1: the whole namespace with kill(-1) ---- */

/* Count and record the processes of l not yet done; continue the stopped
 * ones after the signal. With own_signal, those whose pids were handed
 * out in (after_from, after_to] came after kill(-1) and are signalled
 * here. */
static int take_list(struct scan_ctx *c, struct proc_list *l, bool own_signal,
		     long after_from, long after_to)
{
	c->nfresh = 0;
	for (size_t i = 0; i < l->n; i++) {
		struct proc_id id = { l->pid[i], l->start[i] };
		int r;

		if (c->names_only ? teardown_set_has_pid(c->done, id.pid) : teardown_set_has(c->done, id))
			continue;
		/* As PID 1 every process of the namespace is vigil's to stop,
		 * whoever holds the pid now: plain kill is enough. */
		if (own_signal && proctree_pid_allocated_in(id.pid, after_from, after_to) &&
		    kill(id.pid, c->sig) < 0)
			continue;
		if (wants_cont(c->sig, l->state[i]))
			(void)kill(id.pid, SIGCONT);
		r = note_fresh(c, id, l->state[i]);
		if (r)
			return r;
	}
	return teardown_set_merge(c->done, c->fresh, c->nfresh);
}

/* The processes not yet in done, read again only for pids done does not
 * hold: a pid in done is taken for the process recorded there. */
static int rescan_new(struct scan_ctx *c, struct proc_list *l)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int r = 0;

	if (!d)
		return -errno;
	while (r == 0 && (de = readdir(d)) != NULL) {
		unsigned long long start;
		char *end, state;
		long v = strtol(de->d_name, &end, 10);
		pid_t ppid;

		if (*end || v <= 0 || v == (long)c->self || teardown_set_has_pid(c->done, (pid_t)v))
			continue;
		if (proctree_read_stat((pid_t)v, &ppid, &state, &start) == 0)
			r = list_add(l, (pid_t)v, ppid, state, start);
	}
	closedir(d);
	return r;
}

/* As PID 1 of a namespace whose /proc is its own, one kill(-1) signals
 * every process at once, and pids in order of creation (ns_last_pid)
 * tell what was forked after it. A fork the kill(-1) caught midway gets
 * the signal too (the kernel holds such signals for the new child), so
 * a process whose pid was handed out before the kill(-1) returned has
 * it; one handed out later gets its own. What remains is the moment
 * between the kill(-1)'s return and the read of ns_last_pid: a process
 * forked just then is taken as signalled (the SIGKILL after the grace
 * still reaches it). /proc is read once to count, then only while
 * ns_last_pid moves, and then only for pids not seen yet. */
static int sweep_namespace(struct scan_ctx *c, long mark)
{
	struct proc_list l = { 0 };
	long sent_upto, now;
	int r;

	/* SIGKILL needs no SIGCONT, and what it reaches ends: the names
	 * are enough to count (the grace SIGKILL comes right after vigil
	 * reaped what it could, so a zombie still listed is rare: one
	 * whose parent, alive, has not reaped it yet). Reading every
	 * stat would cost more than the kill(-1) itself. */
	c->names_only = c->sig == SIGKILL;
	r = scan_proc(c, &l);

	/* Sent even when /proc failed us: then nobody can be counted. */
	if (kill(-1, c->sig) == 0) {
		c->p->kill_all = true;
		c->p->unknown = r < 0;
	} else if (r == 0 && errno != ESRCH) {
		r = -errno;
	}
	sent_upto = proctree_last_pid();
	if (r == 0)
		r = take_list(c, &l, false, 0, 0);
	c->names_only = false;
	list_free(&l);
	for (int scans = 1; r == 0 && sent_upto >= 0; scans++) {
		now = proctree_last_pid();
		if (now == mark) {
			c->done->settled = true;
			c->done->last_pid = now;
			break;
		}
		if (now < 0 || scans == MAX_SCANS)
			break;
		mark = now;
		r = rescan_new(c, &l);
		now = proctree_last_pid();
		if (r == 0 && now >= 0)
			r = take_list(c, &l, true, sent_upto, now);
		list_free(&l);
	}
	return r;
}

int teardown_set_add_pid(struct teardown_set *s, pid_t pid)
{
	struct proc_id id = { pid, 0 };
	pid_t ppid;
	char st;
	int r = proctree_read_stat(pid, &ppid, &st, &id.start);

	if (r)
		return r;
	return teardown_set_has(s, id) ? 0 : teardown_set_merge(s, &id, 1);
}

int teardown_signal_tree(int sig, struct teardown_set *done, struct teardown_pass *p)
{
	struct scan_ctx c = { .sig = sig, .self = getpid(), .done = done, .p = p };
	long mark = proctree_last_pid();
	int r;

	memset(p, 0, sizeof(*p));
	/* The last pass left nothing to find, and nothing was forked since. */
	if (done->settled && mark >= 0 && mark == done->last_pid)
		return 0;
	done->settled = false;
	if (c.self == 1 && mark >= 0 && proctree_is_ours(c.self) == 0) {
		r = sweep_namespace(&c, mark);
		free(c.fresh);
		return r;
	}
	c.signal = true;
	r = signal_descendants(&c);
	free(c.fresh);
	/* As PID 1, kill(-1) also reaches processes entered from outside
	 * (docker exec), whose parent is not in the namespace, and every
	 * process when /proc cannot tell which ones there are. */
	if (c.self == 1) {
		done->settled = false;
		if (kill(-1, sig) == 0) {
			p->kill_all = true;
			p->unknown = r < 0;
		} else if (errno != ESRCH && r == 0) {
			r = -errno;
		}
	}
	return r;
}
