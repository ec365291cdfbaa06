/* Unit tests for the health file: what vigil writes, and the verdict
 * `vigil health` reads from it (healthy, starting, unhealthy, stale). */
#include <check.h>
#include <string.h>

#include "health.h"
#include "check_main.h"

static struct health_record rec(enum health_status st)
{
	struct health_record h;

	health_record_init(&h, 30000, 10000);
	h.status = st;
	return h;
}

START_TEST(file_holds_every_documented_field)
{
	struct health_record h = rec(HS_UNHEALTHY);
	struct probe_outcome o = { .result = PR_FAIL, .exit_code = 3, .duration_ms = 40 };
	char buf[HEALTH_JSON_MAX];

	strcpy(o.error, "exit code 3");
	strcpy(o.output, "db down\n\"quoted\"");
	health_record_probe(&h, &o, 1000.5);
	h.checks = 4;
	h.failures = 3;
	h.fails = 3;
	ck_assert_int_gt(health_json(&h, 1001.0, buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "{\"status\":\"unhealthy\",\"schema_version\":1,\"consecutive_failures\":3,"
					  "\"checks\":4,\"failures\":3,\"unhealthy_restarts\":0,"));
	ck_assert_ptr_nonnull(strstr(buf, "\"interval_ms\":30000,\"timeout_ms\":10000,"));
	ck_assert_ptr_nonnull(strstr(buf, "\"last_duration_ms\":40,\"mean_duration_ms\":10.000000"));
	ck_assert_ptr_nonnull(strstr(buf, "\"last_exit_code\":3,\"last_error\":\"exit code 3\","
					  "\"last_output\":\"db down\\n\\\"quoted\\\"\"}\n"));
}
END_TEST

START_TEST(before_any_probe_the_results_are_null)
{
	struct health_record h = rec(HS_STARTING);
	char buf[HEALTH_JSON_MAX];

	ck_assert_int_gt(health_json(&h, 5.0, buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "\"last_check_unix\":null,\"last_duration_ms\":null,\"mean_duration_ms\":null,"
					  "\"last_exit_code\":null,\"last_error\":null,\"last_output\":null}"));
}
END_TEST

START_TEST(the_worst_output_fits)
{
	struct health_record h = rec(HS_HEALTHY);
	struct probe_outcome o = { .result = PR_FAIL, .exit_code = 1 };
	char buf[HEALTH_JSON_MAX];

	memset(o.error, '\x01', sizeof(o.error) - 1);
	memset(o.output, '\x02', sizeof(o.output) - 1);
	health_record_probe(&h, &o, 1e12);
	h.checks = (unsigned long)-1;
	ck_assert_int_gt(health_json(&h, 1e12, buf, sizeof(buf)), 0);
	/* The whole tail, not cut: 1 KiB, 6 bytes each once escaped. */
	ck_assert_uint_eq(strlen(strstr(buf, "\"last_output\":\"")), 15 + PROBE_OUTPUT_MAX * 6 + 3);
}
END_TEST

static int verdict(enum health_status st, double written, double now, char *why)
{
	struct health_record h = rec(st);
	char buf[HEALTH_JSON_MAX];

	ck_assert_int_gt(health_json(&h, written, buf, sizeof(buf)), 0);
	return health_verdict(buf, now, why, 300);
}

START_TEST(verdicts)
{
	char why[300];

	ck_assert_int_eq(verdict(HS_HEALTHY, 1000, 1001, why), 0);
	ck_assert_str_eq(why, "healthy");
	ck_assert_int_eq(verdict(HS_STARTING, 1000, 1001, why), 1);
	ck_assert_ptr_nonnull(strstr(why, "starting"));
	ck_assert_int_eq(verdict(HS_UNHEALTHY, 1000, 1001, why), 1);
	ck_assert_ptr_nonnull(strstr(why, "unhealthy"));
	/* Two intervals (30 s) and the timeout (10 s): 70 s. */
	ck_assert_int_eq(verdict(HS_HEALTHY, 1000, 1069, why), 0);
	ck_assert_int_eq(verdict(HS_HEALTHY, 1000, 1071, why), 1);
	ck_assert_ptr_nonnull(strstr(why, "stale"));
}
END_TEST

START_TEST(output_cannot_fake_a_healthy_status)
{
	struct health_record h = rec(HS_UNHEALTHY);
	struct probe_outcome o = { .result = PR_FAIL, .exit_code = 1 };
	char buf[HEALTH_JSON_MAX], why[300];

	strcpy(o.output, "\"status\":\"healthy\",\"updated_unix\":99999999999");
	health_record_probe(&h, &o, 10);
	h.checks = 1;
	/* Written with the key order of a file that puts status last. */
	ck_assert_int_gt(health_json(&h, 10, buf, sizeof(buf)), 0);
	ck_assert_int_eq(health_verdict(buf, 11, why, sizeof(why)), 1);
	ck_assert_ptr_nonnull(strstr(why, "unhealthy"));
}
END_TEST

START_TEST(other_text_is_invalid)
{
	char why[300];

	ck_assert_int_eq(health_verdict("", 1, why, sizeof(why)), 1);
	ck_assert_ptr_nonnull(strstr(why, "invalid"));
	ck_assert_int_eq(health_verdict("{\"status\":\"healthy\"}", 1, why, sizeof(why)), 1);
	ck_assert_ptr_nonnull(strstr(why, "invalid"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("health");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, file_holds_every_documented_field);
	tcase_add_test(tc, before_any_probe_the_results_are_null);
	tcase_add_test(tc, the_worst_output_fits);
	tcase_add_test(tc, verdicts);
	tcase_add_test(tc, output_cannot_fake_a_healthy_status);
	tcase_add_test(tc, other_text_is_invalid);
	suite_add_tcase(s, tc);
	return run_suite(s, KEEP_FORK_STATUS);
}
