/* Unit tests for the per-purpose deadlines behind the supervisor's single
 * timerfd: several may be pending at once, each fires exactly once. */
#include <check.h>
#include <stdint.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "deadlines.h"
#include "check_main.h"

#define MS UINT64_C(1000000)

START_TEST(none_pending_means_no_deadline)
{
	struct deadlines d = { { 0 } };

	ck_assert_uint_eq(deadlines_next(&d), 0);
	ck_assert_uint_eq(deadlines_take_due(&d, UINT64_MAX), 0);
}
END_TEST

START_TEST(earliest_of_several_purposes_comes_first)
{
	struct deadlines d = { { 0 } };

	deadlines_set(&d, TM_GRACE, 1000 * MS, 5000);
	deadlines_set(&d, TM_TERM_DELAY, 1000 * MS, 200);
	ck_assert_uint_eq(deadlines_next(&d), 1200 * MS);
	ck_assert_uint_eq(deadlines_take_due(&d, 1199 * MS), 0);
	ck_assert_uint_eq(deadlines_take_due(&d, 1200 * MS), 1u << TM_TERM_DELAY);
	/* Taken once: it does not fire again. */
	ck_assert_uint_eq(deadlines_take_due(&d, 1300 * MS), 0);
	ck_assert_uint_eq(deadlines_next(&d), 6000 * MS);
	deadlines_clear(&d, TM_GRACE);
	ck_assert_uint_eq(deadlines_next(&d), 0);
}
END_TEST

START_TEST(zero_delay_is_due_at_once_but_pending)
{
	struct deadlines d = { { 0 } };

	deadlines_set(&d, TM_RESTART, 0, 0);
	ck_assert_uint_ne(deadlines_next(&d), 0);
	ck_assert_uint_eq(deadlines_take_due(&d, 1), 1u << TM_RESTART);
}
END_TEST

START_TEST(timerfd_follows_the_earliest_and_disarms_when_none)
{
	struct deadlines d = { { 0 } };
	struct itimerspec cur;
	uint64_t ticks;
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	deadlines_set(&d, TM_GRACE, deadlines_now_ns(), 60000);
	deadlines_set(&d, TM_TERM_DELAY, deadlines_now_ns(), 10);
	ck_assert_int_eq(deadlines_program(&d, fd), 0);
	ck_assert_int_eq(read(fd, &ticks, sizeof(ticks)), (int)sizeof(ticks));
	ck_assert_uint_eq(deadlines_take_due(&d, deadlines_now_ns()), 1u << TM_TERM_DELAY);
	ck_assert_int_eq(deadlines_program(&d, fd), 0);
	ck_assert_int_eq(timerfd_gettime(fd, &cur), 0);
	ck_assert(cur.it_value.tv_sec > 50);
	deadlines_clear(&d, TM_GRACE);
	ck_assert_int_eq(deadlines_program(&d, fd), 0);
	ck_assert_int_eq(timerfd_gettime(fd, &cur), 0);
	ck_assert(cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);
	close(fd);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("deadlines");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, none_pending_means_no_deadline);
	tcase_add_test(tc, earliest_of_several_purposes_comes_first);
	tcase_add_test(tc, zero_delay_is_due_at_once_but_pending);
	tcase_add_test(tc, timerfd_follows_the_earliest_and_disarms_when_none);
	suite_add_tcase(s, tc);
	return run_suite(s, KEEP_FORK_STATUS);
}
