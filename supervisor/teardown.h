/* teardown: find and signal what is left of vigil's process tree. */
#ifndef VIGIL_TEARDOWN_H
#define VIGIL_TEARDOWN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A process, told apart from a later one that reuses its pid by its start
 * time (clock ticks since boot, field 22 of /proc/PID/stat). */
struct proc_id {
	pid_t pid;
	unsigned long long start;
};

/* The processes a teardown phase has already signalled, so that rescans
 * signal and count each process once. Grows as needed: its size is bound
 * by the number of processes the tree ever had (at most pid_max). */
struct teardown_set {
	struct proc_id *id;          /* sorted */
	size_t n, cap;
	bool settled;   /* the last pass left nothing to find ... */
	long last_pid;  /* ... as of this ns_last_pid */
};

/* What one call reached. */
struct teardown_pass {
	long reached;   /* processes newly signalled, zombie-state ones included */
	long live;      /* of those, the ones not in zombie state */
	bool kill_all;  /* as PID 1: kill(-1) reached at least one process */
	bool unknown;   /* /proc unusable: kill(-1) reached an unknown number */
};

/* Signal every descendant of vigil not yet in *done and add it there.
 * Descendants are found from /proc's parent links, since a daemonised
 * grandchild has left both the child's group and session; /proc is read
 * again until a scan finds no process left to signal (bounded), so a
 * process re-parented to vigil, or forked, while the pass ran is not
 * missed. As PID 1 kill(-1) follows, for processes entered from outside.
 * Fills *p; returns 0, or -errno when /proc could not be read (-EXDEV:
 * it shows another PID namespace). *p is filled in both cases. */
int teardown_signal_tree(int sig, struct teardown_set *done, struct teardown_pass *p);

/* Mark pid (alive, its start time read from /proc) as done. 0 or -errno. */
int teardown_set_add_pid(struct teardown_set *s, pid_t pid);

void teardown_set_free(struct teardown_set *s);

/* Pure part, for tests: is id in the sorted set? */
bool teardown_set_has(const struct teardown_set *s, struct proc_id id);

/* Is some process with this pid, whatever its start time, in the set? */
bool teardown_set_has_pid(const struct teardown_set *s, pid_t pid);

/* Add ids (any order, no duplicates of set members) to the set. 0 or -ENOMEM. */
int teardown_set_merge(struct teardown_set *s, const struct proc_id *ids, size_t n);

#endif
