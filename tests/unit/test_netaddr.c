/* Unit tests for netaddr, the one parser of network targets: each input
 * is taken or refused by netaddr itself and by the flags' front-ends
 * (--health-tcp and --wait-for tcp:, --health-http and --wait-for
 * http://) alike, with the same fields and the same reason. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "netaddr.h"
#include "probe_spec.h"
#include "wait.h"
#include "check_main.h"

enum form { HOSTPORT, URL };

struct row {
	enum form form;
	const char *in;
	const char *why;        /* NULL: taken; else the reason, whole */
	const char *host, *port, *authority, *path;
};

/* Refused, with this reason. */
#define BAD(form, in, why) { form, in, why, NULL, NULL, NULL, NULL }

#define BADCHAR "bad character in the host (want letters, digits, '.', '-', '_', or [IPV6])"
#define NOPORT "port not in 1-65535"
#define CTRL "space or control character in the path"
#define NOV6 "not an IPv6 address inside [ ]"
#define USERINFO "no USER@ before the host: vigil sends no credentials"
#define NEEDS_BRACKETS "an IPv6 address needs brackets, as [::1]:80"
#define NOTLS "https is not supported (no TLS): a tcp check of HOST:443 is the nearest"

static const struct row rows[] = {
	/* names and IPv4 */
	{ HOSTPORT, "db:5432", NULL, "db", "5432", "db:5432", "" },
	{ HOSTPORT, "10.0.0.1:1", NULL, "10.0.0.1", "1", "10.0.0.1:1", "" },
	{ HOSTPORT, "my_db.svc-1.cluster.local.:80", NULL, "my_db.svc-1.cluster.local.", "80",
	  "my_db.svc-1.cluster.local.:80", "" },
	BAD(HOSTPORT, "", "no host"),
	BAD(HOSTPORT, ":80", "no host"),
	BAD(HOSTPORT, "a b:80", BADCHAR),
	BAD(HOSTPORT, "a\tb:80", BADCHAR),
	BAD(HOSTPORT, "a\x7f:80", BADCHAR),
	BAD(HOSTPORT, "h/x:80", BADCHAR),
	BAD(HOSTPORT, "h%x:80", BADCHAR),            /* a zone only inside [ ] */
	BAD(HOSTPORT, "h~x:80", BADCHAR),
	BAD(HOSTPORT, "h\xc3\xa9:80", BADCHAR),      /* IDN: the punycode form */
	BAD(HOSTPORT, "user@db:80", USERINFO),
	/* ports */
	{ HOSTPORT, "h:65535", NULL, "h", "65535", "h:65535", "" },
	BAD(HOSTPORT, "h:65536", NOPORT),
	BAD(HOSTPORT, "h:99999999999999999999999", NOPORT),
	BAD(HOSTPORT, "h:0", NOPORT),
	BAD(HOSTPORT, "h:00000", NOPORT),
	{ HOSTPORT, "h:080", NULL, "h", "80", "h:080", "" },
	{ HOSTPORT, "h:0000080", NULL, "h", "80", "h:0000080", "" },
	BAD(HOSTPORT, "h:", "no port after ':'"),
	BAD(HOSTPORT, "h:8x", "port is not a number"),
	BAD(HOSTPORT, "h:-1", "port is not a number"),
	BAD(HOSTPORT, "h:+1", "port is not a number"),
	BAD(HOSTPORT, "h: 80", "port is not a number"),
	BAD(HOSTPORT, "h", "no :PORT"),
	/* IPv6: brackets, zones */
	{ HOSTPORT, "[::1]:80", NULL, "::1", "80", "[::1]:80", "" },
	{ HOSTPORT, "[::ffff:10.0.0.1]:9", NULL, "::ffff:10.0.0.1", "9", "[::ffff:10.0.0.1]:9", "" },
	{ HOSTPORT, "[fe80::1%eth0]:9", NULL, "fe80::1%eth0", "9", "[fe80::1%eth0]:9", "" },
	{ HOSTPORT, "[fe80::1%25eth0]:9", NULL, "fe80::1%eth0", "9", "[fe80::1%25eth0]:9", "" },
	{ HOSTPORT, "[fe80::1%2]:9", NULL, "fe80::1%2", "9", "[fe80::1%2]:9", "" },
	BAD(HOSTPORT, "[fe80::1%]:9", "no zone after % in the IPv6 address"),
	BAD(HOSTPORT, "[fe80::1%e h]:9", "bad character in the IPv6 zone"),
	BAD(HOSTPORT, "[fe80::1%e]h]:9", "text after ] that is not :PORT"),
	BAD(HOSTPORT, "::1:80", NEEDS_BRACKETS),
	BAD(HOSTPORT, "::1", NEEDS_BRACKETS),
	BAD(HOSTPORT, "[::1]", "no :PORT"),
	BAD(HOSTPORT, "[::1]80", "text after ] that is not :PORT"),
	BAD(HOSTPORT, "[::1:80", "unclosed [ in the host"),
	BAD(HOSTPORT, "[]:80", NOV6),
	BAD(HOSTPORT, "[db]:80", NOV6),
	BAD(HOSTPORT, "[10.0.0.1]:80", NOV6),
	BAD(HOSTPORT, "[1:2:3:4:5:6:7:8:9]:80", NOV6),
	/* URLs: defaults, scheme case */
	{ URL, "http://api", NULL, "api", "80", "api", "/" },
	{ URL, "http://api:8080/healthz", NULL, "api", "8080", "api:8080", "/healthz" },
	{ URL, "HTTP://Api:81/A", NULL, "Api", "81", "Api:81", "/A" },
	{ URL, "hTtP://h/", NULL, "h", "80", "h", "/" },
	{ URL, "http://[::1]:81/x", NULL, "::1", "81", "[::1]:81", "/x" },
	{ URL, "http://[::1]", NULL, "::1", "80", "[::1]", "/" },
	{ URL, "http://[fe80::1%25eth0]/", NULL, "fe80::1%eth0", "80", "[fe80::1%25eth0]", "/" },
	{ URL, "http://h:065535/", NULL, "h", "65535", "h:065535", "/" },
	BAD(URL, "http://h:0/", NOPORT),
	BAD(URL, "http://h:65536/", NOPORT),
	BAD(URL, "http://h:/", "no port after ':'"),
	BAD(URL, "https://h/", NOTLS),
	BAD(URL, "HTTPS://h/", NOTLS),
	/* where the authority ends; query and fragment */
	{ URL, "http://h?q=1", NULL, "h", "80", "h", "/?q=1" },
	{ URL, "http://h:81?q", NULL, "h", "81", "h:81", "/?q" },
	{ URL, "http://h#top", NULL, "h", "80", "h", "/" },
	{ URL, "http://h/a/b?x=1&y=2#frag", NULL, "h", "80", "h", "/a/b?x=1&y=2" },
	{ URL, "http://h/a#b?c", NULL, "h", "80", "h", "/a" },
	{ URL, "http://h/a@b", NULL, "h", "80", "h", "/a@b" },
	{ URL, "http://h/%20", NULL, "h", "80", "h", "/%20" },
	BAD(URL, "http://", "no host"),
	BAD(URL, "http:///x", "no host"),
	BAD(URL, "http://?q", "no host"),
	BAD(URL, "http://#f", "no host"),
	BAD(URL, "http://:80/", "no host"),
	BAD(URL, "http://user@h/", USERINFO),
	BAD(URL, "http://user:pw@h:80/", USERINFO),
	BAD(URL, "http://::1/", NEEDS_BRACKETS),
	BAD(URL, "http://h h/", BADCHAR),
	BAD(URL, "http://h\r\nX:1/", BADCHAR),
	/* nothing may break the request line */
	BAD(URL, "http://h/a b", CTRL),
	BAD(URL, "http://h/a\r\nX: y", CTRL),
	BAD(URL, "http://h/a\tb", CTRL),
	BAD(URL, "http://h/\x7f", CTRL),
	BAD(URL, "http://h?a b", CTRL),
	BAD(URL, "http://h/#a b", CTRL),
};

