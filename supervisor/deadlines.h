/* deadlines: the supervisor's timers by purpose behind one timerfd. Each
 * purpose has its own deadline; the timerfd is set to the earliest one and
 * disarmed when none is pending, so nothing wakes an idle vigil. */
#ifndef VIGIL_DEADLINES_H
#define VIGIL_DEADLINES_H

#include <stdint.h>

#include "machine.h"

struct deadlines {
	uint64_t due_ns[TM_COUNT];   /* CLOCK_MONOTONIC; 0: not pending */
};

/* Pure bookkeeping, times in nanoseconds of CLOCK_MONOTONIC. */
void deadlines_set(struct deadlines *d, enum timer_id t, uint64_t now_ns, uint64_t after_ms);
void deadlines_clear(struct deadlines *d, enum timer_id t);
/* Earliest pending deadline, 0 when none is. */
uint64_t deadlines_next(const struct deadlines *d);
/* Clears the deadlines that are due at now_ns and returns them as a bit
 * mask (1 << timer_id), earliest purpose first in enum order. */
unsigned deadlines_take_due(struct deadlines *d, uint64_t now_ns);

/* The timerfd side: program fd for the earliest deadline (or disarm it).
 * 0 or -errno. */
int deadlines_program(const struct deadlines *d, int fd);
uint64_t deadlines_now_ns(void);

#endif
