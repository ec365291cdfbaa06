/* Unit tests for $NOTIFY_SOCKET parsing: path and abstract addresses with
 * the lengths the kernel expects, and the values refused. */
#include <check.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "notify.h"
#include "check_main.h"

static struct sockaddr_un a;
static socklen_t len;

START_TEST(path_address_includes_the_nul)
{
	ck_assert_int_eq(notify_parse_addr("/run/notify.sock", &a, &len), 0);
	ck_assert_int_eq(a.sun_family, AF_UNIX);
	ck_assert_str_eq(a.sun_path, "/run/notify.sock");
	ck_assert_uint_eq(len, offsetof(struct sockaddr_un, sun_path) + strlen("/run/notify.sock") + 1);
}
END_TEST

START_TEST(abstract_address_has_a_leading_nul_and_exact_length)
{
	ck_assert_int_eq(notify_parse_addr("@podman/notify", &a, &len), 0);
	ck_assert_int_eq(a.sun_path[0], '\0');
	ck_assert_int_eq(memcmp(a.sun_path + 1, "podman/notify", 13), 0);
	ck_assert_uint_eq(len, offsetof(struct sockaddr_un, sun_path) + 14);
}
END_TEST

START_TEST(bad_values_are_refused)
{
	char longpath[200];

	ck_assert_int_eq(notify_parse_addr(NULL, &a, &len), -EINVAL);
	ck_assert_int_eq(notify_parse_addr("", &a, &len), -EINVAL);
	ck_assert_int_eq(notify_parse_addr("@", &a, &len), -EINVAL);
	ck_assert_int_eq(notify_parse_addr("relative.sock", &a, &len), -EINVAL);
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	ck_assert_int_eq(notify_parse_addr(longpath, &a, &len), -ENAMETOOLONG);
	longpath[0] = '@';
	ck_assert_int_eq(notify_parse_addr(longpath, &a, &len), -ENAMETOOLONG);
	/* The longest that fits: 107 bytes and the NUL; 108 abstract. */
	longpath[0] = '/';
	longpath[sizeof(a.sun_path) - 1] = '\0';
	ck_assert_int_eq(notify_parse_addr(longpath, &a, &len), 0);
	longpath[0] = '@';
	longpath[sizeof(a.sun_path) - 1] = 'a';
	longpath[sizeof(a.sun_path)] = '\0';
	ck_assert_int_eq(notify_parse_addr(longpath, &a, &len), 0);
	ck_assert_uint_eq(len, sizeof(a));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("notify");
	TCase *tc = tcase_create("addr");

	tcase_add_test(tc, path_address_includes_the_nul);
	tcase_add_test(tc, abstract_address_has_a_leading_nul_and_exact_length);
	tcase_add_test(tc, bad_values_are_refused);
	suite_add_tcase(s, tc);
	return run_suite(s, KEEP_FORK_STATUS);
}
