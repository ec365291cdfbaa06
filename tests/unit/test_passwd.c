/* Unit tests for /etc/passwd and /etc/group parsing and USER[:GROUP]. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "passwd.h"
#include "check_main.h"

static char dir[] = "/tmp/vigil-passwd-XXXXXX";
static char pw[128], gr[128];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(pw, sizeof(pw), "%s/passwd", dir);
	snprintf(gr, sizeof(gr), "%s/group", dir);
	write_file(pw, "root:x:0:0:root:/root:/bin/sh\n"
		       "# a comment\n"
		       "broken line\n"
		       "alice:x:1000:1000:Alice:/home/alice:/bin/sh\n"
		       "bob:x:1001:100::/srv/bob:/bin/false\n");
	write_file(gr, "root:x:0:\n"
		       "users:x:100:alice\n"
		       "alice:x:1000:\n"
		       "bad:x:notanumber:alice\n"
		       "video:x:44:bob,alice\n"
		       "staff:x:50:bob\n");
}

static void teardown(void)
{
	unlink(pw);
	unlink(gr);
	rmdir(dir);
	strcpy(dir, "/tmp/vigil-passwd-XXXXXX");
}

START_TEST(spec_split_user_and_group)
{
	char u[32], g[32];

	ck_assert_int_eq(user_spec_split("alice:staff", u, sizeof(u), g, sizeof(g)), 0);
	ck_assert_str_eq(u, "alice");
	ck_assert_str_eq(g, "staff");
	ck_assert_int_eq(user_spec_split("1000", u, sizeof(u), g, sizeof(g)), 0);
	ck_assert_str_eq(g, "");
	ck_assert_int_eq(user_spec_split(":staff", u, sizeof(u), g, sizeof(g)), -EINVAL);
	ck_assert_int_eq(user_spec_split("alice:", u, sizeof(u), g, sizeof(g)), -EINVAL);
	ck_assert_int_eq(user_spec_split("a:b:c", u, sizeof(u), g, sizeof(g)), -EINVAL);
	ck_assert_int_eq(user_spec_split("", u, sizeof(u), g, sizeof(g)), -EINVAL);
	ck_assert_int_eq(user_spec_split("averyveryverylongname", u, 8, g, sizeof(g)), -ENAMETOOLONG);
}
END_TEST

START_TEST(passwd_line_fields)
{
	struct pw_entry e;

	ck_assert_int_eq(passwd_parse_line("alice:x:1000:1001:A:/home/alice:/bin/sh\n", &e), 0);
	ck_assert_str_eq(e.name, "alice");
	ck_assert_uint_eq(e.uid, 1000);
	ck_assert_uint_eq(e.gid, 1001);
	ck_assert_str_eq(e.home, "/home/alice");
}
END_TEST

START_TEST(passwd_line_malformed_rejected)
{
	struct pw_entry e;

	ck_assert_int_eq(passwd_parse_line("alice:x:1000:1000:A:/home/alice\n", &e), -EINVAL);
	ck_assert_int_eq(passwd_parse_line("alice:x:abc:1000:A:/h:/bin/sh", &e), -EINVAL);
	ck_assert_int_eq(passwd_parse_line("alice:x:4294967296:1:A:/h:/bin/sh", &e), -EINVAL);
	ck_assert_int_eq(passwd_parse_line("alice:x:-1:1:A:/h:/bin/sh", &e), -EINVAL);
	ck_assert_int_eq(passwd_parse_line(":x:1:1:A:/h:/bin/sh", &e), -EINVAL);
	ck_assert_int_eq(passwd_parse_line("alice:x::1:A:/h:/bin/sh", &e), -EINVAL);
}
END_TEST

START_TEST(group_line_fields)
{
	struct gr_entry e;

	ck_assert_int_eq(group_parse_line("video:x:44:bob,alice\n", &e), 0);
	ck_assert_str_eq(e.name, "video");
	ck_assert_uint_eq(e.gid, 44);
	ck_assert_str_eq(e.members, "bob,alice");
	ck_assert_int_eq(group_parse_line("empty:x:7:", &e), 0);
	ck_assert_str_eq(e.members, "");
	ck_assert_int_eq(group_parse_line("short:x:7", &e), -EINVAL);
	ck_assert_int_eq(group_parse_line("bad:x:y:", &e), -EINVAL);
}
END_TEST

START_TEST(resolve_by_name_collects_groups)
{
	struct user_target t;
	char err[200];

	ck_assert_int_eq(user_resolve("alice", pw, gr, &t, err, sizeof(err)), 0);
	ck_assert_uint_eq(t.uid, 1000);
	ck_assert_uint_eq(t.gid, 1000);
	ck_assert_str_eq(t.home, "/home/alice");
	/* primary 1000, users 100, video 44; "bad" is skipped */
	ck_assert_uint_eq(t.ngroups, 3);
	ck_assert_uint_eq(t.groups[0], 1000);
	ck_assert_uint_eq(t.groups[1], 100);
	ck_assert_uint_eq(t.groups[2], 44);
}
END_TEST

