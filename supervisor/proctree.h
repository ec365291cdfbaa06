/* proctree: the process tree as /proc shows it. */
#ifndef VIGIL_PROCTREE_H
#define VIGIL_PROCTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The state, the ppid and the start time (clock ticks since boot, field
 * 22) of a /proc/PID/stat line (comm may hold ')' and spaces). 0 or
 * -EINVAL. */
int proctree_parse_stat(const char *stat, pid_t *ppid, char *state, unsigned long long *start);

/* /proc/PID/stat read and parsed: 0, -ENOENT (gone) or -errno. */
int proctree_read_stat(pid_t pid, pid_t *ppid, char *state, unsigned long long *start);

/* Pure part, for tests: given pid/ppid pairs, mark the descendants of
 * root (root excluded) in is_desc[]. Returns their number, SIZE_MAX
 * when out of memory. n log n. */
size_t proctree_descendants(const pid_t *pid, const pid_t *ppid, size_t n,
			    pid_t root, unsigned char *is_desc);

/* The last pid handed out in the caller's PID namespace
 * (/proc/sys/kernel/ns_last_pid), or -errno. */
long proctree_last_pid(void);

/* Pure part, for tests: was pid handed out after the namespace's last
 * pid was from and up to to (both read from ns_last_pid), the pid
 * counter wrapping at pid_max in between or not? */
bool proctree_pid_allocated_in(pid_t pid, long from, long to);

/* 0 when /proc is the one of self's PID namespace; -EXDEV when it shows
 * another one, -errno when it cannot be read. */
int proctree_is_ours(pid_t self);

#endif
