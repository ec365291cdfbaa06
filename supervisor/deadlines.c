/* deadlines: see deadlines.h. The timerfd is absolute (TFD_TIMER_ABSTIME),
 * so re-programming it after every change never stretches a deadline. */
#include "deadlines.h"

#include <errno.h>
#include <sys/timerfd.h>
#include <time.h>

void deadlines_set(struct deadlines *d, enum timer_id t, uint64_t now_ns, uint64_t after_ms)
{
	/* A zero deadline means "not pending": a due-now one is 1 ns later. */
	d->due_ns[t] = now_ns + after_ms * 1000000u + (after_ms ? 0 : 1);
}

void deadlines_clear(struct deadlines *d, enum timer_id t)
{
	d->due_ns[t] = 0;
}

uint64_t deadlines_next(const struct deadlines *d)
{
	uint64_t next = 0;

	for (int t = 0; t < TM_COUNT; t++)
		if (d->due_ns[t] && (!next || d->due_ns[t] < next))
			next = d->due_ns[t];
	return next;
}

unsigned deadlines_take_due(struct deadlines *d, uint64_t now_ns)
{
	unsigned due = 0;

	for (int t = 0; t < TM_COUNT; t++) {
		if (d->due_ns[t] && d->due_ns[t] <= now_ns) {
			due |= 1u << t;
			d->due_ns[t] = 0;
		}
	}
	return due;
}

int deadlines_program(const struct deadlines *d, int fd)
{
	struct itimerspec its = { 0 };
	uint64_t next = deadlines_next(d);

	its.it_value.tv_sec = (time_t)(next / 1000000000u);
	its.it_value.tv_nsec = (long)(next % 1000000000u);
	if (timerfd_settime(fd, next ? TFD_TIMER_ABSTIME : 0, &its, NULL) < 0)
		return -errno;
	return 0;
}

uint64_t deadlines_now_ns(void)
{
	struct timespec ts;

	/* CLOCK_MONOTONIC cannot fail with a valid pointer. */
	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
