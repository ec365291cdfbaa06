/* Unit tests for capability name lists (--cap-keep). */
#include <check.h>
#include <errno.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "check_main.h"

START_TEST(names_with_and_without_prefix)
{
	int caps[8];
	size_t n;
	const char *bad;

	ck_assert_int_eq(caps_parse_list("NET_BIND_SERVICE,cap_chown,CAP_SYS_ADMIN", caps, 8, &n, &bad), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(caps[0], CAP_NET_BIND_SERVICE);
	ck_assert_int_eq(caps[1], CAP_CHOWN);
	ck_assert_int_eq(caps[2], CAP_SYS_ADMIN);
	ck_assert_ptr_null(bad);
}
END_TEST

START_TEST(bad_name_points_at_it)
{
	int caps[8];
	size_t n;
	const char *bad;
	const char *list = "CHOWN,NOT_A_CAP,KILL";

	ck_assert_int_eq(caps_parse_list(list, caps, 8, &n, &bad), -EINVAL);
	ck_assert_ptr_eq(bad, list + 6);
	ck_assert_int_eq(caps_parse_list("", caps, 8, &n, &bad), -EINVAL);
	/* an empty name is pointed at too, not the name before it */
	list = "CHOWN,,KILL";
	ck_assert_int_eq(caps_parse_list(list, caps, 8, &n, &bad), -EINVAL);
	ck_assert_ptr_eq(bad, list + 6);
	list = "CHOWN,";
	ck_assert_int_eq(caps_parse_list(list, caps, 8, &n, &bad), -EINVAL);
	ck_assert_ptr_eq(bad, list + 6);
}
END_TEST

START_TEST(too_many_is_e2big)
{
	int caps[2];
	size_t n;
	const char *bad;

	ck_assert_int_eq(caps_parse_list("CHOWN,KILL,SETUID", caps, 2, &n, &bad), -E2BIG);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("caps");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, names_with_and_without_prefix);
	tcase_add_test(tc, bad_name_points_at_it);
	tcase_add_test(tc, too_many_is_e2big);
	suite_add_tcase(s, tc);
	return run_suite(s, KEEP_FORK_STATUS);
}
