/* cgroup: the OOM-kill counter of vigil's memory cgroup, v1 or v2. */
#ifndef VIGIL_CGROUP_H
#define VIGIL_CGROUP_H

/* Current oom_kill count, or -errno when no memory cgroup is readable. */
long cgroup_oom_kills(void);

/* Pure helpers for tests. From /proc/self/cgroup text: the path of the
 * memory controller (v1 "N:memory:/p" or, failing that, v2 "0::/p").
 * Returns 1 for v1, 2 for v2, -ENOENT. */
int cgroup_memory_path(const char *proc_cgroup, char *path, unsigned long len);
/* Value of "oom_kill N" in memory.events / memory.oom_control text, or -ENOENT. */
long cgroup_parse_oom_kill(const char *text);

#endif
