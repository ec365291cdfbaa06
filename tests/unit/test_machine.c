/* Unit tests for the supervisor's transition table: each row is one phase
 * and one event, with the phase and the actions that must follow. The
 * scenarios below replay the races a review found in the older code. */
#include <check.h>
#include <stdio.h>

#include "machine.h"
#include "check_main.h"

static const struct policy no_delay = { .restart = RESTART_NO };
static const struct policy delay = { .term_delay_ms = 5000, .restart = RESTART_NO };
static const struct policy on_failure2 = { .restart = RESTART_ON_FAILURE, .restart_max = 2 };
/* Health probes: three failures make unhealthy. */
static const struct policy h_log = { .health = true, .health_retries = 3, .on_unhealthy = UNHEALTHY_LOG };
static const struct policy h_stop = { .health = true, .health_retries = 2, .on_unhealthy = UNHEALTHY_STOP };
static const struct policy h_restart1 = {
	.restart = RESTART_ON_FAILURE, .restart_max = 1,
	.health = true, .health_retries = 1, .on_unhealthy = UNHEALTHY_RESTART,
};
static const struct policy notify = { .restart = RESTART_NO, .notify = true };
static const struct policy notify_restart = { .restart = RESTART_ON_FAILURE, .notify = true };
static const struct policy h_notify = { .health = true, .health_retries = 3, .notify = true };

#define SIG(k) { .kind = EV_SIGNAL, .sig = (k) }
#define TIMER(t) { .kind = EV_TIMER, .timer = (t) }
#define ARMFAIL(t) { .kind = EV_ARM_FAILED, .timer = (t) }
#define EXITED(c) { .kind = EV_CHILD_EXITED, .exit_code = (c) }
#define EV(k) { .kind = (k) }
#define PROBE(r) { .kind = EV_PROBE_RESULT, .probe = (r) }
#define PROBE_EARLY(r) { .kind = EV_PROBE_RESULT, .probe = (r), .in_start_period = true }

struct row {
	enum phase from;
	const struct policy *p;
	struct event e;
	enum phase to;
	unsigned actions;
};

