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
	struct safe_dest d;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state", dir);
	ck_assert_int_eq(safefile_open(&d, path, false), 0);
	ck_assert_int_eq(restart_state_load(&d, &b), 0);
	ck_assert_uint_eq(b.runs, 0);
	ck_assert_int_eq(restart_state_save(&d, &a), 0);
	ck_assert_int_eq(restart_state_load(&d, &b), 0);
	ck_assert_uint_eq(b.runs, 1);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(state_save_into_missing_dir_fails)
{
	struct safe_dest d;

	ck_assert_int_eq(safefile_open(&d, "/nonexistent-dir/state", false), -SF_NOFOLDER);
	ck_assert(!d.ready);
}
END_TEST

/* The whole file counts, not its first few hundred bytes: a long comment
 * before runs= must not turn a refused restart into a fresh start. */
START_TEST(state_load_reads_past_a_long_comment)
{
	char dir[] = "/tmp/vigil-restart-XXXXXX", path[128];
	static char text[20000];
	struct run_state b;
	struct safe_dest d;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state", dir);
	memset(text, 'c', sizeof(text));
	text[0] = '#';
	text[sizeof(text) - 1] = '\0';
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%s\nruns=5\nrestarts=2\nlast_exit=3\n", text);
	fclose(f);
	ck_assert_int_eq(safefile_open(&d, path, false), 0);
	ck_assert_int_eq(restart_state_load(&d, &b), 0);
	ck_assert_uint_eq(b.runs, 5);
	ck_assert_uint_eq(b.restarts, 2);
	ck_assert_int_eq(b.last_exit, 3);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(state_load_refuses_a_huge_file)
{
	char dir[] = "/tmp/vigil-restart-XXXXXX", path[128];
	struct run_state b;
	struct safe_dest d;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < RESTART_STATE_MAX / 8 + 1; i++)
		fputs("#......\n", f);
	fclose(f);
	ck_assert_int_eq(safefile_open(&d, path, false), 0);
	ck_assert_int_eq(restart_state_load(&d, &b), -EFBIG);
	unlink(path);
	rmdir(dir);
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
	tcase_add_test(tc, state_load_reads_past_a_long_comment);
	tcase_add_test(tc, state_load_refuses_a_huge_file);
	tcase_add_test(tc, backoff_doubles_and_caps);
	tcase_add_test(tc, restart_only_on_failure_within_limit);
	suite_add_tcase(s, tc);
	return run_suite(s, KEEP_FORK_STATUS);
}
