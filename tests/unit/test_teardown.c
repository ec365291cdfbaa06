/* Unit tests for finding the process tree and the cgroup OOM counters. */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "proctree.h"
#include "teardown.h"
#include "check_main.h"

START_TEST(descendants_include_grandchildren_in_any_order)
{
	/* 10 <- 11 <- 12 <- 13, 10 <- 14; 20 is unrelated; 13 listed first. */
	pid_t pid[] = { 13, 20, 11, 12, 14, 10 };
	pid_t ppid[] = { 12, 1, 10, 11, 10, 1 };
	unsigned char d[6];

	ck_assert_uint_eq(proctree_descendants(pid, ppid, 6, 10, d), 4);
	ck_assert(d[0] && d[2] && d[3] && d[4]);
	ck_assert(!d[1]);
	ck_assert(!d[5]);
}
END_TEST

START_TEST(descendants_of_leaf_is_empty)
{
	pid_t pid[] = { 2, 3 };
	pid_t ppid[] = { 1, 2 };
	unsigned char d[2];

	ck_assert_uint_eq(proctree_descendants(pid, ppid, 2, 3, d), 0);
}
END_TEST

/* A deep chain listed deepest first (pids wrapped, or parents
 * re-parented to a later vigil): found in n log n, not n^2 per level. */
START_TEST(descendants_of_a_deep_chain_listed_deepest_first)
{
	enum { N = 20000 };
	pid_t *pid = malloc((N + 2) * sizeof(*pid)), *ppid = malloc((N + 2) * sizeof(*ppid));
	unsigned char *d = malloc(N + 2);

	ck_assert(pid && ppid && d);
	/* 10 <- 11 <- ... <- 10+N, listed from 10+N down; 7 and 8 are each
	 * other's parent (a pid reused while /proc was read), not ours. */
	for (int i = 0; i < N; i++) {
		pid[i] = 10 + N - i;
		ppid[i] = 10 + N - i - 1;
	}
	pid[N] = 7, ppid[N] = 8;
	pid[N + 1] = 8, ppid[N + 1] = 7;
	ck_assert_uint_eq(proctree_descendants(pid, ppid, N + 2, 10, d), N);
	for (int i = 0; i < N; i++)
		ck_assert(d[i]);
	ck_assert(!d[N] && !d[N + 1]);
	free(pid);
	free(ppid);
	free(d);
}
END_TEST

START_TEST(pid_order_survives_the_wrap)
{
	/* Handed out after 100 and up to 200. */
	ck_assert(proctree_pid_allocated_in(150, 100, 200));
	ck_assert(proctree_pid_allocated_in(200, 100, 200));
	ck_assert(!proctree_pid_allocated_in(100, 100, 200));
	ck_assert(!proctree_pid_allocated_in(50, 100, 200));
	ck_assert(!proctree_pid_allocated_in(250, 100, 200));
	/* The counter wrapped at pid_max: after 32000, then 300 up to 40. */
	ck_assert(proctree_pid_allocated_in(32100, 32000, 40));
	ck_assert(proctree_pid_allocated_in(5, 32000, 40));
	ck_assert(!proctree_pid_allocated_in(41, 32000, 40));
	ck_assert(!proctree_pid_allocated_in(31999, 32000, 40));
	/* Nothing handed out. */
	ck_assert(!proctree_pid_allocated_in(100, 100, 100));
}
END_TEST

START_TEST(set_finds_a_pid_whatever_its_start)
{
	struct teardown_set s = { 0 };
	struct proc_id a[] = { { 30, 5 }, { 10, 7 }, { 20, 1 } };

	ck_assert(!teardown_set_has_pid(&s, 10));
	ck_assert_int_eq(teardown_set_merge(&s, a, 3), 0);
	ck_assert(teardown_set_has_pid(&s, 10) && teardown_set_has_pid(&s, 20) && teardown_set_has_pid(&s, 30));
	ck_assert(!teardown_set_has_pid(&s, 15) && !teardown_set_has_pid(&s, 5) && !teardown_set_has_pid(&s, 31));
	teardown_set_free(&s);
}
END_TEST

START_TEST(stat_start_time_after_negative_fields)
{
	/* A real-time process: priority and nice below zero. */
	const char *line = "42 (rt) S 7 42 42 0 -1 4194560 100 0 0 0 1 2 0 0 -100 -5 1 0 123456 1000 200\n";
	unsigned long long start;
	pid_t pp;
	char st;

	ck_assert_int_eq(proctree_parse_stat(line, &pp, &st, &start), 0);
	ck_assert_int_eq(pp, 7);
	ck_assert_uint_eq(start, 123456);
}
END_TEST

START_TEST(stat_ppid_survives_hostile_comm)
{
	const char *line = "42 (a) b) c) S 7 42 42 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 5 1000 200";
	unsigned long long start;
	pid_t pp;
	char st;

	ck_assert_int_eq(proctree_parse_stat(line, &pp, &st, &start), 0);
	ck_assert_int_eq(pp, 7);
	ck_assert_int_eq(st, 'S');
	ck_assert_int_eq(proctree_parse_stat("42 (x", &pp, &st, &start), -EINVAL);
}
END_TEST

