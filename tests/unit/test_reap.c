/* test_reap: wait status -> exit code, and reap_all collecting every zombie
 * (SIGCHLD coalesces, so one call must take them all) on real children. */
#include "vigil.h"

#include "log.h"

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check_main.h"

#define NCHILD 50

START_TEST(exit_status_gives_the_exit_code)
{
	ck_assert_int_eq(status_exit_code(W_EXITCODE(3, 0), NULL), 3);
	ck_assert_int_eq(status_exit_code(W_EXITCODE(0, 0), NULL), 0);
	ck_assert_int_eq(status_exit_code(W_EXITCODE(255, 0), NULL), 255);
}
END_TEST

START_TEST(remapped_exit_code_becomes_zero)
{
	bool remap[256] = { false };

	remap[3] = true;
	ck_assert_int_eq(status_exit_code(W_EXITCODE(3, 0), remap), 0);
	ck_assert_int_eq(status_exit_code(W_EXITCODE(4, 0), remap), 4);
}
END_TEST

START_TEST(remap_of_signal_number_does_not_apply_to_signal_deaths)
{
	bool remap[256] = { false };

	remap[9] = true;
	ck_assert_int_eq(status_exit_code(W_EXITCODE(0, SIGKILL), remap), 137);
}
END_TEST

/* tini remaps the final code: -e 143 turns a SIGTERM death into 0. */
START_TEST(remap_of_128_plus_n_applies_to_signal_deaths)
{
	bool remap[256] = { false };

	remap[143] = true;
	ck_assert_int_eq(status_exit_code(W_EXITCODE(0, SIGTERM), remap), 0);
	ck_assert_int_eq(status_exit_code(W_EXITCODE(0, SIGKILL), remap), 137);
	ck_assert_int_eq(status_exit_code(W_EXITCODE(143, 0), remap), 0);
}
END_TEST

START_TEST(signal_death_gives_128_plus_signal)
{
	ck_assert_int_eq(status_exit_code(9, NULL), 137);
	ck_assert_int_eq(status_exit_code(15, NULL), 143);
	ck_assert_int_eq(status_exit_code(W_EXITCODE(0, SIGINT), NULL), 130);
	/* core dump bit set */
	ck_assert_int_eq(status_exit_code(SIGSEGV | 0x80, NULL), 128 + SIGSEGV);
}
END_TEST

START_TEST(stopped_status_is_internal_error)
{
	ck_assert_int_eq(status_exit_code(W_STOPCODE(SIGSTOP), NULL), EXIT_INTERNAL);
}
END_TEST

/* Fork n children exiting with code(i); block until all are zombies
 * (WNOWAIT leaves them unreaped). */
static void spawn_zombies(pid_t *pids, int n, int (*code)(int))
{
	for (int i = 0; i < n; i++) {
		pid_t p = fork();

		ck_assert_int_ge(p, 0);
		if (p == 0)
			_exit(code(i));
		pids[i] = p;
	}
	for (int i = 0; i < n; i++) {
		siginfo_t si;

		ck_assert_int_eq(waitid(P_PID, (id_t)pids[i], &si, WEXITED | WNOWAIT), 0);
	}
}

static int code_by_index(int i)
{
	return i == 17 ? 42 : i % 7;
}

static int code_three(int i)
{
	(void)i;
	return 3;
}

static struct options opt;
static struct vigil v;

static void setup(void)
{
	memset(&opt, 0, sizeof(opt));
	options_defaults(&opt, FE_VIGIL);
	memset(&v, 0, sizeof(v));
	v.opt = &opt;
	v.sfd = -1;
	log_trace = false;
}

static void assert_no_children_left(void)
{
	errno = 0;
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
}

START_TEST(reap_all_collects_every_zombie_in_one_call)
{
	pid_t pids[NCHILD];

	spawn_zombies(pids, NCHILD, code_by_index);
	v.child = pids[17];
	ck_assert_uint_eq(reap_all(&v), NCHILD);
	ck_assert_uint_eq(v.reaped, NCHILD);
	assert_no_children_left();
}
END_TEST

START_TEST(reap_all_main_child_sets_stop_and_exit_code)
{
	pid_t pids[NCHILD];

	spawn_zombies(pids, NCHILD, code_by_index);
	v.child = pids[17];
	reap_all(&v);
	ck_assert(v.stop);
	ck_assert_int_eq(v.exit_code, 42);
	ck_assert_int_eq(v.child, 0);
	ck_assert(WIFEXITED(v.child_status));
	ck_assert_int_eq(WEXITSTATUS(v.child_status), 42);
}
END_TEST

START_TEST(reap_all_orphans_only_do_not_stop)
{
	pid_t pids[NCHILD];

	spawn_zombies(pids, NCHILD, code_by_index);
	v.child = 999999; /* not among them */
	ck_assert_uint_eq(reap_all(&v), NCHILD);
	ck_assert(!v.stop);
	ck_assert_int_eq(v.child, 999999);
}
END_TEST

