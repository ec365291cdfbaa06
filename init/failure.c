/* failure: the one table of start failures; see failure.h. */
#include "failure.h"

#include "vigil.h"

#include <errno.h>

static const struct failure_info table[FAIL_COUNT] = {
	[FAIL_USAGE] = { EXIT_USAGE, "usage_error" },
	[FAIL_PRIV] = { EXIT_PRIV_FAILED, "privilege_drop_failed" },
	[FAIL_SECCOMP] = { EXIT_INTERNAL, "seccomp_failed" },
	[FAIL_PREFLIGHT] = { EXIT_PREFLIGHT_FAILED, "preflight_failed" },
	[FAIL_NOT_FOUND] = { EXIT_NOTFOUND, "exec_failed" },
	[FAIL_NOT_EXECUTABLE] = { EXIT_NOEXEC, "exec_failed" },
	[FAIL_RESTART_REFUSED] = { EXIT_RESTART_REFUSED, "restart_refused" },
	[FAIL_RESTART_LIMIT] = { EXIT_RESTART_REFUSED, "restart_limit" },
	[FAIL_UNHEALTHY] = { EXIT_UNHEALTHY, "unhealthy" },
	[FAIL_DEP_TIMEOUT] = { EXIT_DEP_TIMEOUT, "dependency_timeout" },
	/* Like a refused drop: vigil lacks a privilege it was asked to use. */
	[FAIL_RLIMIT] = { EXIT_PRIV_FAILED, "rlimit_refused" },
	[FAIL_INTERNAL] = { EXIT_INTERNAL, "internal_error" },
};

const struct failure_info *failure_info(enum failure f)
{
	return &table[(unsigned)f < FAIL_COUNT ? f : FAIL_INTERNAL];
}

enum failure failure_of_spawn(const struct spawn_error *e)
{
	switch (e->stage) {
	case STAGE_EXEC:
		return e->err == ENOENT ? FAIL_NOT_FOUND : FAIL_NOT_EXECUTABLE;
	case STAGE_PRIV:
		return FAIL_PRIV;
	case STAGE_PREFLIGHT:
		return FAIL_PREFLIGHT;
	case STAGE_SECCOMP:
		return FAIL_SECCOMP;
	case STAGE_RLIMIT:
		return FAIL_RLIMIT;
	default:
		return FAIL_INTERNAL;
	}
}
