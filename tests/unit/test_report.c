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
	/* No probe: the health fields are there, null. */
	ck_assert_ptr_nonnull(strstr(buf, "\"health_status\":null,\"health_checks\":null"));
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

/* Every field at its worst at once: the report still fits REPORT_JSON_MAX,
 * the long strings are cut with a marker, and the summary line plus the
 * whole report fit the termination log. */
START_TEST(worst_case_report_is_never_dropped)
{
	static char cmd[140000], err[300], herr[300];
	struct health_summary h = {
		.status = "unhealthy", .checks = (unsigned long)-1, .failures = (unsigned long)-1,
		.unhealthy_restarts = 4294967295u, .mean_probe_ms = 1e12, .last_error = herr,
	};
	struct exit_report r = base();
	char buf[REPORT_JSON_MAX], tlog[TERMINATION_LOG_MAX + 1];
	long n;

	memset(cmd, '\xff', sizeof(cmd) - 1);     /* 6 bytes each once escaped */
	memset(err, '\x01', sizeof(err) - 1);
	memset(herr, '\xff', sizeof(herr) - 1);
	r.health = &h;
	r.command = cmd;
	r.error = err;
	r.reason = "privilege_drop_failed";
	r.exit_code = -2147483647 - 1;
	r.have_status = true;
	r.status = SIGRTMAX;
	r.received_signal = SIGRTMAX;
	r.sender_pid = -2147483647 - 1;
	r.sender_uid = 4294967295u;
	r.pid = -2147483647 - 1;
	r.duration_s = 1e12;
	r.restarts = 4294967295u;
	r.reaped = (unsigned long)-1;
	r.leftovers = -9223372036854775807L - 1;
	r.killed = -9223372036854775807L - 1;
	r.oom_kills = -9223372036854775807L - 1;
	n = report_json(&r, buf, sizeof(buf));
	ck_assert_int_gt(n, 0);
	ck_assert_ptr_nonnull(strstr(buf, "\"health_status\":\"unhealthy\",\"health_checks\":"));
	ck_assert_ptr_nonnull(strstr(buf, "\\ufffd...\",\"error\":"));
	ck_assert_ptr_nonnull(strstr(buf, "\\ufffd...\",\"pid\":"));
	ck_assert_ptr_nonnull(strstr(buf, "\\u0001...\",\"vigil_version\":"));
	n = report_termination_text(&r, tlog, sizeof(tlog));
	ck_assert_int_gt(n, 0);
	ck_assert_int_le(n, TERMINATION_LOG_MAX);
	ck_assert_ptr_nonnull(strstr(tlog, "\n{\"schema_version\":1,"));
	ck_assert_ptr_nonnull(strstr(tlog, "}\n"));
}
END_TEST

/* The human line cannot be split or made invalid by the command name. */
START_TEST(summary_line_escapes_the_command)
{
	struct exit_report r = base();
	char tlog[TERMINATION_LOG_MAX + 1];

	r.command = "evil\nname\xff";
	ck_assert_int_gt(report_termination_text(&r, tlog, sizeof(tlog)), 0);
	ck_assert_ptr_nonnull(strstr(tlog, "vigil: evil\\nname\\ufffd exited with code 3"));
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
	tcase_add_test(tc, worst_case_report_is_never_dropped);
	tcase_add_test(tc, summary_line_escapes_the_command);
	suite_add_tcase(s, tc);
	return run_suite(s, KEEP_FORK_STATUS);
}
