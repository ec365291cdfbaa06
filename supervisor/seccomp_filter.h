/* seccomp_filter: the deny-list (EPERM, or ENOSYS where a libc falls
 * back) filter applied in the child. */
#ifndef VIGIL_SECCOMP_FILTER_H
#define VIGIL_SECCOMP_FILTER_H
#include <stdbool.h>
#include <stddef.h>
#include "spawn.h"

#define VIGIL_MAX_DENY 128

struct seccomp_plan {
	bool use_default;            /* --seccomp default */
	int extra[VIGIL_MAX_DENY];   /* --seccomp-deny, resolved syscall numbers */
	size_t nextra;
};

/* "mount,bpf" -> syscall numbers for the native arch. 0 or -EINVAL (*bad
 * set: unknown, or not a syscall of the native arch) or -E2BIG. */
int seccomp_parse_list(const char *list, int *nrs, size_t max, size_t *n, const char **bad);

/* The names in the default deny list, NULL-terminated (for docs and tests). */
extern const char *const seccomp_default_deny[];

/* The names denied with ENOSYS rather than EPERM, NULL-terminated. */
extern const char *const seccomp_enosys[];

/* Child side, after the privilege drop: load the filter. 0 or -1 with
 * e->stage = STAGE_SECCOMP. */
int seccomp_apply(const struct seccomp_plan *p, struct spawn_error *e);

#endif
