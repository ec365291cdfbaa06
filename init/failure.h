/* failure: every way a start can fail, mapped in one table to vigil's
 * exit code and the exit report's reason. Whoever finds the failure prints
 * the one line saying what was attempted; this table only names it. */
#ifndef VIGIL_FAILURE_H
#define VIGIL_FAILURE_H

#include "spawn.h"

enum failure {
	FAIL_USAGE = 0,      /* bad flag or value, found before anything ran */
	FAIL_PRIV,           /* privilege drop impossible or refused */
	FAIL_SECCOMP,        /* the seccomp filter could not be built or loaded */
	FAIL_PREFLIGHT,      /* --preflight fail found /tmp unusable */
	FAIL_NOT_FOUND,      /* the command does not exist */
	FAIL_NOT_EXECUTABLE, /* it exists but cannot be executed */
	FAIL_RESTART_REFUSED,/* the state file shows a runtime restart, policy no */
	FAIL_RESTART_LIMIT,  /* the restart limit is used up */
	FAIL_UNHEALTHY,      /* --on-unhealthy stop (or restart, limit used up) ended it */
	FAIL_DEP_TIMEOUT,    /* a --wait-for dependency did not hold in time */
	FAIL_RLIMIT,         /* an --rlimit vigil may not set (a hard limit raise) */
	FAIL_INTERNAL,       /* vigil's own failure: fork, timerfd, /proc ... */
	FAIL_COUNT
};

struct failure_info {
	int exit_code;
	const char *reason;  /* the report's "reason" */
};

const struct failure_info *failure_info(enum failure f);

/* Which failure a spawn error is. */
enum failure failure_of_spawn(const struct spawn_error *e);

#endif
