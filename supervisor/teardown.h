/* teardown: find and signal what is left of vigil's process tree. */
#ifndef VIGIL_TEARDOWN_H
#define VIGIL_TEARDOWN_H

#include <stddef.h>
#include <sys/types.h>

/* Signal every descendant of vigil (as PID 1: every process of the
 * namespace). Descendants are found from /proc's parent links, since a
 * daemonised grandchild has left both the child's group and session.
 * Returns how many processes were signalled (zombie-state ones included:
 * a process whose main thread exited shows Z but lives on), adding the
 * others to *live; or -errno when /proc could not be read (PID 1 still
 * falls back to kill(-1)). */
long teardown_signal_tree(int sig, long *live);

/* Pure part, for tests: given pid/ppid pairs, mark the descendants of
 * root (root excluded) in is_desc[]. Returns their number. */
size_t teardown_descendants(const pid_t *pid, const pid_t *ppid, size_t n,
			    pid_t root, unsigned char *is_desc);

/* Parse the ppid out of a /proc/PID/stat line (comm may hold ')' and
 * spaces). 0 or -EINVAL. */
int teardown_parse_stat_ppid(const char *stat, pid_t *ppid, char *state);

#endif
