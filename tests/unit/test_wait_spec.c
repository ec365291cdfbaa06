/* Unit tests for the --wait-for parser: every kind of spec, the host and
 * port forms, and what is refused before anything runs. */
#include <check.h>
#include <string.h>

#include "wait_spec.h"
#include "check_main.h"

static struct wait_spec w;
static const char *why;

static void ok(const char *spec)
{
	int r = wait_parse(spec, &w, &why);

	ck_assert_msg(r == 0, "'%s' refused: %s", spec, why ? why : "?");
	ck_assert_ptr_eq(w.text, spec);
}

START_TEST(tcp_host_and_port)
{
	ok("tcp:db:5432");
	ck_assert_int_eq(w.kind, WAIT_TCP);
	ck_assert_str_eq(w.net.host, "db");
	ck_assert_str_eq(w.net.port, "5432");
	ok("tcp:10.0.0.1:1");
	ck_assert_str_eq(w.net.host, "10.0.0.1");
	ck_assert_str_eq(w.net.port, "1");
	ok("tcp:[::1]:65535");
	ck_assert_str_eq(w.net.host, "::1");
	ck_assert_str_eq(w.net.port, "65535");
	ok("tcp:my-db.svc.cluster.local:080");
	ck_assert_str_eq(w.net.port, "80");
}
END_TEST

START_TEST(unix_and_file_paths)
{
	ok("unix:/run/app.sock");
	ck_assert_int_eq(w.kind, WAIT_UNIX);
	ck_assert_str_eq(w.path, "/run/app.sock");
	ok("unix:@abstract");
	ck_assert_str_eq(w.path, "@abstract");
	ok("file:relative/ready");
	ck_assert_int_eq(w.kind, WAIT_FILE);
	ck_assert_str_eq(w.path, "relative/ready");
	/* Colons belong to the path. */
	ok("file:/a:b");
	ck_assert_str_eq(w.path, "/a:b");
}
END_TEST

START_TEST(http_urls)
{
	ok("http://api:8080/healthz?full=1");
	ck_assert_int_eq(w.kind, WAIT_HTTP);
	ck_assert_str_eq(w.net.host, "api");
	ck_assert_str_eq(w.net.port, "8080");
	ck_assert_str_eq(w.path, "/healthz?full=1");
	ck_assert_str_eq(w.net.authority, "api:8080");
	ok("http://api");
	ck_assert_str_eq(w.net.port, "80");
	ck_assert_str_eq(w.path, "/");
	ck_assert_str_eq(w.net.authority, "api");
	ok("http://[fe80::1]:9000/");
	ck_assert_str_eq(w.net.host, "fe80::1");
	ck_assert_str_eq(w.net.authority, "[fe80::1]:9000");
}
END_TEST

START_TEST(bad_specs_are_refused_with_a_reason)
{
	static const char *const bad[] = {
		"", "db:5432", "tcp:", "tcp:db", "tcp::80", "tcp:db:", "tcp:db:0", "tcp:db:65536",
		"tcp:db:http", "tcp:db:-1", "tcp:::1:80", "tcp:[::1", "tcp:[::1]x80", "tcp:d b:1",
		"unix:", "file:", "https://api/", "http://", "http://:80/", "http://api/a b",
		"http://api/a\r\nX: y", "ftp://x",
	};
	char longhost[300], longsock[200];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		ck_assert_msg(wait_parse(bad[i], &w, &why) != 0, "'%s' accepted", bad[i]);
		ck_assert_msg(why && *why, "'%s': no reason", bad[i]);
	}
	memset(longhost, 'a', sizeof(longhost));
	memcpy(longhost, "tcp:", 4);
	strcpy(longhost + sizeof(longhost) - 4, ":1");
	ck_assert_int_ne(wait_parse(longhost, &w, &why), 0);
	memset(longsock, 'a', sizeof(longsock));
	memcpy(longsock, "unix:/", 6);
	longsock[sizeof(longsock) - 1] = '\0';
	ck_assert_int_ne(wait_parse(longsock, &w, &why), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("wait_spec");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, tcp_host_and_port);
	tcase_add_test(tc, unix_and_file_paths);
	tcase_add_test(tc, http_urls);
	tcase_add_test(tc, bad_specs_are_refused_with_a_reason);
	suite_add_tcase(s, tc);
	return run_suite(s, KEEP_FORK_STATUS);
}