static struct netaddr a;
static struct probe_spec p;
static struct waiter w;
static struct sup_options so;
static char err[NETADDR_PATH_MAX + 600], want[NETADDR_PATH_MAX + 600];

static void same_fields(const struct row *t, const struct netaddr *got, const char *who)
{
	ck_assert_msg(!strcmp(got->host, t->host), "%s '%s': host '%s'", who, t->in, got->host);
	ck_assert_msg(!strcmp(got->port, t->port), "%s '%s': port '%s'", who, t->in, got->port);
	ck_assert_msg(!strcmp(got->authority, t->authority), "%s '%s': authority '%s'", who, t->in,
		      got->authority);
	ck_assert_msg(!strcmp(got->path, t->path), "%s '%s': path '%s'", who, t->in, got->path);
}

static int parse(const struct row *t, const char **why)
{
	return t->form == URL ? netaddr_parse_http(t->in, &a, why) : netaddr_parse_hostport(t->in, NULL, &a, why);
}

static int health_flag(const struct row *t)
{
	memset(&so, 0, sizeof(so));
	so.health.interval_ms = VIGIL_DEFAULT_HEALTH_INTERVAL_MS;
	so.health.timeout_ms = VIGIL_DEFAULT_HEALTH_TIMEOUT_MS;
	so.health.retries = VIGIL_DEFAULT_HEALTH_RETRIES;
	if (t->form == URL)
		so.health.http = t->in;
	else
		so.health.tcp = t->in;
	err[0] = '\0';
	return probe_spec_from_options(&so, &p, err, sizeof(err));
}