static const struct row table[] = {
	/* starting */
	{ PH_STARTING, &no_delay, EV(EV_STARTED), PH_RUNNING, 0 },
	{ PH_STARTING, &no_delay, EV(EV_SPAWN_FAILED), PH_DONE, 0 },
	/* running */
	{ PH_RUNNING, &no_delay, SIG(SK_TERM), PH_RUNNING, ACT_FORWARD },
	{ PH_RUNNING, &delay, SIG(SK_TERM), PH_TERM_HELD, ACT_ARM_TERM_DELAY },
	{ PH_RUNNING, &delay, SIG(SK_INT_QUIT), PH_RUNNING, ACT_FORWARD },
	{ PH_RUNNING, &delay, SIG(SK_OTHER), PH_RUNNING, ACT_FORWARD },
	{ PH_RUNNING, &no_delay, EV(EV_STOP_FORWARDED), PH_STOPPING, ACT_ARM_GRACE },
	{ PH_RUNNING, &no_delay, EXITED(0), PH_TEARDOWN, ACT_TERM_TREE | ACT_ARM_GRACE },
	{ PH_RUNNING, &no_delay, TIMER(TM_GRACE), PH_RUNNING, 0 },
	/* term held */
	{ PH_TERM_HELD, &delay, SIG(SK_TERM), PH_RUNNING, ACT_DISARM_TERM_DELAY | ACT_FORWARD_TERM },
	{ PH_TERM_HELD, &delay, SIG(SK_INT_QUIT), PH_RUNNING,
	  ACT_DISARM_TERM_DELAY | ACT_FORWARD_TERM | ACT_FORWARD },
	{ PH_TERM_HELD, &delay, SIG(SK_OTHER), PH_TERM_HELD, ACT_FORWARD },
	{ PH_TERM_HELD, &delay, TIMER(TM_TERM_DELAY), PH_RUNNING, ACT_FORWARD_TERM },
	{ PH_TERM_HELD, &delay, ARMFAIL(TM_TERM_DELAY), PH_RUNNING, ACT_FORWARD_TERM },
	{ PH_TERM_HELD, &delay, EV(EV_STOP_FORWARDED), PH_TERM_HELD, 0 },
	{ PH_TERM_HELD, &delay, EXITED(0), PH_TEARDOWN,
	  ACT_DISARM_TERM_DELAY | ACT_TERM_TREE | ACT_ARM_GRACE },
	/* stopping */
	{ PH_STOPPING, &no_delay, SIG(SK_TERM), PH_STOPPING, ACT_FORWARD },
	{ PH_STOPPING, &no_delay, EV(EV_STOP_FORWARDED), PH_STOPPING, 0 },
	{ PH_STOPPING, &no_delay, TIMER(TM_GRACE), PH_KILLING, ACT_KILL_MAIN | ACT_KILL_TREE },
	{ PH_STOPPING, &no_delay, ARMFAIL(TM_GRACE), PH_RUNNING, 0 },
	{ PH_STOPPING, &no_delay, EXITED(143), PH_TEARDOWN, ACT_TERM_TREE },
	/* teardown */
	{ PH_TEARDOWN, &no_delay, SIG(SK_TERM), PH_TEARDOWN, 0 },
	{ PH_TEARDOWN, &no_delay, SIG(SK_OTHER), PH_TEARDOWN, 0 },
	{ PH_TEARDOWN, &no_delay, EV(EV_TREE_LEFT), PH_TEARDOWN, 0 },
	{ PH_TEARDOWN, &no_delay, TIMER(TM_GRACE), PH_KILLING, ACT_KILL_TREE },
	{ PH_TEARDOWN, &no_delay, ARMFAIL(TM_GRACE), PH_KILLING, ACT_KILL_TREE },
	{ PH_TEARDOWN, &no_delay, EV(EV_TREE_EMPTY), PH_DONE, ACT_DISARM_GRACE },
	/* killing */
	{ PH_KILLING, &no_delay, SIG(SK_TERM), PH_KILLING, ACT_FORWARD },
	{ PH_KILLING, &no_delay, EXITED(137), PH_KILLING, ACT_TERM_TREE | ACT_KILL_TREE },
	{ PH_KILLING, &no_delay, EV(EV_TREE_LEFT), PH_KILLING, ACT_KILL_TREE },
	{ PH_KILLING, &no_delay, EV(EV_TREE_EMPTY), PH_DONE, ACT_DISARM_GRACE },
	{ PH_KILLING, &no_delay, TIMER(TM_GRACE), PH_KILLING, 0 },
	/* restart wait */
	{ PH_RESTART_WAIT, &on_failure2, TIMER(TM_RESTART), PH_STARTING, ACT_START },
	{ PH_RESTART_WAIT, &on_failure2, SIG(SK_TERM), PH_DONE, ACT_DISARM_RESTART },
	{ PH_RESTART_WAIT, &on_failure2, SIG(SK_INT_QUIT), PH_DONE, ACT_DISARM_RESTART },
	{ PH_RESTART_WAIT, &on_failure2, SIG(SK_OTHER), PH_RESTART_WAIT, 0 },
	{ PH_RESTART_WAIT, &on_failure2, ARMFAIL(TM_RESTART), PH_DONE, 0 },
	/* health: a started child is probed after the interval */
	{ PH_STARTING, &h_log, EV(EV_STARTED), PH_RUNNING, ACT_ARM_PROBE | ACT_WRITE_HEALTH },
	{ PH_RUNNING, &h_log, TIMER(TM_PROBE), PH_RUNNING, ACT_ARM_PROBE_TIMEOUT | ACT_START_PROBE },
	{ PH_TERM_HELD, &h_log, TIMER(TM_PROBE), PH_TERM_HELD, ACT_ARM_PROBE_TIMEOUT | ACT_START_PROBE },
	{ PH_STOPPING, &h_log, TIMER(TM_PROBE), PH_STOPPING, 0 },
	{ PH_RESTART_WAIT, &h_log, TIMER(TM_PROBE), PH_RESTART_WAIT, 0 },
	/* a result nobody waits for changes nothing */
	{ PH_RUNNING, &h_log, PROBE(PR_OK), PH_RUNNING, 0 },
	{ PH_RUNNING, &h_log, TIMER(TM_PROBE_TIMEOUT), PH_RUNNING, 0 },
	{ PH_RUNNING, &h_log, EXITED(0), PH_TEARDOWN, ACT_TERM_TREE | ACT_ARM_GRACE | ACT_STOP_PROBES },
	/* waiting for dependencies (--wait-for) */
	{ PH_STARTING, &no_delay, EV(EV_WAIT_DEPS), PH_WAITING, ACT_ARM_WAIT_DEADLINE | ACT_CHECK_DEPS },
	{ PH_WAITING, &no_delay, EV(EV_DEPS_PENDING), PH_WAITING, ACT_ARM_WAIT_RETRY },
	{ PH_WAITING, &no_delay, TIMER(TM_WAIT_RETRY), PH_WAITING, ACT_CHECK_DEPS },
	{ PH_WAITING, &no_delay, EV(EV_DEPS_READY), PH_STARTING, ACT_DISARM_WAIT | ACT_START },
	{ PH_WAITING, &no_delay, TIMER(TM_WAIT_DEADLINE), PH_DONE, ACT_CANCEL_CHECK | ACT_DISARM_WAIT },
	{ PH_WAITING, &no_delay, EV(EV_SPAWN_FAILED), PH_DONE, ACT_CANCEL_CHECK | ACT_DISARM_WAIT },
	{ PH_WAITING, &no_delay, SIG(SK_TERM), PH_DONE, ACT_CANCEL_CHECK | ACT_DISARM_WAIT },
	{ PH_WAITING, &no_delay, SIG(SK_INT_QUIT), PH_DONE, ACT_CANCEL_CHECK | ACT_DISARM_WAIT },
	{ PH_WAITING, &no_delay, SIG(SK_OTHER), PH_WAITING, 0 },
	{ PH_WAITING, &no_delay, EV(EV_TREE_EMPTY), PH_WAITING, 0 },
	{ PH_WAITING, &no_delay, ARMFAIL(TM_WAIT_RETRY), PH_DONE, ACT_CANCEL_CHECK | ACT_DISARM_WAIT },
	{ PH_WAITING, &no_delay, ARMFAIL(TM_WAIT_DEADLINE), PH_DONE, ACT_CANCEL_CHECK | ACT_DISARM_WAIT },
	{ PH_WAITING, &notify, SIG(SK_TERM), PH_DONE, ACT_CANCEL_CHECK | ACT_DISARM_WAIT },
	/* readiness for the runtime (--notify-ready) */
	{ PH_STARTING, &notify, EV(EV_STARTED), PH_RUNNING, ACT_NOTIFY_READY },
	{ PH_RUNNING, &notify, SIG(SK_TERM), PH_RUNNING, ACT_FORWARD | ACT_NOTIFY_STOPPING },
	{ PH_RUNNING, &notify, SIG(SK_OTHER), PH_RUNNING, ACT_FORWARD },
	{ PH_RUNNING, &notify, EXITED(0), PH_TEARDOWN, ACT_TERM_TREE | ACT_ARM_GRACE | ACT_NOTIFY_STOPPING },
	{ PH_RUNNING, &notify_restart, EXITED(1), PH_TEARDOWN, ACT_TERM_TREE | ACT_ARM_GRACE },
	{ PH_RUNNING, &notify_restart, EXITED(0), PH_TEARDOWN,
	  ACT_TERM_TREE | ACT_ARM_GRACE | ACT_NOTIFY_STOPPING },
	{ PH_RESTART_WAIT, &notify_restart, SIG(SK_TERM), PH_DONE, ACT_DISARM_RESTART | ACT_NOTIFY_STOPPING },
	/* done absorbs everything */
	{ PH_DONE, &no_delay, SIG(SK_TERM), PH_DONE, 0 },
	{ PH_DONE, &no_delay, TIMER(TM_GRACE), PH_DONE, 0 },
	{ PH_DONE, &no_delay, EXITED(1), PH_DONE, 0 },
};