START_TEST(reap_all_applies_exit_remap_to_main_child)
{
	pid_t pids[1];

	opt.remap_exit[3] = true;
	spawn_zombies(pids, 1, code_three);
	v.child = pids[0];
	ck_assert_uint_eq(reap_all(&v), 1);
	ck_assert(v.stop);
	ck_assert_int_eq(v.exit_code, 0);
}
END_TEST

START_TEST(reap_all_main_child_killed_by_signal_gives_128_plus_n)
{
	pid_t p = fork();
	siginfo_t si;

	ck_assert_int_ge(p, 0);
	if (p == 0) {
		signal(SIGTERM, SIG_DFL);
		raise(SIGTERM);
		_exit(1);
	}
	ck_assert_int_eq(waitid(P_PID, (id_t)p, &si, WEXITED | WNOWAIT), 0);
	v.child = p;
	ck_assert_uint_eq(reap_all(&v), 1);
	ck_assert_int_eq(v.exit_code, 128 + SIGTERM);
}
END_TEST

START_TEST(reap_all_without_children_returns_zero)
{
	v.child = 0;
	ck_assert_uint_eq(reap_all(&v), 0);
	ck_assert(!v.stop);
	ck_assert_uint_eq(v.reaped, 0);
}
END_TEST

START_TEST(reap_all_leaves_running_children_alone)
{
	pid_t pids[3];
	pid_t running = fork();

	ck_assert_int_ge(running, 0);
	if (running == 0) {
		pause();
		_exit(0);
	}
	spawn_zombies(pids, 3, code_three);
	v.child = running;
	ck_assert_uint_eq(reap_all(&v), 3);
	ck_assert(!v.stop);
	ck_assert_int_eq(v.child, running);
	kill(running, SIGKILL);
	ck_assert_int_eq(waitpid(running, NULL, 0), running);
}
END_TEST

START_TEST(reap_all_with_trace_and_warn_still_reaps_all)
{
	pid_t pids[NCHILD];

	/* This path peeks each zombie first (waitid WNOWAIT) to read its name. */
	log_trace = true;
	opt.warn_reap = true;
	spawn_zombies(pids, NCHILD, code_by_index);
	v.child = pids[17];
	ck_assert_uint_eq(reap_all(&v), NCHILD);
	ck_assert_int_eq(v.exit_code, 42);
	assert_no_children_left();
	log_trace = false;
}
END_TEST

static int hook_reaped;
static int hook_child_exits;
static pid_t hook_last_pid;

static bool on_reaped(struct vigil *vg, pid_t pid, int status)
{
	(void)vg;
	(void)status;
	hook_reaped++;
	hook_last_pid = pid;
	return false;
}

static void on_child_exit(struct vigil *vg)
{
	ck_assert_int_eq(vg->child, 0);
	hook_child_exits++;
}

START_TEST(reap_all_hands_main_child_exit_to_extension)
{
	static const struct loop_ext ext = {
		.on_reaped = on_reaped,
		.on_child_exit = on_child_exit,
	};
	pid_t pids[5];

	hook_reaped = hook_child_exits = 0;
	v.ext = &ext;
	spawn_zombies(pids, 5, code_three);
	v.child = pids[2];
	ck_assert_uint_eq(reap_all(&v), 5);
	ck_assert_int_eq(hook_reaped, 5);
	ck_assert_int_eq(hook_child_exits, 1);
	/* The extension decides when to stop, not reap_all. */
	ck_assert(!v.stop);
	ck_assert_int_eq(WEXITSTATUS(v.child_status), 3);
	ck_assert_int_gt(hook_last_pid, 0);
}
END_TEST

static Suite *reap_suite(void)
{
	Suite *s = suite_create("reap");
	TCase *c = tcase_create("status");
	TCase *r = tcase_create("reap_all");

	tcase_add_test(c, exit_status_gives_the_exit_code);
	tcase_add_test(c, remapped_exit_code_becomes_zero);
	tcase_add_test(c, remap_of_signal_number_does_not_apply_to_signal_deaths);
	tcase_add_test(c, remap_of_128_plus_n_applies_to_signal_deaths);
	tcase_add_test(c, signal_death_gives_128_plus_signal);
	tcase_add_test(c, stopped_status_is_internal_error);
	suite_add_tcase(s, c);

	tcase_add_checked_fixture(r, setup, NULL);
	tcase_add_test(r, reap_all_collects_every_zombie_in_one_call);
	tcase_add_test(r, reap_all_main_child_sets_stop_and_exit_code);
	tcase_add_test(r, reap_all_orphans_only_do_not_stop);
	tcase_add_test(r, reap_all_applies_exit_remap_to_main_child);
	tcase_add_test(r, reap_all_main_child_killed_by_signal_gives_128_plus_n);
	tcase_add_test(r, reap_all_without_children_returns_zero);
	tcase_add_test(r, reap_all_leaves_running_children_alone);
	tcase_add_test(r, reap_all_with_trace_and_warn_still_reaps_all);
	tcase_add_test(r, reap_all_hands_main_child_exit_to_extension);
	suite_add_tcase(s, r);
	return s;
}

int main(void)
{
	/* Each test runs in its own forked process (Check's default), so the
	 * children a test creates are the only ones reap_all can see. */
	return run_suite(reap_suite(), CK_FORK);
}
