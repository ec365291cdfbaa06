/* Unit tests for seccomp_filter: list parsing, the default list's names,
 * and the filter itself, loaded in a forked child and probed only with
 * syscalls that are harmless even if the filter were missing. */
#include "seccomp_filter.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <sys/wait.h>
#include <unistd.h>

#include <seccomp.h>
#include "check_main.h"

START_TEST(parse_one_name)
{
	int nrs[4];
	size_t n;
	const char *bad = "unset";

	ck_assert_int_eq(seccomp_parse_list("mount", nrs, 4, &n, &bad), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(nrs[0], SYS_mount);
	ck_assert_ptr_null(bad);
}
END_TEST

START_TEST(parse_several_names_in_order)
{
	int nrs[4];
	size_t n;
	const char *bad;

	ck_assert_int_eq(seccomp_parse_list("mkdir,mkdirat,chroot", nrs, 4, &n, &bad), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(nrs[0], seccomp_syscall_resolve_name("mkdir"));
	ck_assert_int_eq(nrs[1], SYS_mkdirat);
	ck_assert_int_eq(nrs[2], SYS_chroot);
}
END_TEST

START_TEST(parse_unknown_name_is_einval_pointing_at_it)
{
	const char *list = "mount,no_such_call,bpf";
	int nrs[4];
	size_t n;
	const char *bad;

	ck_assert_int_eq(seccomp_parse_list(list, nrs, 4, &n, &bad), -EINVAL);
	ck_assert_ptr_eq(bad, list + 6);
}
END_TEST

START_TEST(parse_empty_entries_are_einval)
{
	static const char *const lists[] = { "", ",", "mount,", ",mount", "mount,,bpf" };
	int nrs[4];
	size_t n;
	const char *bad;

	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		ck_assert_msg(seccomp_parse_list(lists[i], nrs, 4, &n, &bad) == -EINVAL,
			      "'%s' accepted", lists[i]);
}
END_TEST

START_TEST(parse_is_case_and_space_strict)
{
	int nrs[4];
	size_t n;
	const char *bad;

	ck_assert_int_eq(seccomp_parse_list("Mount", nrs, 4, &n, &bad), -EINVAL);
	ck_assert_int_eq(seccomp_parse_list("mount, bpf", nrs, 4, &n, &bad), -EINVAL);
}
END_TEST

START_TEST(parse_overlong_name_is_einval)
{
	char name[200];
	int nrs[4];
	size_t n;
	const char *bad;

	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	ck_assert_int_eq(seccomp_parse_list(name, nrs, 4, &n, &bad), -EINVAL);
}
END_TEST

START_TEST(parse_more_than_max_is_e2big)
{
	int nrs[2];
	size_t n;
	const char *bad;

	ck_assert_int_eq(seccomp_parse_list("mount,bpf,chroot", nrs, 2, &n, &bad), -E2BIG);
	ck_assert_int_eq(seccomp_parse_list("mount,bpf", nrs, 2, &n, &bad), 0);
}
END_TEST

START_TEST(parse_duplicates_count_once)
{
	int nrs[2];
	size_t n;
	const char *bad;

	ck_assert_int_eq(seccomp_parse_list("bpf,mount,bpf,mount", nrs, 2, &n, &bad), 0);
	ck_assert_uint_eq(n, 2);
}
END_TEST

/* socketcall exists on i386 only; on x86_64 libseccomp resolves it to a
 * negative pseudo number that a filter would silently drop. */
START_TEST(parse_name_of_another_arch_is_einval)
{
#ifdef __x86_64__
	int nrs[4];
	size_t n;
	const char *bad;

	ck_assert_int_lt(seccomp_syscall_resolve_name("socketcall"), 0);
	ck_assert_int_eq(seccomp_parse_list("mount,socketcall", nrs, 4, &n, &bad), -EINVAL);
	ck_assert_str_eq(bad, "socketcall");
#endif
}
END_TEST

START_TEST(default_list_has_clock_and_io_uring)
{
	static const char *const want[] = { "adjtimex", "clock_settime", "clock_adjtime",
		"io_uring_setup", "io_uring_enter", "io_uring_register", NULL };

	for (size_t i = 0; want[i]; i++) {
		bool found = false;

		for (const char *const *p = seccomp_default_deny; *p; p++)
			found = found || strcmp(*p, want[i]) == 0;
		ck_assert_msg(found, "%s not in the default list", want[i]);
	}
}
END_TEST

/* Names libseccomp may not know on some arch; anything else not resolving
 * is a typo in the list. */
static bool knowingly_arch_absent(const char *name)
{
	static const char *const absent[] = { "vm86", "vm86old", "iopl", "ioperm",
		"_sysctl", "nfsservctl", "uselib", "lookup_dcookie", NULL };

#ifdef __x86_64__
	/* libseccomp knows every one of them here. */
	(void)absent;
	(void)name;
	return false;
#else
	for (size_t i = 0; absent[i]; i++)
		if (strcmp(absent[i], name) == 0)
			return true;
	return false;
#endif
}

START_TEST(default_list_names_resolve)
{
	size_t n = 0;

	for (const char *const *p = seccomp_default_deny; *p; p++, n++)
		ck_assert_msg(seccomp_syscall_resolve_name(*p) != __NR_SCMP_ERROR ||
			      knowingly_arch_absent(*p), "unknown syscall '%s'", *p);
	ck_assert_uint_ge(n, 30);
}
END_TEST

START_TEST(default_list_spares_ptrace_and_personality)
{
	for (const char *const *p = seccomp_default_deny; *p; p++) {
		ck_assert_str_ne(*p, "ptrace");
		ck_assert_str_ne(*p, "personality");
		for (const char *const *q = p + 1; *q; q++)
			ck_assert_msg(strcmp(*p, *q) != 0, "'%s' listed twice", *p);
	}
}
END_TEST

/* ---- the filter, in a child ---- */

static int failure_fd = -1;

/* Child side: report why, then exit non-zero. */
static void child_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void child_fail(const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n > 0 && write(failure_fd, msg, strlen(msg)) < 0)
		_exit(2);
	_exit(1);
}

/* Value of "Seccomp:" (or another numeric field) in /proc/self/status. */
static int status_field(const char *key)
{
	char buf[4096], *p;
	ssize_t len;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	for (p = buf; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, key, strlen(key)) == 0 && p[strlen(key)] == ':')
			return atoi(p + strlen(key) + 1);
	return -1;
}