START_TEST(each_phase_answers_its_events)
{
	const struct row *r = &table[_i];
	struct machine m;
	struct step s;

	machine_init(&m, 0);
	m.phase = r->from;
	s = machine_next(&m, r->p, &r->e);
	ck_assert_msg(s.next.phase == r->to, "row %d (%s, event %d): phase %s, want %s", _i,
		      phase_name(r->from), r->e.kind, phase_name(s.next.phase), phase_name(r->to));
	ck_assert_msg(s.actions == r->actions, "row %d (%s, event %d): actions %#x, want %#x", _i,
		      phase_name(r->from), r->e.kind, s.actions, r->actions);
}
END_TEST

/* Drive m through events, returning the union of the actions. */
static unsigned feed(struct machine *m, const struct policy *p, const struct event *ev, size_t n)
{
	unsigned all = 0;

	for (size_t i = 0; i < n; i++) {
		struct step s = machine_next(m, p, &ev[i]);

		*m = s.next;
		all |= s.actions;
	}
	return all;
}

START_TEST(failed_child_restarts_until_the_limit)
{
	const struct event run_and_fail[] = { EV(EV_STARTED), EXITED(3), EV(EV_TREE_EMPTY) };
	struct machine m;

	machine_init(&m, 0);
	ck_assert(feed(&m, &on_failure2, run_and_fail, 3) & ACT_ARM_RESTART);
	ck_assert_int_eq(m.phase, PH_RESTART_WAIT);
	ck_assert_uint_eq(m.restarts, 1);
	m.phase = PH_STARTING;
	feed(&m, &on_failure2, run_and_fail, 3);
	ck_assert_int_eq(m.phase, PH_RESTART_WAIT);
	ck_assert_uint_eq(m.restarts, 2);
	m.phase = PH_STARTING;
	ck_assert(!(feed(&m, &on_failure2, run_and_fail, 3) & ACT_ARM_RESTART));
	ck_assert_int_eq(m.phase, PH_DONE);
	ck_assert_int_eq(m.outcome, OUT_RESTART_LIMIT);
	ck_assert_uint_eq(m.restarts, 2);
}
END_TEST