START_TEST(resolve_name_with_group_name)
{
	struct user_target t;
	char err[200];

	ck_assert_int_eq(user_resolve("bob:video", pw, gr, &t, err, sizeof(err)), 0);
	ck_assert_uint_eq(t.uid, 1001);
	ck_assert_uint_eq(t.gid, 44);
	ck_assert_uint_eq(t.groups[0], 44);
}
END_TEST

START_TEST(resolve_numeric_without_entry)
{
	struct user_target t;
	char err[200];

	ck_assert_int_eq(user_resolve("4242", pw, gr, &t, err, sizeof(err)), 0);
	ck_assert_uint_eq(t.uid, 4242);
	ck_assert_uint_eq(t.gid, 4242);
	ck_assert_uint_eq(t.ngroups, 1);
	ck_assert(!t.have_home);
	ck_assert_int_eq(user_resolve("4242:50", pw, gr, &t, err, sizeof(err)), 0);
	ck_assert_uint_eq(t.gid, 50);
}
END_TEST

START_TEST(resolve_numeric_with_entry_uses_it)
{
	struct user_target t;
	char err[200];

	ck_assert_int_eq(user_resolve("1001", pw, gr, &t, err, sizeof(err)), 0);
	ck_assert_str_eq(t.name, "bob");
	ck_assert_uint_eq(t.gid, 100);
	ck_assert_str_eq(t.home, "/srv/bob");
}
END_TEST

START_TEST(resolve_unknown_names_fail_with_reason)
{
	struct user_target t;
	char err[200];

	ck_assert_int_eq(user_resolve("carol", pw, gr, &t, err, sizeof(err)), -ENOENT);
	ck_assert_ptr_nonnull(strstr(err, "\"carol\" not found"));
	ck_assert_int_eq(user_resolve("alice:nogroup", pw, gr, &t, err, sizeof(err)), -ENOENT);
	ck_assert_ptr_nonnull(strstr(err, "group \"nogroup\" not found"));
	ck_assert_int_eq(user_resolve("alice:", pw, gr, &t, err, sizeof(err)), -EINVAL);
	ck_assert_int_eq(user_resolve("alice", "/nonexistent/passwd", gr, &t, err, sizeof(err)), -ENOENT);
}
END_TEST

/* A long line is one entry: its tail must not parse as a line of its own
 * (here "wheel:x:0:alice", which would put alice in group 0), and a member
 * far down a long list still counts. */
START_TEST(resolve_reads_long_lines_whole)
{
	static char text[8192];
	struct user_target t;
	char err[200];
	size_t n;

	n = (size_t)snprintf(text, sizeof(text), "big:x:500:");
	memset(text + n, 'a', 2047 - n);
	n = 2047;
	n += (size_t)snprintf(text + n, sizeof(text) - n, "wheel:x:0:alice\nusers:x:100:");
	for (int i = 0; i < 300; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "m%04d,", i);
	snprintf(text + n, sizeof(text) - n, "alice\n");
	write_file(gr, text);

	ck_assert_int_eq(user_resolve("alice", pw, gr, &t, err, sizeof(err)), 0);
	ck_assert_uint_eq(t.ngroups, 2);
	ck_assert_uint_eq(t.groups[0], 1000);
	ck_assert_uint_eq(t.groups[1], 100);
}
END_TEST

/* A FIFO at /etc/passwd or /etc/group (planted by someone) would block
 * open() until a writer came, with vigil's signals already blocked. */
START_TEST(resolve_refuses_fifo_without_blocking)
{
	struct user_target t;
	char err[200], fifo[160];

	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_eq(user_resolve("alice", fifo, gr, &t, err, sizeof(err)), -PASSWD_ENOTREG);
	ck_assert_msg(strstr(err, "not a regular file") != NULL, "err: %s", err);
	ck_assert_int_eq(user_resolve("4242", fifo, gr, &t, err, sizeof(err)), -PASSWD_ENOTREG);
	ck_assert_int_eq(user_resolve("alice", pw, fifo, &t, err, sizeof(err)), -PASSWD_ENOTREG);
	ck_assert_msg(strstr(err, "not a regular file") != NULL, "err: %s", err);
	ck_assert_int_eq(user_resolve("alice", dir, gr, &t, err, sizeof(err)), -PASSWD_ENOTREG);
	user_target_free(&t);
	unlink(fifo);
}
END_TEST