/* Runs fn in a forked child and fails the test with the child's message. */
static void in_child(void (*fn)(void))
{
	char msg[256] = "";
	int p[2], status;
	ssize_t len;
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(p[0]);
		failure_fd = p[1];
		fn();
		_exit(0);
	}
	close(p[1]);
	len = read(p[0], msg, sizeof(msg) - 1);
	msg[len > 0 ? len : 0] = '\0';
	close(p[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "child: %s (status %#x)", msg, status);
}

/* Each probe is harmless whether or not it is filtered: bogus paths,
 * queries only. Unfiltered root gets ENOENT or similar, never EPERM. */
static long probe_swapoff(void) { return syscall(SYS_swapoff, "/nonexistent/vigil-swap"); }
static long probe_acct(void) { return syscall(SYS_acct, "/nonexistent/vigil-acct"); }
static long probe_keyctl(void) { return syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */, -3, 0); }
static long probe_mount(void)
{
	return syscall(SYS_mount, "none", "/nonexistent/vigil-mnt", "tmpfs", 0UL, NULL);
}
static long probe_personality(void) { return syscall(SYS_personality, 0xffffffffUL); }
/* modes 0: read the clock's state, change nothing. */
static long probe_clock_adjtime(void)
{
	struct timex tx = { .modes = 0 };

	return syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx);
}
static long probe_io_uring_setup(void) { return syscall(SYS_io_uring_setup, 1, NULL); }
static long probe_fsopen(void) { return syscall(SYS_fsopen, "vigil-no-such-fs", 0); }

struct probe {
	const char *name;
	long (*call)(void);
	bool was_eperm;   /* already EPERM before our filter: proves nothing */
};

static struct probe default_probes[] = {
	{ "swapoff", probe_swapoff, false },
	{ "acct", probe_acct, false },
	{ "keyctl", probe_keyctl, false },
	{ "mount", probe_mount, false },
	{ "clock_adjtime", probe_clock_adjtime, false },
	{ "io_uring_setup", probe_io_uring_setup, false },
};

static bool eperm(long (*call)(void))
{
	errno = 0;
	return call() == -1 && errno == EPERM;
}

