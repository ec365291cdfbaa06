/* Unit tests for the probe parsers: a command's words without a shell,
 * HOST:PORT, plain http:// URLs, and the health flags taken together. */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "probe.h"
#include "probe_spec.h"
#include "check_main.h"

static struct probe_spec p;

START_TEST(words_split_on_blanks_with_quotes_and_no_expansion)
{
	ck_assert_int_eq(probe_split_words("  curl -f  http://x/ ", &p), 0);
	ck_assert_str_eq(p.argv[0], "curl");
	ck_assert_str_eq(p.argv[1], "-f");
	ck_assert_str_eq(p.argv[2], "http://x/");
	ck_assert_ptr_null(p.argv[3]);
	ck_assert_int_eq(probe_split_words("sh -c 'test -f /tmp/ok && echo $HOME'", &p), 0);
	ck_assert_str_eq(p.argv[2], "test -f /tmp/ok && echo $HOME");
	ck_assert_ptr_null(p.argv[3]);
	ck_assert_int_eq(probe_split_words("a\"b c\\\"d\"e f\\ g '' x", &p), 0);
	ck_assert_str_eq(p.argv[0], "ab c\"de");
	ck_assert_str_eq(p.argv[1], "f g");
	ck_assert_str_eq(p.argv[2], "");
	ck_assert_str_eq(p.argv[3], "x");
}
END_TEST

START_TEST(bad_command_lines_are_refused)
{
	ck_assert_int_eq(probe_split_words("", &p), -EINVAL);
	ck_assert_int_eq(probe_split_words(" \t ", &p), -EINVAL);
	ck_assert_int_eq(probe_split_words("sh -c 'oops", &p), -EINVAL);
	ck_assert_int_eq(probe_split_words("echo \"x", &p), -EINVAL);
}
END_TEST

START_TEST(too_many_words_or_bytes_are_refused)
{
	static char many[PROBE_ARGV_MAX * 2 + 8], big[PROBE_CMD_MAX + 8];

	for (int i = 0; i < PROBE_ARGV_MAX + 1; i++)
		strcat(many, "a ");
	ck_assert_int_eq(probe_split_words(many, &p), -E2BIG);
	memset(big, 'x', sizeof(big) - 1);
	ck_assert_int_eq(probe_split_words(big, &p), -E2BIG);
}
END_TEST

static struct sup_options so;

static void defaults(void)
{
	memset(&so, 0, sizeof(so));
	so.health.interval_ms = VIGIL_DEFAULT_HEALTH_INTERVAL_MS;
	so.health.timeout_ms = VIGIL_DEFAULT_HEALTH_TIMEOUT_MS;
	so.health.retries = VIGIL_DEFAULT_HEALTH_RETRIES;
}

static char err[300];

/* --health-tcp S or --health-http S alone, through the flags' front-end. */
static int tcp(const char *s)
{
	defaults();
	so.health.tcp = s;
	return probe_spec_from_options(&so, &p, err, sizeof(err));
}

static int http(const char *s)
{
	defaults();
	so.health.http = s;
	return probe_spec_from_options(&so, &p, err, sizeof(err));
}

START_TEST(host_and_port_forms)
{
	ck_assert_int_eq(tcp("127.0.0.1:8080"), 0);
	ck_assert_str_eq(p.net.host, "127.0.0.1");
	ck_assert_str_eq(p.net.port, "8080");
	ck_assert_int_eq(tcp("db.internal:5432"), 0);
	ck_assert_str_eq(p.net.host, "db.internal");
	ck_assert_int_eq(tcp("[::1]:80"), 0);
	ck_assert_str_eq(p.net.host, "::1");
	ck_assert_str_eq(p.net.authority, "[::1]:80");
	ck_assert_int_eq(tcp("[fe80::1%lo]:9"), 0);
	ck_assert_str_eq(p.net.host, "fe80::1%lo");
}
END_TEST

START_TEST(bad_host_and_port_forms_are_refused)
{
	const char *bad[] = {
		"localhost", "localhost:", ":80", "host:0", "host:65536", "host:8x",
		"::1:80", "[::1]", "[::1]80", "[::1:80", "a b:80", "host:-1", "[]:80",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(tcp(bad[i]) == -EINVAL, "%s accepted", bad[i]);
		ck_assert_msg(strstr(err, "invalid --health-tcp '"), "%s: %s", bad[i], err);
	}
}
END_TEST