START_TEST(stat_start_time_after_hostile_comm)
{
	const char *line = "42 (a) b) c) S 7 42 42 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 200";
	unsigned long long start;
	pid_t pp;
	char st;

	ck_assert_int_eq(proctree_parse_stat(line, &pp, &st, &start), 0);
	ck_assert_int_eq(pp, 7);
	ck_assert_int_eq(st, 'S');
	ck_assert_uint_eq(start, 987654);
	ck_assert_int_eq(proctree_parse_stat("42 (a) S 7 42 42 0", &pp, &st, &start), -EINVAL);
}
END_TEST

START_TEST(set_tells_reused_pid_apart)
{
	struct teardown_set s = { 0 };
	struct proc_id a[] = { { 30, 5 }, { 10, 7 }, { 20, 1 } };
	struct proc_id b = { 10, 9 };

	ck_assert_int_eq(teardown_set_merge(&s, a, 3), 0);
	ck_assert(teardown_set_has(&s, a[0]) && teardown_set_has(&s, a[1]) && teardown_set_has(&s, a[2]));
	ck_assert(!teardown_set_has(&s, b));   /* same pid, later start: another process */
	ck_assert_int_eq(teardown_set_merge(&s, &b, 1), 0);
	ck_assert(teardown_set_has(&s, b));
	ck_assert_uint_eq(s.n, 4);
	teardown_set_free(&s);
	ck_assert(!teardown_set_has(&s, b));
}
END_TEST

/* Two passes over the same children with the same set: the second one
 * finds every one of them already done and signals nobody again. */
START_TEST(second_pass_signals_nobody_again)
{
	struct teardown_set done = { 0 };
	struct teardown_pass p;
	pid_t kids[3];

	for (int i = 0; i < 3; i++) {
		kids[i] = fork();
		ck_assert_int_ge(kids[i], 0);
		if (kids[i] == 0) {
			pause();
			_exit(0);
		}
	}
	/* SIGCONT: harmless, yet a real signal through the same path. */
	ck_assert_int_eq(teardown_signal_tree(SIGCONT, &done, &p), 0);
	ck_assert_int_eq(p.reached, 3);
	ck_assert_int_eq(p.live, 3);
	ck_assert_int_eq(teardown_signal_tree(SIGCONT, &done, &p), 0);
	ck_assert_int_eq(p.reached, 0);
	ck_assert_int_eq(teardown_signal_tree(SIGKILL, &done, &p), 0);
	ck_assert_int_eq(p.reached, 0);
	teardown_set_free(&done);
	ck_assert_int_eq(teardown_signal_tree(SIGKILL, &done, &p), 0);
	ck_assert_int_eq(p.reached, 3);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(waitpid(kids[i], NULL, 0), kids[i]);
	teardown_set_free(&done);
}
END_TEST

START_TEST(cgroup_v1_memory_line_wins)
{
	char p[256];
	const char *t = "9:name=systemd:/\n4:cpu,memory:/docker/abc\n0::/other\n";

	ck_assert_int_eq(cgroup_memory_path(t, p, sizeof(p)), 1);
	ck_assert_str_eq(p, "/docker/abc");
}
END_TEST

START_TEST(cgroup_v2_when_no_v1_memory)
{
	char p[256];

	ck_assert_int_eq(cgroup_memory_path("0::/kubepods/pod1\n", p, sizeof(p)), 2);
	ck_assert_str_eq(p, "/kubepods/pod1");
	ck_assert_int_eq(cgroup_memory_path("3:cpu:/x\n", p, sizeof(p)), -ENOENT);
}
END_TEST

START_TEST(cgroup_oom_kill_field_parsed)
{
	ck_assert_int_eq(cgroup_parse_oom_kill("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n"), 3);
	ck_assert_int_eq(cgroup_parse_oom_kill("low 0\nhigh 0\nmax 5\noom 2\noom_kill 2\n"), 2);
	ck_assert_int_eq(cgroup_parse_oom_kill("oom_kill_disable 0\n"), -ENOENT);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("teardown");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, descendants_include_grandchildren_in_any_order);
	tcase_add_test(tc, descendants_of_leaf_is_empty);
	tcase_add_test(tc, descendants_of_a_deep_chain_listed_deepest_first);
	tcase_add_test(tc, pid_order_survives_the_wrap);
	tcase_add_test(tc, set_finds_a_pid_whatever_its_start);
	tcase_add_test(tc, stat_start_time_after_negative_fields);
	tcase_add_test(tc, stat_ppid_survives_hostile_comm);
	tcase_add_test(tc, stat_start_time_after_hostile_comm);
	tcase_add_test(tc, set_tells_reused_pid_apart);
	tcase_add_test(tc, second_pass_signals_nobody_again);
	tcase_add_test(tc, cgroup_v1_memory_line_wins);
	tcase_add_test(tc, cgroup_v2_when_no_v1_memory);
	tcase_add_test(tc, cgroup_oom_kill_field_parsed);
	suite_add_tcase(s, tc);
	return run_suite(s, KEEP_FORK_STATUS);
}