static void apply_or_fail(const struct seccomp_plan *plan)
{
	struct spawn_error e = { 0 };

	if (seccomp_apply(plan, &e) != 0)
		child_fail("seccomp_apply: %s: %s", e.what, strerror(e.err));
}

static void default_filter_child(void)
{
	struct seccomp_plan plan = { .use_default = true };
	size_t n = sizeof(default_probes) / sizeof(default_probes[0]), proved = 0;

	for (size_t i = 0; i < n; i++)
		default_probes[i].was_eperm = eperm(default_probes[i].call);
	apply_or_fail(&plan);
	if (status_field("Seccomp") != 2)
		child_fail("Seccomp: %d, want 2", status_field("Seccomp"));
	for (size_t i = 0; i < n; i++) {
		if (!eperm(default_probes[i].call))
			child_fail("%s not denied: errno %d", default_probes[i].name, errno);
		proved += !default_probes[i].was_eperm;
	}
	/* As root none of them is EPERM unfiltered; otherwise at least keyctl. */
	if (proved == 0)
		child_fail("every probe was EPERM before the filter: nothing proved");
	if (eperm(probe_personality))
		child_fail("personality denied by the default list");
	if (getppid() <= 0)
		child_fail("getppid failed under the filter");
}

START_TEST(default_filter_denies_with_eperm)
{
	in_child(default_filter_child);
}
END_TEST

static bool fails_with(long (*call)(void), int err)
{
	errno = 0;
	return call() == -1 && errno == err;
}

/* The new mount API answers "not implemented", so a libc or libmount
 * falls back to mount(2), which the list denies with EPERM. */
static void enosys_child(void)
{
	struct seccomp_plan plan = { .use_default = true };

	if (fails_with(probe_fsopen, ENOSYS))
		child_fail("fsopen is ENOSYS before the filter: nothing proved");
	apply_or_fail(&plan);
	if (!fails_with(probe_fsopen, ENOSYS))
		child_fail("fsopen not denied with ENOSYS: errno %d", errno);
	if (!eperm(probe_mount))
		child_fail("mount not denied with EPERM");
}

START_TEST(new_mount_api_denied_with_enosys)
{
	in_child(enosys_child);
}
END_TEST

static void *thread_fn(void *arg)
{
	return arg;
}

/* glibc creates threads with clone3 and goes back to clone only on
 * ENOSYS: denied with EPERM, pthread_create would fail. */
static void clone3_child(void)
{
	struct seccomp_plan plan = { .use_default = true };
	const char *bad;
	pthread_t th;
	int r;

	if (seccomp_parse_list("clone3", plan.extra, VIGIL_MAX_DENY, &plan.nextra, &bad) != 0)
		child_fail("parse clone3");
	apply_or_fail(&plan);
	errno = 0;
	if (syscall(SYS_clone3, NULL, 0) != -1 || errno != ENOSYS)
		child_fail("clone3 not denied with ENOSYS: errno %d", errno);
	r = pthread_create(&th, NULL, thread_fn, NULL);
	if (r)
		child_fail("pthread_create under a clone3 denial: %s", strerror(r));
	pthread_join(th, NULL);
}

START_TEST(denied_clone3_lets_glibc_fall_back)
{
	in_child(clone3_child);
}
END_TEST

static void extra_only_child(void)
{
	struct seccomp_plan plan = { .use_default = false };
	const char *bad;

	if (eperm(probe_personality))
		child_fail("personality query is EPERM before the filter");
	if (seccomp_parse_list("personality", plan.extra, VIGIL_MAX_DENY,
			       &plan.nextra, &bad) != 0)
		child_fail("parse personality");
	apply_or_fail(&plan);
	if (!eperm(probe_personality))
		child_fail("personality not denied by --seccomp-deny");
	/* Without the default list, swapoff is left alone (root: ENOENT). */
	if (geteuid() == 0 && eperm(probe_swapoff))
		child_fail("swapoff denied without the default list");
}

START_TEST(extra_list_alone_denies_only_its_names)
{
	in_child(extra_only_child);
}
END_TEST

static void both_lists_child(void)
{
	struct seccomp_plan plan = { .use_default = true };
	const char *bad;

	/* mount is in both lists: the overlap must not make loading fail. */
	if (seccomp_parse_list("personality,mount", plan.extra, VIGIL_MAX_DENY,
			       &plan.nextra, &bad) != 0)
		child_fail("parse personality,mount");
	apply_or_fail(&plan);
	if (!eperm(probe_personality) || !eperm(probe_mount))
		child_fail("personality or mount not denied");
}

