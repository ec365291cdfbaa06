/* test_parse: the option value parsers (durations, exit codes, signal
 * rewrites, restart policies) are pure functions over strings. */
#include "parse.h"

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include "check_main.h"

static const char *show(const char *s)
{
	return s ? s : "(null)";
}

static uint64_t dur(const char *s)
{
	uint64_t ms = 12345;
	int r = parse_duration_ms(s, &ms);

	ck_assert_msg(r == 0, "parse_duration_ms(\"%s\") = %d", s, r);
	return ms;
}

static void dur_bad(const char *s)
{
	uint64_t ms = 12345;
	int r = parse_duration_ms(s, &ms);

	ck_assert_msg(r < 0, "parse_duration_ms(\"%s\") accepted: %llu", show(s), (unsigned long long)ms);
	ck_assert_msg(ms == 12345, "parse_duration_ms(\"%s\") wrote output on failure", show(s));
}

START_TEST(duration_units_scale_to_ms)
{
	ck_assert_uint_eq(dur("500ms"), 500);
	ck_assert_uint_eq(dur("5s"), 5000);
	ck_assert_uint_eq(dur("2m"), 120000);
	ck_assert_uint_eq(dur("2min"), 120000);
	ck_assert_uint_eq(dur("1h"), 3600000);
}
END_TEST

START_TEST(duration_plain_number_is_seconds)
{
	ck_assert_uint_eq(dur("7"), 7000);
	ck_assert_uint_eq(dur("0"), 0);
	ck_assert_uint_eq(dur("0ms"), 0);
}
END_TEST

START_TEST(duration_fraction_is_exact)
{
	ck_assert_uint_eq(dur("1.5s"), 1500);
	ck_assert_uint_eq(dur("0.25"), 250);
	ck_assert_uint_eq(dur("1.5m"), 90000);
	ck_assert_uint_eq(dur("0.001s"), 1);
}
END_TEST

START_TEST(duration_rejects_malformed)
{
	dur_bad("");
	dur_bad("ms");
	dur_bad("5x");
	dur_bad("5 s");
	dur_bad("-1");
	dur_bad("1.");
	dur_bad(".5s");
	dur_bad("5sms");
	dur_bad(NULL);
}
END_TEST

START_TEST(duration_rejects_overflow)
{
	dur_bad("99999999999999999999999");
	dur_bad("18446744073709551616ms");
	/* Pass a digit-count guard but overflow once multiplied by the unit. */
	dur_bad("5124095576039h");
	dur_bad("5124095576030.999h");
}
END_TEST

START_TEST(duration_accepts_largest_hours_that_fit)
{
	/* 5124095576030 h = 18446744073708000000 ms <= UINT64_MAX */
	ck_assert_uint_eq(dur("5124095576030h"), UINT64_C(18446744073708000000));
}
END_TEST

static int code(const char *s)
{
	int c = -1;
	int r = parse_exit_code(s, &c);

	ck_assert_msg(r == 0, "parse_exit_code(\"%s\") = %d", s, r);
	return c;
}

static void code_bad(const char *s)
{
	int c = -1;

	ck_assert_msg(parse_exit_code(s, &c) < 0, "parse_exit_code(\"%s\") accepted", s);
	ck_assert_int_eq(c, -1);
}

START_TEST(exit_code_accepts_0_to_255)
{
	ck_assert_int_eq(code("0"), 0);
	ck_assert_int_eq(code("1"), 1);
	ck_assert_int_eq(code("255"), 255);
}
END_TEST

START_TEST(exit_code_rejects_out_of_range_and_garbage)
{
	code_bad("256");
	code_bad("99999999999999999999");
	code_bad("abc");
	code_bad("");
	code_bad(" 1");
	code_bad("1 ");
	code_bad("-1");
	code_bad("+1");
}
END_TEST

static void rw(const char *s, int from, int to)
{
	int f = -1, t = -1;
	int r = parse_rewrite(s, &f, &t);

	ck_assert_msg(r == 0, "parse_rewrite(\"%s\") = %d", s, r);
	ck_assert_int_eq(f, from);
	ck_assert_int_eq(t, to);
}