static int wait_flag(const struct row *t, char *spec, size_t len)
{
	const char *specs[1] = { spec };

	snprintf(spec, len, "%s%s", t->form == URL ? "" : "tcp:", t->in);
	err[0] = '\0';
	return waiter_prepare(&w, specs, 1, err, sizeof(err));
}

START_TEST(every_front_end_takes_or_refuses_alike)
{
	const struct row *t = &rows[_i];
	const char *why = "unset";
	char spec[200];
	int r = parse(t, &why);

	if (!t->why) {
		ck_assert_msg(r == 0, "'%s' refused: %s", t->in, why ? why : "?");
		ck_assert_ptr_null(why);
		same_fields(t, &a, "netaddr");
		ck_assert_msg(health_flag(t) == 0, "health: %s", err);
		ck_assert_int_eq(p.kind, t->form == URL ? PROBE_HTTP : PROBE_TCP);
		same_fields(t, &p.net, "health");
		ck_assert_msg(wait_flag(t, spec, sizeof(spec)) == 0, "wait: %s", err);
		ck_assert_int_eq(w.spec[0].kind, t->form == URL ? WAIT_HTTP : WAIT_TCP);
		same_fields(t, &w.spec[0].net, "wait");
		if (t->form == URL)
			ck_assert_str_eq(w.spec[0].path, t->path);
		return;
	}
	ck_assert_msg(r == (!strcmp(t->why, NOTLS) ? -EPROTONOSUPPORT : -EINVAL), "'%s': %d", t->in, r);
	ck_assert_msg(why && !strcmp(why, t->why), "'%s': reason '%s'", t->in, why ? why : "(none)");
	ck_assert_int_eq(health_flag(t), -EINVAL);
	snprintf(want, sizeof(want), "invalid --health-%s '%s': %s", t->form == URL ? "http" : "tcp", t->in, t->why);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(wait_flag(t, spec, sizeof(spec)), -EINVAL);
	snprintf(want, sizeof(want), "invalid --wait-for '%s': %s", spec, t->why);
	ck_assert_str_eq(err, want);
}
END_TEST

/* A name of n bytes, then tail. */
static const char *long_host(char *buf, size_t n, const char *head, const char *tail)
{
	size_t h = strlen(head);

	memcpy(buf, head, h);
	memset(buf + h, 'a', n);
	strcpy(buf + h + n, tail);
	return buf;
}

