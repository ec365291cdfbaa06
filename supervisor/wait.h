/* wait: --wait-for, the dependencies checked before the first start. Each
 * round of checks runs in a forked checker process, so a slow resolver or
 * connect never keeps vigil from its signals and timers; the loop learns
 * the round is over when it reaps the checker. */
#ifndef VIGIL_WAIT_H
#define VIGIL_WAIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "options.h"
#include "spawn.h"
#include "wait_spec.h"

#define WAIT_ERROR_MAX 160

struct waiter {
	struct wait_spec spec[VIGIL_MAX_WAIT];
	unsigned n;
	bool held[VIGIL_MAX_WAIT];           /* held once: not checked again */
	bool checking[VIGIL_MAX_WAIT];       /* the round under way began it */
	char error[VIGIL_MAX_WAIT][WAIT_ERROR_MAX]; /* last failure, "" none yet */
	/* The checker could not take the command's credentials: the
	 * command's own start would fail the same way. */
	bool refused;
	struct spawn_error refusal;
	pid_t checker;                       /* 0: no round running */
	int rfd;                             /* the checker's result pipe */
	unsigned rounds;
};

/* Parent, before anything runs. 0, or -EINVAL with a one-line message. */
int waiter_prepare(struct waiter *w, const char *const *specs, unsigned n, char *err, size_t len);

/* Fork the checker for every spec not yet held. The checker first runs
 * drop(drop_ctx) (NULL: none), the command's privilege drop, so it checks
 * with the command's credentials; a failed drop checks nothing and is
 * reported as refused. 0 or -errno. */
int waiter_start_round(struct waiter *w, spawn_hook drop, void *drop_ctx);

enum deps_result {
	DEPS_PENDING,   /* some dependency does not hold yet */
	DEPS_READY,     /* every one holds */
	DEPS_REFUSED,   /* the checker could not take the command's
			 * credentials: w->refusal says why */
};

/* The reaped pid was the checker: read its results. */
bool waiter_owns(const struct waiter *w, pid_t pid);
enum deps_result waiter_collect(struct waiter *w);

/* Stop a running round (SIGKILL, reaped here) keeping what it found. */
void waiter_cancel(struct waiter *w);

/* Delay before the next round: short at first, then backing off. */
uint64_t waiter_retry_ms(const struct waiter *w);

/* The one line of a timeout: the first dependency not holding and why. */
void waiter_timeout_line(const struct waiter *w, uint64_t timeout_ms, char *buf, size_t len);

#endif