START_TEST(default_and_extra_lists_combine)
{
	in_child(both_lists_child);
}
END_TEST

/* Unprivileged and without no_new_privs set beforehand, as the lead's
 * privilege drop might not have done: loading must still work. */
static void unprivileged_child(void)
{
	struct seccomp_plan plan = { .use_default = true };

	if (geteuid() == 0 &&
	    (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0))
		child_fail("drop to 65534: %s", strerror(errno));
	if (status_field("NoNewPrivs") != 0)
		child_fail("no_new_privs already set: test proves nothing");
	apply_or_fail(&plan);
	if (status_field("Seccomp") != 2 || status_field("NoNewPrivs") != 1)
		child_fail("Seccomp %d NoNewPrivs %d, want 2 and 1",
			   status_field("Seccomp"), status_field("NoNewPrivs"));
}

START_TEST(loads_unprivileged_without_no_new_privs)
{
	in_child(unprivileged_child);
}
END_TEST

static void empty_plan_child(void)
{
	struct seccomp_plan plan = { .use_default = false, .nextra = 0 };
	int before = status_field("Seccomp");

	apply_or_fail(&plan);
	if (status_field("Seccomp") != before)
		child_fail("an empty plan loaded a filter");
}

START_TEST(empty_plan_loads_nothing)
{
	in_child(empty_plan_child);
}
END_TEST

static void bad_number_child(void)
{
	/* -1 is __NR_SCMP_ERROR: libseccomp refuses a rule for it. */
	struct seccomp_plan plan = { .use_default = true, .extra = { -1 }, .nextra = 1 };
	struct spawn_error e = { 0 };
	int before = status_field("Seccomp");

	if (seccomp_apply(&plan, &e) != -1)
		child_fail("a bogus syscall number was accepted");
	if (e.stage != STAGE_SECCOMP || e.err != EINVAL)
		child_fail("stage %d err %d, want %d and EINVAL", e.stage, e.err, STAGE_SECCOMP);
	if (strncmp(e.what, "add seccomp rule", 16) != 0)
		child_fail("what = '%s'", e.what);
	if (status_field("Seccomp") != before)
		child_fail("a filter was loaded despite the failure");
}

START_TEST(failure_fills_spawn_error_and_loads_nothing)
{
	in_child(bad_number_child);
}
END_TEST

static Suite *seccomp_suite(void)
{
	Suite *s = suite_create("seccomp_filter");
	TCase *parse = tcase_create("parse");
	TCase *apply = tcase_create("apply");

	tcase_add_test(parse, parse_one_name);
	tcase_add_test(parse, parse_several_names_in_order);
	tcase_add_test(parse, parse_unknown_name_is_einval_pointing_at_it);
	tcase_add_test(parse, parse_empty_entries_are_einval);
	tcase_add_test(parse, parse_is_case_and_space_strict);
	tcase_add_test(parse, parse_overlong_name_is_einval);
	tcase_add_test(parse, parse_more_than_max_is_e2big);
	tcase_add_test(parse, parse_duplicates_count_once);
	tcase_add_test(parse, default_list_names_resolve);
	tcase_add_test(parse, parse_name_of_another_arch_is_einval);
	tcase_add_test(parse, default_list_has_clock_and_io_uring);
	tcase_add_test(parse, default_list_spares_ptrace_and_personality);
	suite_add_tcase(s, parse);
	tcase_add_test(apply, default_filter_denies_with_eperm);
	tcase_add_test(apply, new_mount_api_denied_with_enosys);
	tcase_add_test(apply, denied_clone3_lets_glibc_fall_back);
	tcase_add_test(apply, extra_list_alone_denies_only_its_names);
	tcase_add_test(apply, default_and_extra_lists_combine);
	tcase_add_test(apply, loads_unprivileged_without_no_new_privs);
	tcase_add_test(apply, empty_plan_loads_nothing);
	tcase_add_test(apply, failure_fills_spawn_error_and_loads_nothing);
	suite_add_tcase(s, apply);
	return s;
}

int main(void)
{
	return run_suite(seccomp_suite(), KEEP_FORK_STATUS);
}