START_TEST(http_urls)
{
	ck_assert_int_eq(http("http://127.0.0.1:8080/healthz"), 0);
	ck_assert_str_eq(p.net.host, "127.0.0.1");
	ck_assert_str_eq(p.net.port, "8080");
	ck_assert_str_eq(p.net.path, "/healthz");
	ck_assert_str_eq(p.net.authority, "127.0.0.1:8080");
	ck_assert_int_eq(http("http://localhost"), 0);
	ck_assert_str_eq(p.net.port, "80");
	ck_assert_str_eq(p.net.path, "/");
	ck_assert_int_eq(http("HTTP://[::1]:81/a/b?x=1#frag"), 0);
	ck_assert_str_eq(p.net.host, "::1");
	ck_assert_str_eq(p.net.path, "/a/b?x=1");
	ck_assert_int_eq(http("http://h?q"), 0);
	ck_assert_str_eq(p.net.path, "/?q");
}
END_TEST

START_TEST(bad_urls_are_refused_and_https_says_why)
{
	/* netaddr says -EPROTONOSUPPORT; the flag is one usage error. */
	ck_assert_int_eq(http("https://x/"), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "no TLS"));
	ck_assert_int_eq(http("ftp://x/"), -EINVAL);
	ck_assert_int_eq(http("http://"), -EINVAL);
	ck_assert_int_eq(http("http:///x"), -EINVAL);
	ck_assert_int_eq(http("http://x:99999/"), -EINVAL);
	ck_assert_int_eq(http("http://x/a b"), -EINVAL);
	ck_assert_int_eq(http("http://x/a\r\nHost: y"), -EINVAL);
	ck_assert_int_eq(http("http://user@x/"), -EINVAL);
}
END_TEST

START_TEST(health_flags_together)
{
	defaults();
	ck_assert_int_eq(probe_spec_from_options(&so, &p, err, sizeof(err)), 0);
	ck_assert_int_eq(p.kind, PROBE_NONE);
	so.health.file = "/run/h";
	ck_assert_int_eq(probe_spec_from_options(&so, &p, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "need a probe"));
	so.health.cmd = "true";
	ck_assert_int_eq(probe_spec_from_options(&so, &p, err, sizeof(err)), 0);
	ck_assert_int_eq(p.kind, PROBE_CMD);
	so.health.tcp = "h:1";
	ck_assert_int_eq(probe_spec_from_options(&so, &p, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "only one"));
	so.health.cmd = NULL;
	ck_assert_int_eq(probe_spec_from_options(&so, &p, err, sizeof(err)), 0);
	ck_assert_int_eq(p.kind, PROBE_TCP);
	so.health.on_unhealthy = UNHEALTHY_RESTART;
	ck_assert_int_eq(probe_spec_from_options(&so, &p, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "--restart on-failure"));
	so.restart = RESTART_ON_FAILURE;
	ck_assert_int_eq(probe_spec_from_options(&so, &p, err, sizeof(err)), 0);
	so.health.tcp = NULL;
	so.health.http = "https://x/";
	ck_assert_int_eq(probe_spec_from_options(&so, &p, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "no TLS"));
}
END_TEST

START_TEST(http_status_lines)
{
	int code;

	ck_assert_int_eq(probe_http_status("HTTP/1.1 200 OK", &code), 0);
	ck_assert_int_eq(code, 200);
	ck_assert_int_eq(probe_http_status("HTTP/1.0 302 Found", &code), 0);
	ck_assert_int_eq(probe_http_status("HTTP/1.1 204", &code), 0);
	ck_assert_int_eq(probe_http_status("HTTP/1.1 404 Not Found", &code), -1);
	ck_assert_int_eq(code, 404);
	ck_assert_int_eq(probe_http_status("HTTP/1.1 503 x", &code), -1);
	ck_assert_int_eq(probe_http_status("HTTP/1.1 199 x", &code), -1);
	ck_assert_int_eq(probe_http_status("SSH-2.0-OpenSSH", &code), -1);
	ck_assert_int_eq(code, -1);
	ck_assert_int_eq(probe_http_status("HTTP/1.1 2000", &code), -1);
	ck_assert_int_eq(probe_http_status("", &code), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("probe_spec");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, words_split_on_blanks_with_quotes_and_no_expansion);
	tcase_add_test(tc, bad_command_lines_are_refused);
	tcase_add_test(tc, too_many_words_or_bytes_are_refused);
	tcase_add_test(tc, host_and_port_forms);
	tcase_add_test(tc, bad_host_and_port_forms_are_refused);
	tcase_add_test(tc, http_urls);
	tcase_add_test(tc, bad_urls_are_refused_and_https_says_why);
	tcase_add_test(tc, health_flags_together);
	tcase_add_test(tc, http_status_lines);
	suite_add_tcase(s, tc);
	return run_suite(s, KEEP_FORK_STATUS);
}
