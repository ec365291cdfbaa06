/* Unit tests for the restart policy, its backoff and the state file. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "restart.h"
#include "check_main.h"

START_TEST(state_text_round_trips)
{
	struct run_state a = { .runs = 4, .restarts = 2, .last_exit = 137 }, b;
	char buf[256];

	ck_assert_int_gt(restart_state_format(&a, buf, sizeof(buf)), 0);
	ck_assert_int_eq(restart_state_parse(buf, &b), 0);
	ck_assert_uint_eq(b.runs, 4);
	ck_assert_uint_eq(b.restarts, 2);
	ck_assert_int_eq(b.last_exit, 137);
}
END_TEST

START_TEST(state_parse_rejects_garbage)
{
	struct run_state s;

	ck_assert_int_eq(restart_state_parse("runs=1\nbogus=3\n", &s), -EINVAL);
	ck_assert_int_eq(restart_state_parse("runs=abc\n", &s), -EINVAL);
	ck_assert_int_eq(restart_state_parse("runs=-5\n", &s), -EINVAL);
	ck_assert_int_eq(restart_state_parse("just text\n", &s), -EINVAL);
}
END_TEST

START_TEST(state_parse_empty_is_fresh)
{
	struct run_state s = { 9, 9, 9 };

	ck_assert_int_eq(restart_state_parse("", &s), 0);
	ck_assert_uint_eq(s.runs, 0);
	ck_assert_uint_eq(s.restarts, 0);
	ck_assert_int_eq(s.last_exit, -1);
}
END_TEST

START_TEST(state_file_save_then_load)
{
	char dir[] = "/tmp/vigil-restart-XXXXXX", path[128];
	struct run_state a = { .runs = 1, .restarts = 0, .last_exit = -1 }, b;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state", dir);
	ck_assert_int_eq(restart_state_load(path, &b), 0);
	ck_assert_uint_eq(b.runs, 0);
	ck_assert_int_eq(restart_state_save(path, &a), 0);
	ck_assert_int_eq(restart_state_load(path, &b), 0);
	ck_assert_uint_eq(b.runs, 1);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(state_save_into_missing_dir_fails)
{
	struct run_state a = { 1, 0, -1 };

	ck_assert_int_eq(restart_state_save("/nonexistent-dir/state", &a), -ENOENT);
}
END_TEST

START_TEST(backoff_doubles_and_caps)
{
	ck_assert_uint_eq(restart_backoff_ms(100, 0), 100);
	ck_assert_uint_eq(restart_backoff_ms(100, 1), 200);
	ck_assert_uint_eq(restart_backoff_ms(100, 3), 800);
	ck_assert_uint_eq(restart_backoff_ms(100, 40), RESTART_DELAY_CAP_MS);
	ck_assert_uint_eq(restart_backoff_ms(0, 5), 0);
}
END_TEST

START_TEST(restart_only_on_failure_within_limit)
{
	ck_assert(!restart_wanted(RESTART_NO, 0, 0, 1));
	ck_assert(!restart_wanted(RESTART_ON_FAILURE, 3, 0, 0));
	ck_assert(restart_wanted(RESTART_ON_FAILURE, 3, 2, 1));
	ck_assert(!restart_wanted(RESTART_ON_FAILURE, 3, 3, 1));
	ck_assert(restart_wanted(RESTART_ON_FAILURE, 0, 1000, 137));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("restart");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, state_text_round_trips);
	tcase_add_test(tc, state_parse_rejects_garbage);
	tcase_add_test(tc, state_parse_empty_is_fresh);
	tcase_add_test(tc, state_file_save_then_load);
	tcase_add_test(tc, state_save_into_missing_dir_fails);
	tcase_add_test(tc, backoff_doubles_and_caps);
	tcase_add_test(tc, restart_only_on_failure_within_limit);
	suite_add_tcase(s, tc);
	return run_suite(s, KEEP_FORK_STATUS);
}