START_TEST(success_is_never_restarted)
{
	const struct event ev[] = { EV(EV_STARTED), EXITED(0), EV(EV_TREE_EMPTY) };
	struct machine m;

	machine_init(&m, 0);
	feed(&m, &on_failure2, ev, 3);
	ck_assert_int_eq(m.phase, PH_DONE);
	ck_assert_int_eq(m.outcome, OUT_NONE);
	ck_assert_uint_eq(m.restarts, 0);
}
END_TEST

/* The review's first finding: a SIGTERM during the teardown that comes
 * before a restart must end vigil, not restart the child, and must not
 * count a restart that never happened. */
START_TEST(term_during_teardown_cancels_the_restart)
{
	const struct event ev[] = { EV(EV_STARTED), EXITED(1), SIG(SK_TERM), EV(EV_TREE_EMPTY) };
	struct machine m;
	unsigned all;

	machine_init(&m, 0);
	all = feed(&m, &on_failure2, ev, 4);
	ck_assert_int_eq(m.phase, PH_DONE);
	ck_assert(!(all & (ACT_ARM_RESTART | ACT_START)));
	ck_assert_uint_eq(m.restarts, 0);
}
END_TEST

/* INT or QUIT during the term delay releases the held SIGTERM (which arms
 * the grace once it reaches the child) and follows as itself. */
START_TEST(int_during_term_delay_releases_term_and_arms_grace)
{
	const struct event ev[] = { EV(EV_STARTED), SIG(SK_TERM), SIG(SK_INT_QUIT) };
	const struct event fwd = EV(EV_STOP_FORWARDED);
	struct machine m;
	struct step s;

	machine_init(&m, 0);
	feed(&m, &delay, ev, 2);
	ck_assert_int_eq(m.phase, PH_TERM_HELD);
	s = machine_next(&m, &delay, &ev[2]);
	ck_assert_uint_eq(s.actions, ACT_DISARM_TERM_DELAY | ACT_FORWARD_TERM | ACT_FORWARD);
	s = machine_next(&s.next, &delay, &fwd);
	ck_assert_int_eq(s.next.phase, PH_STOPPING);
	ck_assert_uint_eq(s.actions, ACT_ARM_GRACE);
	ck_assert(s.next.stop_requested);
}
END_TEST

/* A timer that cannot be armed never leaves vigil waiting for ever. */
START_TEST(timer_arm_failure_never_waits_forever)
{
	const struct event restart_fail = ARMFAIL(TM_RESTART);
	struct machine m;
	struct step s;

	machine_init(&m, 0);
	m.phase = PH_TEARDOWN;
	s = machine_next(&m, &no_delay, &(struct event)ARMFAIL(TM_GRACE));
	ck_assert_uint_eq(s.actions & ACT_KILL_TREE, ACT_KILL_TREE);
	m.phase = PH_RESTART_WAIT;
	s = machine_next(&m, &on_failure2, &restart_fail);
	ck_assert_int_eq(s.next.phase, PH_DONE);
	ck_assert_int_eq(s.next.outcome, OUT_INTERNAL);
}
END_TEST

