/* Unit tests for --rlimit: the parser (names, values, SOFT alone, order),
 * the refused-raise rule, and the child-side apply. */
#include <check.h>
#include <errno.h>
#include <string.h>
#include <sys/resource.h>

#include "rlimits.h"
#include "check_main.h"

static struct rlimit_req r;
static const char *bad;

START_TEST(names_and_values)
{
	ck_assert_int_eq(rlimit_parse("nofile=1024:4096", &r, &bad), 0);
	ck_assert_int_eq(r.resource, RLIMIT_NOFILE);
	ck_assert_str_eq(r.name, "nofile");
	ck_assert_uint_eq(r.lim.rlim_cur, 1024);
	ck_assert_uint_eq(r.lim.rlim_max, 4096);
	ck_assert_int_eq(rlimit_parse("core=unlimited", &r, &bad), 0);
	ck_assert_int_eq(r.resource, RLIMIT_CORE);
	ck_assert(r.lim.rlim_cur == RLIM_INFINITY && r.lim.rlim_max == RLIM_INFINITY);
	ck_assert_int_eq(rlimit_parse("STACK=8388608:infinity", &r, &bad), 0);
	ck_assert_int_eq(r.resource, RLIMIT_STACK);
	ck_assert(r.lim.rlim_max == RLIM_INFINITY);
	ck_assert_int_eq(rlimit_parse("memlock=0", &r, &bad), 0);
	ck_assert_uint_eq(r.lim.rlim_cur, 0);
	ck_assert_uint_eq(r.lim.rlim_max, 0);
}
END_TEST

START_TEST(every_documented_name_is_known)
{
	static const struct { const char *spec; int res; } all[] = {
		{ "as=1", RLIMIT_AS }, { "core=1", RLIMIT_CORE }, { "cpu=1", RLIMIT_CPU },
		{ "data=1", RLIMIT_DATA }, { "fsize=1", RLIMIT_FSIZE }, { "locks=1", RLIMIT_LOCKS },
		{ "memlock=1", RLIMIT_MEMLOCK }, { "msgqueue=1", RLIMIT_MSGQUEUE },
		{ "nice=1", RLIMIT_NICE }, { "nofile=1", RLIMIT_NOFILE }, { "nproc=1", RLIMIT_NPROC },
		{ "rss=1", RLIMIT_RSS }, { "rtprio=1", RLIMIT_RTPRIO }, { "rttime=1", RLIMIT_RTTIME },
		{ "sigpending=1", RLIMIT_SIGPENDING }, { "stack=1", RLIMIT_STACK },
	};

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		ck_assert_msg(rlimit_parse(all[i].spec, &r, &bad) == 0, "%s refused", all[i].spec);
		ck_assert_int_eq(r.resource, all[i].res);
	}
}
END_TEST

START_TEST(bad_specs_say_which_part)
{
	static const struct { const char *spec, *part; } all[] = {
		{ "nofle=1", "name" }, { "nofile", "name" }, { "=1", "name" }, { "nofilex=1", "name" },
		{ "nofile=", "value" }, { "nofile=-1", "value" }, { "nofile=1x", "value" },
		{ "nofile=1:", "value" }, { "nofile=1:2:3", "value" }, { "nofile= 1", "value" },
		{ "nofile=18446744073709551615", "value" }, { "nofile=99999999999999999999", "value" },
		{ "nofile=unlimitedx", "value" }, { "nofile=2:1", "order" },
		{ "core=unlimited:5", "order" },
	};

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		ck_assert_msg(rlimit_parse(all[i].spec, &r, &bad) == -EINVAL, "%s accepted", all[i].spec);
		ck_assert_msg(bad && strcmp(bad, all[i].part) == 0, "%s: part %s, want %s",
			      all[i].spec, bad ? bad : "(null)", all[i].part);
	}
}
END_TEST

START_TEST(only_a_hard_raise_needs_the_capability)
{
	const struct rlimit cur = { 1024, 4096 };

	ck_assert_int_eq(rlimit_parse("nofile=2048:4096", &r, &bad), 0);
	ck_assert(!rlimit_raise_refused(&r, &cur, false));
	ck_assert_int_eq(rlimit_parse("nofile=10:20", &r, &bad), 0);
	ck_assert(!rlimit_raise_refused(&r, &cur, false));
	ck_assert_int_eq(rlimit_parse("nofile=10:4097", &r, &bad), 0);
	ck_assert(rlimit_raise_refused(&r, &cur, false));
	ck_assert(!rlimit_raise_refused(&r, &cur, true));
	ck_assert_int_eq(rlimit_parse("nofile=unlimited", &r, &bad), 0);
	ck_assert(rlimit_raise_refused(&r, &cur, false));
}
END_TEST

/* In a forked test process: lower a limit, then refuse a raise. */
START_TEST(apply_sets_limits_and_names_the_one_that_failed)
{
	struct rlimit_req reqs[2];
	struct spawn_error e;
	struct rlimit got;

	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(rlimit_parse("fsize=4096:8192", &reqs[0], &bad), 0);
	ck_assert_int_eq(rlimit_apply(reqs, 1, &e), 0);
	ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &got), 0);
	ck_assert_uint_eq(got.rlim_cur, 4096);
	ck_assert_uint_eq(got.rlim_max, 8192);
	/* Raising the hard limit back needs CAP_SYS_RESOURCE. */
	reqs[1] = reqs[0];
	reqs[1].lim.rlim_cur = 9000;
	reqs[1].lim.rlim_max = 9000;
	if (rlimit_can_raise())
		return;
	ck_assert_int_eq(rlimit_apply(reqs, 2, &e), -1);
	ck_assert_int_eq(e.stage, STAGE_RLIMIT);
	ck_assert_int_eq(e.err, EPERM);
	ck_assert_str_eq(e.what, "set resource limit fsize");
}
END_TEST

START_TEST(format_says_unlimited)
{
	char buf[24];

	rlimit_format(RLIM_INFINITY, buf, sizeof(buf));
	ck_assert_str_eq(buf, "unlimited");
	rlimit_format(1024, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1024");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rlimits");
	TCase *tc = tcase_create("rlimits");

	tcase_add_test(tc, names_and_values);
	tcase_add_test(tc, every_documented_name_is_known);
	tcase_add_test(tc, bad_specs_say_which_part);
	tcase_add_test(tc, only_a_hard_raise_needs_the_capability);
	tcase_add_test(tc, apply_sets_limits_and_names_the_one_that_failed);
	tcase_add_test(tc, format_says_unlimited);
	suite_add_tcase(s, tc);
	/* Forked: apply changes the test process's own limits. */
	return run_suite(s, CK_FORK);
}
