/* Unit tests for the JSON exit report and the termination log. */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "report.h"
#include "check_main.h"

static struct exit_report base(void)
{
	struct exit_report r = {
		.reason = "exited", .exit_code = 3, .have_status = true,
		.status = 3 << 8, .command = "app", .pid = 7, .duration_s = 1.5,
		.oom_kills = 0,
	};
	return r;
}

START_TEST(exited_child_fields)
{
	struct exit_report r = base();
	char buf[2048];

	ck_assert_int_gt(report_json(&r, buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "{\"schema_version\":1,\"reason\":\"exited\",\"exit_code\":3,\"child_exit_code\":3,\"signal\":null,"));
	ck_assert_ptr_nonnull(strstr(buf, "\"received_signal\":null"));
	ck_assert_ptr_nonnull(strstr(buf, "\"oom_kills\":0"));
	ck_assert_ptr_nonnull(strstr(buf, "\"error\":null"));
}
END_TEST

START_TEST(signaled_child_fields)
{
	struct exit_report r = base();
	char buf[2048];

	r.reason = "grace_kill";
	r.status = SIGKILL;
	r.exit_code = 137;
	r.received_signal = SIGTERM;
	r.sender_pid = 42;
	r.sender_uid = 1000;
	ck_assert_int_gt(report_json(&r, buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "\"child_exit_code\":null,\"signal\":\"SIGKILL\",\"signal_number\":9,\"core_dumped\":false"));
	ck_assert_ptr_nonnull(strstr(buf, "\"received_signal\":\"SIGTERM\",\"received_signal_number\":15,\"sender_pid\":42,\"sender_uid\":1000"));
}
END_TEST

START_TEST(unknown_oom_is_null_and_error_escaped)
{
	struct exit_report r = base();
	char buf[2048];

	r.have_status = false;
	r.oom_kills = -1;
	r.reason = "exec_failed";
	r.error = "exec \"x\": No such file";
	ck_assert_int_gt(report_json(&r, buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "\"oom_kills\":null"));
	ck_assert_ptr_nonnull(strstr(buf, "\"error\":\"exec \\\"x\\\": No such file\""));
}
END_TEST

START_TEST(json_too_small_buffer_fails)
{
	struct exit_report r = base();
	char buf[64];

	ck_assert_int_eq(report_json(&r, buf, sizeof(buf)), -1);
}
END_TEST

START_TEST(termination_log_has_summary_and_fits)
{
	struct exit_report r = base();
	char buf[8192], big[6000];
	long n;

	n = report_termination_text(&r, buf, sizeof(buf));
	ck_assert_int_gt(n, 0);
	ck_assert_ptr_nonnull(strstr(buf, "vigil: app exited with code 3 after 1.500s (reason exited, exit code 3)\n{"));
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	r.command = big;
	n = report_termination_text(&r, buf, sizeof(buf));
	ck_assert_int_le(n, TERMINATION_LOG_MAX);
	ck_assert_int_le((long)strlen(buf), TERMINATION_LOG_MAX);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, exited_child_fields);
	tcase_add_test(tc, signaled_child_fields);
	tcase_add_test(tc, unknown_oom_is_null_and_error_escaped);
	tcase_add_test(tc, json_too_small_buffer_fails);
	tcase_add_test(tc, termination_log_has_summary_and_fits);
	suite_add_tcase(s, tc);
	return run_suite(s, KEEP_FORK_STATUS);
}