START_TEST(grace_expiry_kills_child_then_waits_for_the_tree)
{
	const struct event ev[] = {
		EV(EV_STARTED), SIG(SK_TERM), EV(EV_STOP_FORWARDED), TIMER(TM_GRACE),
		EXITED(137), EV(EV_TREE_LEFT), EV(EV_TREE_EMPTY),
	};
	struct machine m;
	unsigned all;

	machine_init(&m, 0);
	all = feed(&m, &on_failure2, ev, 7);
	ck_assert(all & ACT_KILL_MAIN);
	ck_assert_int_eq(m.phase, PH_DONE);
	ck_assert_int_eq(m.last_code, 137);
	/* A stop was asked for: on-failure does not bring it back. */
	ck_assert(!(all & ACT_ARM_RESTART));
}
END_TEST

START_TEST(stop_during_restart_wait_ends_at_once)
{
	const struct event ev[] = { EV(EV_STARTED), EXITED(1), EV(EV_TREE_EMPTY), SIG(SK_INT_QUIT) };
	struct machine m;

	machine_init(&m, 0);
	feed(&m, &on_failure2, ev, 4);
	ck_assert_int_eq(m.phase, PH_DONE);
	ck_assert_uint_eq(m.restarts, 1);
}
END_TEST

/* ---- health --------------------------------------------------------- */

/* A machine running its child with health probes, a probe under way. */
static struct machine probing(const struct policy *p)
{
	const struct event ev[] = { EV(EV_STARTED), TIMER(TM_PROBE) };
	struct machine m;

	machine_init(&m, 0);
	feed(&m, p, ev, 2);
	ck_assert(m.health.probing);
	return m;
}

static struct step result(struct machine *m, const struct policy *p, struct event e)
{
	struct step s = machine_next(m, p, &e);

	*m = s.next;
	return s;
}

START_TEST(a_passing_probe_makes_healthy_and_announces_it_once)
{
	struct machine m = probing(&h_log);
	struct step s = result(&m, &h_log, (struct event)PROBE(PR_OK));

	ck_assert_int_eq(m.health.status, HS_HEALTHY);
	ck_assert_uint_eq(s.actions, ACT_DISARM_PROBE_TIMEOUT | ACT_WRITE_HEALTH | ACT_ARM_PROBE | ACT_FIRST_HEALTHY);
	ck_assert_uint_eq(m.health.checks, 1);
	result(&m, &h_log, (struct event)TIMER(TM_PROBE));
	s = result(&m, &h_log, (struct event)PROBE(PR_OK));
	ck_assert(!(s.actions & ACT_FIRST_HEALTHY));
}
END_TEST

START_TEST(retries_consecutive_failures_make_unhealthy_and_log_keeps_probing)
{
	struct machine m = probing(&h_log);
	struct step s;

	for (int i = 0; i < 2; i++) {
		s = result(&m, &h_log, (struct event)PROBE(PR_FAIL));
		ck_assert_int_eq(m.health.status, HS_STARTING);
		result(&m, &h_log, (struct event)TIMER(TM_PROBE));
	}
	s = result(&m, &h_log, (struct event)PROBE(PR_FAIL));
	ck_assert_int_eq(m.health.status, HS_UNHEALTHY);
	ck_assert_uint_eq(m.health.fails, 3);
	ck_assert_uint_eq(m.health.failures, 3);
	/* log: the child runs on and is probed again. */
	ck_assert_int_eq(m.phase, PH_RUNNING);
	ck_assert(s.actions & ACT_ARM_PROBE);
	ck_assert(!(s.actions & (ACT_FORWARD_TERM | ACT_STOP_PROBES)));
}
END_TEST

START_TEST(a_pass_after_unhealthy_recovers_and_resets_the_count)
{
	struct machine m = probing(&h_log);

	for (int i = 0; i < 3; i++) {
		result(&m, &h_log, (struct event)PROBE(PR_FAIL));
		result(&m, &h_log, (struct event)TIMER(TM_PROBE));
	}
	ck_assert_int_eq(m.health.status, HS_UNHEALTHY);
	result(&m, &h_log, (struct event)PROBE(PR_OK));
	ck_assert_int_eq(m.health.status, HS_HEALTHY);
	ck_assert_uint_eq(m.health.fails, 0);
	ck_assert_uint_eq(m.health.failures, 3);
	/* One more failure is one, not four. */
	result(&m, &h_log, (struct event)TIMER(TM_PROBE));
	result(&m, &h_log, (struct event)PROBE(PR_FAIL));
	ck_assert_int_eq(m.health.status, HS_HEALTHY);
	ck_assert_uint_eq(m.health.fails, 1);
}
END_TEST