START_TEST(host_names_up_to_253_bytes)
{
	static char s[NETADDR_AUTHORITY_MAX + 64];
	const char *why;

	ck_assert_int_eq(netaddr_parse_hostport(long_host(s, 253, "", ":65535"), NULL, &a, &why), 0);
	ck_assert_uint_eq(strlen(a.host), 253);
	ck_assert_str_eq(a.authority, s);
	ck_assert_int_eq(netaddr_parse_hostport(long_host(s, 254, "", ":80"), NULL, &a, &why), -EINVAL);
	ck_assert_str_eq(why, "host name too long");
	ck_assert_int_eq(netaddr_parse_http(long_host(s, 253, "http://", ":65535/x"), &a, &why), 0);
	ck_assert_str_eq(a.path, "/x");
	ck_assert_int_eq(netaddr_parse_http(long_host(s, 254, "http://", "/"), &a, &why), -EINVAL);
	ck_assert_str_eq(why, "host name too long");
	/* Far too long: refused before anything is copied. */
	ck_assert_int_eq(netaddr_parse_http(long_host(s, NETADDR_AUTHORITY_MAX + 10, "http://", ""), &a, &why),
			 -EINVAL);
	ck_assert_str_eq(why, "host name too long");
}
END_TEST

START_TEST(paths_up_to_the_limit)
{
	static char s[NETADDR_PATH_MAX + 64];
	const char *why;

	strcpy(s, "http://h/");
	memset(s + 9, 'p', NETADDR_PATH_MAX - 1);
	s[8 + NETADDR_PATH_MAX] = '\0';
	ck_assert_int_eq(netaddr_parse_http(s, &a, &why), 0);
	ck_assert_uint_eq(strlen(a.path), NETADDR_PATH_MAX);
	strcat(s, "p");
	ck_assert_int_eq(netaddr_parse_http(s, &a, &why), -EINVAL);
	ck_assert_str_eq(why, "path too long");
	/* The fragment does not count: it is never sent. */
	s[8 + NETADDR_PATH_MAX] = '#';
	ck_assert_int_eq(netaddr_parse_http(s, &a, &why), 0);
	/* The '/' put before a query counts. */
	strcpy(s, "http://h?");
	memset(s + 9, 'q', NETADDR_PATH_MAX - 1);
	s[8 + NETADDR_PATH_MAX] = '\0';
	ck_assert_int_eq(netaddr_parse_http(s, &a, &why), -EINVAL);
}
END_TEST

START_TEST(a_default_port_stands_in_for_a_missing_one)
{
	const char *why;

	ck_assert_int_eq(netaddr_parse_hostport("h", "80", &a, &why), 0);
	ck_assert_str_eq(a.port, "80");
	ck_assert_str_eq(a.authority, "h");
	ck_assert_int_eq(netaddr_parse_hostport("[::1]", "8080", &a, &why), 0);
	ck_assert_str_eq(a.port, "8080");
	ck_assert_int_eq(netaddr_parse_hostport("h:81", "80", &a, &why), 0);
	ck_assert_str_eq(a.port, "81");
	ck_assert_int_eq(netaddr_parse_hostport("h:", "80", &a, &why), -EINVAL);
}
END_TEST

START_TEST(other_schemes_are_no_http_url)
{
	const char *why;

	ck_assert_int_eq(netaddr_parse_http("ftp://h/", &a, &why), -EINVAL);
	ck_assert_str_eq(why, "want http://HOST[:PORT][/PATH]");
	ck_assert_int_eq(netaddr_parse_http("http:/h/", &a, &why), -EINVAL);
	ck_assert_int_eq(netaddr_parse_http("h:80", &a, &why), -EINVAL);
	ck_assert_int_eq(netaddr_parse_http("", &a, &why), -EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("netaddr");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, every_front_end_takes_or_refuses_alike, 0, (int)(sizeof(rows) / sizeof(rows[0])));
	tcase_add_test(tc, host_names_up_to_253_bytes);
	tcase_add_test(tc, paths_up_to_the_limit);
	tcase_add_test(tc, a_default_port_stands_in_for_a_missing_one);
	tcase_add_test(tc, other_schemes_are_no_http_url);
	suite_add_tcase(s, tc);
	return run_suite(s, KEEP_FORK_STATUS);
}
