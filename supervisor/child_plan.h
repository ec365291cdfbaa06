/* child_plan: what supervisor mode does in the child between fork and
 * exec, in this order: resource limits, privilege drop, /tmp preflight,
 * seccomp. Prepared
 * in the parent (names resolved, lists parsed) so the child only applies
 * it. The only module that knows whether libcap-ng and libseccomp exist. */
#ifndef VIGIL_CHILD_PLAN_H
#define VIGIL_CHILD_PLAN_H

#include "config.h"
#include "failure.h"
#include "options.h"
#include "rlimits.h"
#include "spawn.h"

#include <stdbool.h>
#include <stddef.h>

#if HAVE_CAPNG
#include "user.h"
#endif
#if HAVE_SECCOMP
#include "seccomp_filter.h"
#endif

enum bounding_state { BOUNDING_NONE = 0, BOUNDING_CLEARED, BOUNDING_KEPT };

struct child_plan {
	enum preflight_mode preflight;
	bool want_drop;
	bool own_session;            /* the dropped child must not share our terminal */
	enum bounding_state bounding;
	struct rlimit_req rlimits[VIGIL_MAX_RLIMITS];
	unsigned nrlimits;
#if HAVE_CAPNG
	struct user_target user;
	struct drop_plan drop;
	struct tty_owner tty_before; /* given back by child_plan_finish */
#endif
#if HAVE_SECCOMP
	bool want_seccomp;
	struct seccomp_plan seccomp;
#endif
};

/* Parent side, before the first fork. 0, or -1 with *f and a one-line
 * message in err (nothing printed). */
int child_plan_prepare(struct child_plan *p, const struct sup_options *so,
		       enum failure *f, char *err, size_t errlen);

/* The spawn hook: runs in the child. ctx is the struct child_plan. */
int child_plan_run(void *ctx, struct spawn_error *e);

/* Only the privilege drop of the plan (uid, gids, kept capabilities), for
 * the --wait-for checker: it must reach what the command will reach, and
 * runs vigil's own code, so limits, preflight and seccomp are no part of
 * it. Nothing to do without --user/--cap-keep. A spawn hook, as above. */
int child_plan_drop(void *ctx, struct spawn_error *e);

/* At exit: give back what preparing took (the terminal's owner). */
void child_plan_finish(struct child_plan *p);

#endif