START_TEST(failures_in_the_start_period_count_only_after_a_pass)
{
	struct machine m = probing(&h_log);

	for (int i = 0; i < 5; i++) {
		result(&m, &h_log, (struct event)PROBE_EARLY(PR_FAIL));
		result(&m, &h_log, (struct event)TIMER(TM_PROBE));
	}
	ck_assert_int_eq(m.health.status, HS_STARTING);
	ck_assert_uint_eq(m.health.fails, 0);
	ck_assert_uint_eq(m.health.failures, 5);
	result(&m, &h_log, (struct event)PROBE_EARLY(PR_OK));
	for (int i = 0; i < 3; i++) {
		result(&m, &h_log, (struct event)TIMER(TM_PROBE));
		result(&m, &h_log, (struct event)PROBE_EARLY(PR_FAIL));
	}
	ck_assert_int_eq(m.health.status, HS_UNHEALTHY);
}
END_TEST

START_TEST(a_probe_over_its_timeout_is_killed_and_counts_as_a_failure)
{
	struct machine m = probing(&h_log);
	struct step s = result(&m, &h_log, (struct event)TIMER(TM_PROBE_TIMEOUT));

	ck_assert_uint_eq(s.actions, ACT_KILL_PROBE);
	ck_assert(m.health.probing);
	/* A probe due meanwhile does not start a second one. */
	s = result(&m, &h_log, (struct event)TIMER(TM_PROBE));
	ck_assert_uint_eq(s.actions, 0);
	s = result(&m, &h_log, (struct event)PROBE(PR_TIMEOUT));
	ck_assert_uint_eq(m.health.fails, 1);
	ck_assert(s.actions & ACT_ARM_PROBE);
	/* Without a timeout timer the probe is killed at once. */
	m = probing(&h_log);
	s = result(&m, &h_log, (struct event)ARMFAIL(TM_PROBE_TIMEOUT));
	ck_assert_uint_eq(s.actions, ACT_KILL_PROBE);
}
END_TEST

START_TEST(unhealthy_stop_takes_the_stop_path_and_ends_unhealthy)
{
	const struct event down[] = { EXITED(0), EV(EV_TREE_EMPTY) };
	struct machine m = probing(&h_stop);
	struct step s;

	result(&m, &h_stop, (struct event)PROBE(PR_FAIL));
	result(&m, &h_stop, (struct event)TIMER(TM_PROBE));
	s = result(&m, &h_stop, (struct event)PROBE(PR_FAIL));
	ck_assert_int_eq(m.phase, PH_STOPPING);
	ck_assert(m.stop_requested);
	ck_assert_uint_eq(s.actions, ACT_DISARM_PROBE_TIMEOUT | ACT_WRITE_HEALTH | ACT_FORWARD_TERM |
				     ACT_ARM_GRACE | ACT_STOP_PROBES);
	/* The grace then SIGKILL as for any stop. */
	s = machine_next(&m, &h_stop, &(struct event)TIMER(TM_GRACE));
	ck_assert_uint_eq(s.actions & ACT_KILL_MAIN, ACT_KILL_MAIN);
	feed(&m, &h_stop, down, 2);
	ck_assert_int_eq(m.phase, PH_DONE);
	ck_assert_int_eq(m.outcome, OUT_UNHEALTHY);
}
END_TEST

START_TEST(unhealthy_restart_is_counted_and_limited_by_the_policy)
{
	const struct event down[] = { EXITED(0), EV(EV_TREE_EMPTY) };
	const struct event again[] = { TIMER(TM_RESTART), EV(EV_STARTED), TIMER(TM_PROBE) };
	struct machine m = probing(&h_restart1);
	struct step s;

	s = result(&m, &h_restart1, (struct event)PROBE(PR_TIMEOUT));
	ck_assert_int_eq(m.phase, PH_STOPPING);
	ck_assert(!m.stop_requested);
	ck_assert(s.actions & ACT_FORWARD_TERM);
	/* A clean exit after the stop still counts as a failure. */
	ck_assert(feed(&m, &h_restart1, down, 2) & ACT_ARM_RESTART);
	ck_assert_int_eq(m.phase, PH_RESTART_WAIT);
	ck_assert_uint_eq(m.restarts, 1);
	ck_assert_uint_eq(m.health.unhealthy_restarts, 1);
	ck_assert(feed(&m, &h_restart1, again, 3) & ACT_START_PROBE);
	ck_assert_int_eq(m.health.status, HS_STARTING);
	ck_assert(!m.health.ending);
	/* The limit (1) is used up: the next unhealthy verdict ends it. */
	result(&m, &h_restart1, (struct event)PROBE(PR_FAIL));
	feed(&m, &h_restart1, down, 2);
	ck_assert_int_eq(m.phase, PH_DONE);
	ck_assert_int_eq(m.outcome, OUT_UNHEALTHY);
	ck_assert_uint_eq(m.restarts, 1);
}
END_TEST

