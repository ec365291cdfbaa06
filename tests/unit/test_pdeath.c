/* test_pdeath: pdeath_arm sets the parent-death signal and, when the
 * parent died before that (the kernel will never send it then), sends the
 * signal to the caller itself. The race is made deterministic: the
 * process under test records its parent, has it exit, waits until it has
 * been re-parented, and only then arms the signal. */
#include "pdeath.h"

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check_main.h"

enum { PROBE_OK = 0, PROBE_NOT_PENDING = 1, PROBE_BAD_RESULT = 2, PROBE_SETUP = 3 };

/* Block sig, arm it with parent_before, and report (as an exit code)
 * whether the result and the pending state match want_sent. */
static int arm_and_check(int sig, pid_t parent_before, bool want_sent)
{
	sigset_t set, pend;
	int r, armed;

	sigemptyset(&set);
	sigaddset(&set, sig);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return PROBE_SETUP;
	r = pdeath_arm(sig, parent_before);
	if (r != (want_sent ? 1 : 0))
		return PROBE_BAD_RESULT;
	if (prctl(PR_GET_PDEATHSIG, &armed) < 0 || armed != sig)
		return PROBE_BAD_RESULT;
	if (sigpending(&pend) < 0)
		return PROBE_SETUP;
	return sigismember(&pend, sig) == want_sent ? PROBE_OK : PROBE_NOT_PENDING;
}

static int wait_code(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

START_TEST(live_parent_arms_without_sending)
{
	pid_t c = fork();

	ck_assert_int_ge(c, 0);
	if (c == 0)
		_exit(arm_and_check(SIGUSR1, getppid(), false));
	ck_assert_int_eq(wait_code(c), PROBE_OK);
}
END_TEST

/* Grandchild of a subreaper probe: its parent exits after it recorded
 * it, so it is re-parented to the probe before it arms the signal. */
static void orphan_then_arm(void)
{
	struct timespec ms = { 0, 1000000 };
	int p[2];
	pid_t mid, g;
	char c = 0;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0 || pipe(p) < 0)
		_exit(PROBE_SETUP);
	mid = fork();
	if (mid < 0)
		_exit(PROBE_SETUP);
	if (mid == 0) {
		g = fork();
		if (g < 0)
			_exit(PROBE_SETUP);
		if (g == 0) {
			pid_t before = getppid();

			/* Tell the parent to go, then wait (bounded) until it has. */
			if (write(p[1], "x", 1) != 1)
				_exit(PROBE_SETUP);
			for (int i = 0; getppid() == before; i++) {
				if (i > 10000)
					_exit(PROBE_SETUP);
				nanosleep(&ms, NULL);
			}
			_exit(arm_and_check(SIGUSR1, before, true));
		}
		if (read(p[0], &c, 1) != 1)
			_exit(PROBE_SETUP);
		_exit(0);
	}
	if (wait_code(mid) != 0)
		_exit(PROBE_SETUP);
	/* The grandchild is ours now (subreaper): its status is the result. */
	{
		int st;
		pid_t w;

		do {
			w = wait(&st);
		} while (w < 0 && errno == EINTR);
		if (w < 0 || !WIFEXITED(st))
			_exit(PROBE_SETUP);
		_exit(WEXITSTATUS(st));
	}
}

START_TEST(parent_dead_before_arming_sends_the_signal_to_self)
{
	pid_t probe = fork();

	ck_assert_int_ge(probe, 0);
	if (probe == 0)
		orphan_then_arm();
	ck_assert_int_eq(wait_code(probe), PROBE_OK);
}
END_TEST

static Suite *pdeath_suite(void)
{
	Suite *s = suite_create("pdeath");
	TCase *c = tcase_create("arm");

	tcase_add_test(c, live_parent_arms_without_sending);
	tcase_add_test(c, parent_dead_before_arming_sends_the_signal_to_self);
	suite_add_tcase(s, c);
	return s;
}

int main(void)
{
	return run_suite(pdeath_suite(), KEEP_FORK_STATUS);
}