static void rw_bad(const char *s)
{
	int f = -1, t = -1;

	ck_assert_msg(parse_rewrite(s, &f, &t) < 0, "parse_rewrite(\"%s\") accepted: %d:%d", show(s), f, t);
	ck_assert_int_eq(f, -1);
	ck_assert_int_eq(t, -1);
}

START_TEST(rewrite_accepts_names_and_numbers)
{
	rw("TERM:QUIT", SIGTERM, SIGQUIT);
	rw("15:3", 15, 3);
	rw("SIGUSR1:sigusr2", SIGUSR1, SIGUSR2);
	rw("RTMIN+1:TERM", SIGRTMIN + 1, SIGTERM);
}
END_TEST

START_TEST(rewrite_to_zero_means_drop)
{
	rw("HUP:0", SIGHUP, 0);
}
END_TEST

START_TEST(rewrite_rejects_malformed)
{
	rw_bad("TERM");
	rw_bad(":3");
	rw_bad("TERM:");
	rw_bad("TERM:FOO");
	rw_bad("0:15");
	rw_bad("TERM:QUIT:HUP");
	rw_bad("");
	rw_bad(NULL);
}
END_TEST

static void rs(const char *s, enum restart_mode mode, unsigned max)
{
	enum restart_mode m = (enum restart_mode)77;
	unsigned x = 77;
	int r = parse_restart(s, &m, &x);

	ck_assert_msg(r == 0, "parse_restart(\"%s\") = %d", s, r);
	ck_assert_int_eq(m, mode);
	ck_assert_uint_eq(x, max);
}

static void rs_bad(const char *s)
{
	enum restart_mode m = (enum restart_mode)77;
	unsigned x = 77;

	ck_assert_msg(parse_restart(s, &m, &x) < 0, "parse_restart(\"%s\") accepted", show(s));
	ck_assert_uint_eq(x, 77);
}

START_TEST(restart_accepts_no_and_on_failure)
{
	rs("no", RESTART_NO, 0);
	rs("on-failure", RESTART_ON_FAILURE, 0);
	rs("on-failure:5", RESTART_ON_FAILURE, 5);
}
END_TEST

START_TEST(restart_rejects_zero_max_always_and_garbage)
{
	rs_bad("on-failure:0");
	rs_bad("always");
	rs_bad("on-failure:x");
	rs_bad("on-failure:");
	rs_bad("on-failurex");
	rs_bad("on-failure:5x");
	rs_bad("");
	rs_bad(NULL);
}
END_TEST

START_TEST(uint_max_reports_range_separately)
{
	unsigned long v = 9;

	ck_assert_int_eq(parse_uint_max("10", 10, &v), 0);
	ck_assert_uint_eq(v, 10);
	ck_assert_int_eq(parse_uint_max("11", 10, &v), -ERANGE);
	ck_assert_int_eq(parse_uint_max("1a", 10, &v), -EINVAL);
	ck_assert_uint_eq(v, 10);
}
END_TEST

static Suite *parse_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *d = tcase_create("duration");
	TCase *e = tcase_create("exit_code");
	TCase *r = tcase_create("rewrite");
	TCase *p = tcase_create("restart");

	tcase_add_test(d, duration_units_scale_to_ms);
	tcase_add_test(d, duration_plain_number_is_seconds);
	tcase_add_test(d, duration_fraction_is_exact);
	tcase_add_test(d, duration_rejects_malformed);
	tcase_add_test(d, duration_rejects_overflow);
	tcase_add_test(d, duration_accepts_largest_hours_that_fit);
	suite_add_tcase(s, d);

	tcase_add_test(e, exit_code_accepts_0_to_255);
	tcase_add_test(e, exit_code_rejects_out_of_range_and_garbage);
	tcase_add_test(e, uint_max_reports_range_separately);
	suite_add_tcase(s, e);

	tcase_add_test(r, rewrite_accepts_names_and_numbers);
	tcase_add_test(r, rewrite_to_zero_means_drop);
	tcase_add_test(r, rewrite_rejects_malformed);
	suite_add_tcase(s, r);

	tcase_add_test(p, restart_accepts_no_and_on_failure);
	tcase_add_test(p, restart_rejects_zero_max_always_and_garbage);
	suite_add_tcase(s, p);
	return s;
}

int main(void)
{
	return run_suite(parse_suite(), KEEP_FORK_STATUS);
}