START_TEST(a_stop_request_during_an_unhealthy_restart_wins)
{
	const struct event ev[] = { SIG(SK_TERM), EXITED(143), EV(EV_TREE_EMPTY) };
	struct machine m = probing(&h_restart1);

	result(&m, &h_restart1, (struct event)PROBE(PR_FAIL));
	ck_assert(!(feed(&m, &h_restart1, ev, 3) & ACT_ARM_RESTART));
	ck_assert_int_eq(m.phase, PH_DONE);
	ck_assert_int_eq(m.outcome, OUT_UNHEALTHY);
}
END_TEST

START_TEST(unhealthy_during_a_held_term_changes_nothing)
{
	struct machine m = probing(&h_stop);
	struct step s;

	m.phase = PH_TERM_HELD;
	m.health.fails = 1;
	s = result(&m, &h_stop, (struct event)PROBE(PR_FAIL));
	ck_assert_int_eq(m.health.status, HS_UNHEALTHY);
	ck_assert_int_eq(m.phase, PH_TERM_HELD);
	ck_assert(!(s.actions & ACT_FORWARD_TERM));
}
END_TEST

/* Dependencies that take a few rounds, then the first start. */
START_TEST(waiting_retries_until_ready_then_starts)
{
	const struct event ev[] = {
		EV(EV_WAIT_DEPS), EV(EV_DEPS_PENDING), TIMER(TM_WAIT_RETRY), EV(EV_DEPS_PENDING),
		TIMER(TM_WAIT_RETRY), EV(EV_DEPS_READY), EV(EV_STARTED),
	};
	struct machine m;
	unsigned all;

	machine_init(&m, 0);
	all = feed(&m, &notify, ev, 7);
	ck_assert_int_eq(m.phase, PH_RUNNING);
	ck_assert(all & ACT_START);
	ck_assert(all & ACT_NOTIFY_READY);
	ck_assert_uint_eq(m.restarts, 0);
}
END_TEST

/* The deadline and a stop both end the wait with nothing started. */
START_TEST(waiting_ends_without_start_on_deadline_or_stop)
{
	const struct event timeout[] = { EV(EV_WAIT_DEPS), EV(EV_DEPS_PENDING), TIMER(TM_WAIT_DEADLINE),
					 EV(EV_DEPS_READY) };
	const struct event stop[] = { EV(EV_WAIT_DEPS), SIG(SK_TERM), EV(EV_DEPS_READY) };
	struct machine m;

	machine_init(&m, 0);
	ck_assert(!(feed(&m, &no_delay, timeout, 4) & ACT_START));
	ck_assert_int_eq(m.phase, PH_DONE);
	ck_assert_int_eq(m.outcome, OUT_DEP_TIMEOUT);
	machine_init(&m, 0);
	ck_assert(!(feed(&m, &no_delay, stop, 3) & ACT_START));
	ck_assert_int_eq(m.outcome, OUT_STOPPED);
	ck_assert(m.stop_requested);
}
END_TEST

/* A checker that cannot take the command's credentials ends the wait as
 * the command's start would end: at once, nothing started. */
START_TEST(waiting_ends_at_once_when_the_checker_cannot_drop)
{
	const struct event refused[] = { EV(EV_WAIT_DEPS), EV(EV_SPAWN_FAILED), EV(EV_DEPS_READY) };
	struct machine m;

	machine_init(&m, 0);
	ck_assert(!(feed(&m, &no_delay, refused, 3) & ACT_START));
	ck_assert_int_eq(m.phase, PH_DONE);
	ck_assert_int_eq(m.outcome, OUT_START_FAILED);
}
END_TEST

