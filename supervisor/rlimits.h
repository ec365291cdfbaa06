/* rlimits: --rlimit NAME=SOFT[:HARD] and --core-dumps. Parsed and checked
 * in the parent before anything starts; applied with setrlimit in the
 * child (the command's and the probes') before the privilege drop, while
 * vigil may still raise a hard limit. */
#ifndef VIGIL_RLIMITS_H
#define VIGIL_RLIMITS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>

#include "spawn.h"

struct rlimit_req {
	int resource;              /* RLIMIT_* */
	const char *name;          /* "nofile", ... */
	struct rlimit lim;
};

/* Pure: "nofile=1024:4096", "core=unlimited" (SOFT alone sets both, as
 * Docker's --ulimit does). Names as in prlimit(1), any case. 0, or
 * -EINVAL with *bad naming the part at fault ("name", "value", "order"). */
int rlimit_parse(const char *spec, struct rlimit_req *r, const char **bad);

/* Pure: r would raise cur's hard limit and vigil may not. */
bool rlimit_raise_refused(const struct rlimit_req *r, const struct rlimit *cur, bool can_raise);

/* Whether vigil holds CAP_SYS_RESOURCE in its effective set. */
bool rlimit_can_raise(void);

/* Child side, async-signal-safe: every limit in order. 0, or -1 with *e
 * (STAGE_RLIMIT) naming the limit. */
int rlimit_apply(const struct rlimit_req *r, unsigned n, struct spawn_error *e);

/* "1024", "unlimited" */
void rlimit_format(rlim_t v, char *buf, size_t len);

#endif
