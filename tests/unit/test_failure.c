/* Unit tests for the one table of start failures: each way a start can
 * fail has the exit code and report reason README documents. */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "failure.h"
#include "vigil.h"
#include "check_main.h"

static enum failure of(int stage, int err)
{
	struct spawn_error e;

	memset(&e, 0, sizeof(e));
	e.stage = stage;
	e.err = err;
	return failure_of_spawn(&e);
}

START_TEST(spawn_stages_map_to_their_failure)
{
	ck_assert_int_eq(of(STAGE_EXEC, ENOENT), FAIL_NOT_FOUND);
	ck_assert_int_eq(of(STAGE_EXEC, EACCES), FAIL_NOT_EXECUTABLE);
	ck_assert_int_eq(of(STAGE_EXEC, ENOEXEC), FAIL_NOT_EXECUTABLE);
	ck_assert_int_eq(of(STAGE_PRIV, EPERM), FAIL_PRIV);
	ck_assert_int_eq(of(STAGE_PREFLIGHT, EROFS), FAIL_PREFLIGHT);
	ck_assert_int_eq(of(STAGE_SECCOMP, EINVAL), FAIL_SECCOMP);
	ck_assert_int_eq(of(STAGE_SETUP, EAGAIN), FAIL_INTERNAL);
	ck_assert_int_eq(of(STAGE_RLIMIT, EPERM), FAIL_RLIMIT);
}
END_TEST

START_TEST(each_failure_has_its_documented_code_and_reason)
{
	static const struct { enum failure f; int code; const char *reason; } want[] = {
		{ FAIL_USAGE, 64, "usage_error" },
		{ FAIL_PRIV, 77, "privilege_drop_failed" },
		{ FAIL_SECCOMP, 125, "seccomp_failed" },
		{ FAIL_PREFLIGHT, 78, "preflight_failed" },
		{ FAIL_NOT_FOUND, 127, "exec_failed" },
		{ FAIL_NOT_EXECUTABLE, 126, "exec_failed" },
		{ FAIL_RESTART_REFUSED, 75, "restart_refused" },
		{ FAIL_RESTART_LIMIT, 75, "restart_limit" },
		{ FAIL_UNHEALTHY, 69, "unhealthy" },
		{ FAIL_DEP_TIMEOUT, 68, "dependency_timeout" },
		{ FAIL_RLIMIT, 77, "rlimit_refused" },
		{ FAIL_INTERNAL, 125, "internal_error" },
	};

	ck_assert_uint_eq(sizeof(want) / sizeof(want[0]), FAIL_COUNT);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		ck_assert_int_eq(failure_info(want[i].f)->exit_code, want[i].code);
		ck_assert_str_eq(failure_info(want[i].f)->reason, want[i].reason);
	}
	/* Out of range is vigil's own failure, never a crash. */
	ck_assert_str_eq(failure_info(FAIL_COUNT)->reason, "internal_error");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("failure");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, spawn_stages_map_to_their_failure);
	tcase_add_test(tc, each_failure_has_its_documented_code_and_reason);
	suite_add_tcase(s, tc);
	return run_suite(s, KEEP_FORK_STATUS);
}