/* Names up to VIGIL_NAME_MAX bytes and homes up to VIGIL_HOME_MAX work. */
START_TEST(resolve_long_name_and_home)
{
	static char text[8192], name[VIGIL_NAME_MAX + 1], home[VIGIL_HOME_MAX + 1];
	struct user_target t;
	char err[200];

	memset(name, 'n', VIGIL_NAME_MAX);
	home[0] = '/';
	memset(home + 1, 'h', VIGIL_HOME_MAX - 1);
	snprintf(text, sizeof(text), "%s:x:2000:2000::%s:/bin/sh\n", name, home);
	write_file(pw, text);
	snprintf(text, sizeof(text), "%s:x:2001:%s\n", name, name);
	write_file(gr, text);
	ck_assert_int_eq(user_resolve(name, pw, gr, &t, err, sizeof(err)), 0);
	ck_assert_uint_eq(t.uid, 2000);
	ck_assert_str_eq(t.home, home);
	ck_assert_str_eq(t.name, name);
	ck_assert_uint_eq(t.ngroups, 2);
	snprintf(text, sizeof(text), "%s:%s", name, name);
	ck_assert_int_eq(user_resolve(text, pw, gr, &t, err, sizeof(err)), 0);
	ck_assert_uint_eq(t.gid, 2001);
	user_target_free(&t);
}
END_TEST

/* Past the limits the message says so: not "not found". */
START_TEST(resolve_over_limits_says_why)
{
	static char text[8192], name[VIGIL_NAME_MAX + 2];
	struct user_target t;
	char err[300];

	memset(name, 'n', VIGIL_NAME_MAX + 1);
	ck_assert_int_eq(user_resolve(name, pw, gr, &t, err, sizeof(err)), -ENAMETOOLONG);
	ck_assert_msg(strstr(err, "over 255 bytes") != NULL, "err: %s", err);
	memset(text, 'h', VIGIL_HOME_MAX + 1);
	snprintf(text, sizeof(text), "carol:x:3000:3000::/");
	memset(text + strlen(text), 'h', VIGIL_HOME_MAX + 1);
	strcpy(text + strlen("carol:x:3000:3000::/") + VIGIL_HOME_MAX + 1, ":/bin/sh\n");
	write_file(pw, text);
	ck_assert_int_eq(user_resolve("carol", pw, gr, &t, err, sizeof(err)), -ENAMETOOLONG);
	ck_assert_msg(strstr(err, "home over 4095 bytes") != NULL, "err: %s", err);
	ck_assert_int_eq(user_resolve("3000", pw, gr, &t, err, sizeof(err)), -ENAMETOOLONG);
	user_target_free(&t);
}
END_TEST

/* The kernel takes 65536 supplementary groups; so does vigil. */
START_TEST(resolve_user_in_thousands_of_groups)
{
	struct user_target t;
	char err[200];
	FILE *f = fopen(gr, "w");

	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < 5000; i++)
		fprintf(f, "g%d:x:%d:bob,alice\n", i, 10000 + i);
	fprintf(f, "again:x:10007:alice\n");   /* a repeated gid counts once */
	fclose(f);
	ck_assert_int_eq(user_resolve("alice", pw, gr, &t, err, sizeof(err)), 0);
	ck_assert_uint_eq(t.ngroups, 5001);
	ck_assert_uint_eq(t.groups[0], 1000);
	ck_assert_uint_eq(t.groups[1], 10000);
	ck_assert_uint_eq(t.groups[5000], 14999);
	user_target_free(&t);
}
END_TEST

START_TEST(resolve_past_kernel_group_limit_is_e2big)
{
	struct user_target t;
	char err[200];
	long max = sysconf(_SC_NGROUPS_MAX);
	FILE *f = fopen(gr, "w");

	ck_assert_ptr_nonnull(f);
	for (long i = 0; i < max; i++)
		fprintf(f, "g%ld:x:%ld:alice\n", i, 100000 + i);
	fclose(f);
	ck_assert_int_eq(user_resolve("alice", pw, gr, &t, err, sizeof(err)), -E2BIG);
	ck_assert_msg(strstr(err, "more than") != NULL, "err: %s", err);
	user_target_free(&t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("passwd");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, spec_split_user_and_group);
	tcase_add_test(tc, passwd_line_fields);
	tcase_add_test(tc, passwd_line_malformed_rejected);
	tcase_add_test(tc, group_line_fields);
	tcase_add_test(tc, resolve_by_name_collects_groups);
	tcase_add_test(tc, resolve_name_with_group_name);
	tcase_add_test(tc, resolve_numeric_without_entry);
	tcase_add_test(tc, resolve_numeric_with_entry_uses_it);
	tcase_add_test(tc, resolve_unknown_names_fail_with_reason);
	tcase_add_test(tc, resolve_reads_long_lines_whole);
	tcase_add_test(tc, resolve_refuses_fifo_without_blocking);
	tcase_add_test(tc, resolve_long_name_and_home);
	tcase_add_test(tc, resolve_over_limits_says_why);
	tcase_add_test(tc, resolve_user_in_thousands_of_groups);
	tcase_add_test(tc, resolve_past_kernel_group_limit_is_e2big);
	suite_add_tcase(s, tc);
	return run_suite(s, KEEP_FORK_STATUS);
}