/* A restart is no stop: STOPPING=1 waits for the run that is the last. */
START_TEST(stopping_is_announced_only_when_no_restart_follows)
{
	const struct event fail_then_ok[] = {
		EV(EV_STARTED), EXITED(1), EV(EV_TREE_EMPTY), TIMER(TM_RESTART), EV(EV_STARTED),
	};
	const struct event ok = EXITED(0);
	struct machine m;
	struct step s;

	machine_init(&m, 0);
	ck_assert(!(feed(&m, &notify_restart, fail_then_ok, 5) & ACT_NOTIFY_STOPPING));
	ck_assert_int_eq(m.phase, PH_RUNNING);
	s = machine_next(&m, &notify_restart, &ok);
	ck_assert(s.actions & ACT_NOTIFY_STOPPING);
}
END_TEST

/* With a probe, READY=1 means healthy: not at exec, at the first pass. */
START_TEST(with_a_probe_ready_waits_for_the_first_pass)
{
	struct machine m;
	struct step s;

	machine_init(&m, 0);
	s = result(&m, &h_notify, (struct event)EV(EV_STARTED));
	ck_assert(!(s.actions & ACT_NOTIFY_READY));
	result(&m, &h_notify, (struct event)TIMER(TM_PROBE));
	s = result(&m, &h_notify, (struct event)PROBE(PR_FAIL));
	ck_assert(!(s.actions & ACT_NOTIFY_READY));
	result(&m, &h_notify, (struct event)TIMER(TM_PROBE));
	s = result(&m, &h_notify, (struct event)PROBE(PR_OK));
	ck_assert(s.actions & ACT_NOTIFY_READY);
}
END_TEST

START_TEST(names_cover_every_phase)
{
	for (int ph = 0; ph < PH_COUNT; ph++)
		ck_assert_str_ne(phase_name((enum phase)ph), "?");
	ck_assert_str_eq(phase_name(PH_COUNT), "?");
	ck_assert_str_eq(timer_name(TM_GRACE), "grace");
	for (int t = 0; t < TM_COUNT; t++)
		ck_assert_str_ne(timer_name((enum timer_id)t), "?");
	ck_assert_str_eq(health_status_name(HS_UNHEALTHY), "unhealthy");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("machine");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, each_phase_answers_its_events, 0, (int)(sizeof(table) / sizeof(table[0])));
	tcase_add_test(tc, failed_child_restarts_until_the_limit);
	tcase_add_test(tc, success_is_never_restarted);
	tcase_add_test(tc, term_during_teardown_cancels_the_restart);
	tcase_add_test(tc, int_during_term_delay_releases_term_and_arms_grace);
	tcase_add_test(tc, timer_arm_failure_never_waits_forever);
	tcase_add_test(tc, grace_expiry_kills_child_then_waits_for_the_tree);
	tcase_add_test(tc, stop_during_restart_wait_ends_at_once);
	tcase_add_test(tc, a_passing_probe_makes_healthy_and_announces_it_once);
	tcase_add_test(tc, retries_consecutive_failures_make_unhealthy_and_log_keeps_probing);
	tcase_add_test(tc, a_pass_after_unhealthy_recovers_and_resets_the_count);
	tcase_add_test(tc, failures_in_the_start_period_count_only_after_a_pass);
	tcase_add_test(tc, a_probe_over_its_timeout_is_killed_and_counts_as_a_failure);
	tcase_add_test(tc, unhealthy_stop_takes_the_stop_path_and_ends_unhealthy);
	tcase_add_test(tc, unhealthy_restart_is_counted_and_limited_by_the_policy);
	tcase_add_test(tc, a_stop_request_during_an_unhealthy_restart_wins);
	tcase_add_test(tc, unhealthy_during_a_held_term_changes_nothing);
	tcase_add_test(tc, waiting_retries_until_ready_then_starts);
	tcase_add_test(tc, waiting_ends_without_start_on_deadline_or_stop);
	tcase_add_test(tc, waiting_ends_at_once_when_the_checker_cannot_drop);
	tcase_add_test(tc, stopping_is_announced_only_when_no_restart_follows);
	tcase_add_test(tc, with_a_probe_ready_waits_for_the_first_pass);
	tcase_add_test(tc, names_cover_every_phase);
	suite_add_tcase(s, tc);
	return run_suite(s, KEEP_FORK_STATUS);
}
