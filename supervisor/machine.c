/* machine: the supervisor's transition table. Each phase answers the
 * events that matter to it; every other event leaves it as it is. Read a
 * phase's function to know everything that can happen in that phase. */
#include "machine.h"

#include "restart.h"

#include <stddef.h>

void machine_init(struct machine *m, unsigned restarts_before)
{
	m->phase = PH_STARTING;
	m->stop_requested = false;
	m->restarts = restarts_before;
	m->last_code = 0;
	m->outcome = OUT_NONE;
	m->health = (struct health){ .status = HS_STARTING };
}

static bool is_stop(const struct event *e)
{
	return e->kind == EV_SIGNAL && e->sig != SK_OTHER;
}

static void go(struct step *s, enum phase ph, unsigned actions)
{
	s->next.phase = ph;
	s->actions |= actions;
}

static void done(struct step *s, enum outcome why, unsigned actions)
{
	s->next.outcome = why;
	go(s, PH_DONE, actions);
}

/* The tree is empty: restart, or stop for good. Deciding here rather than
 * when the child exits lets a stop request that arrives during the
 * teardown win, and counts only restarts that happen. */
static void tree_empty(struct step *s, const struct policy *p)
{
	struct machine *m = &s->next;
	bool unhealthy = m->health.ending;

	if (m->stop_requested) {
		done(s, unhealthy ? OUT_UNHEALTHY : OUT_NONE, ACT_DISARM_GRACE);
	} else if (unhealthy) {
		/* Whatever status the stopped child left, it failed. */
		if (restart_wanted(p->restart, p->restart_max, m->restarts, 1)) {
			m->restarts++;
			m->health.unhealthy_restarts++;
			go(s, PH_RESTART_WAIT, ACT_DISARM_GRACE | ACT_ARM_RESTART);
		} else {
			done(s, OUT_UNHEALTHY, ACT_DISARM_GRACE);
		}
	} else if (restart_wanted(p->restart, p->restart_max, m->restarts, m->last_code)) {
		m->restarts++;
		go(s, PH_RESTART_WAIT, ACT_DISARM_GRACE | ACT_ARM_RESTART);
	} else if (p->restart == RESTART_ON_FAILURE && m->last_code != 0) {
		done(s, OUT_RESTART_LIMIT, ACT_DISARM_GRACE);
	} else {
		done(s, OUT_NONE, ACT_DISARM_GRACE);
	}
}

static void starting(struct step *s, const struct policy *p, const struct event *e)
{
	/* Without a probe the service is ready once the command runs; with
	 * one, ready means healthy, and READY waits for the first pass. */
	if (e->kind == EV_STARTED)
		go(s, PH_RUNNING, p->notify && !p->health ? ACT_NOTIFY_READY : 0);
	else if (e->kind == EV_SPAWN_FAILED)
		done(s, OUT_START_FAILED, 0);
	else if (e->kind == EV_WAIT_DEPS)
		go(s, PH_WAITING, ACT_ARM_WAIT_DEADLINE | ACT_CHECK_DEPS);
}

static void running(struct step *s, const struct policy *p, const struct event *e)
{
	switch (e->kind) {
	case EV_SIGNAL:
		if (e->sig == SK_TERM && p->term_delay_ms)
			go(s, PH_TERM_HELD, ACT_ARM_TERM_DELAY);
		else
			s->actions |= ACT_FORWARD;
		break;
	case EV_STOP_FORWARDED:
		go(s, PH_STOPPING, ACT_ARM_GRACE);
		break;
	case EV_CHILD_EXITED:
		go(s, PH_TEARDOWN, ACT_TERM_TREE | ACT_ARM_GRACE);
		break;
	default:
		break;
	}
}

static void term_held(struct step *s, const struct event *e)
{
	switch (e->kind) {
	case EV_SIGNAL:
		/* A second stop request ends the delay: the held SIGTERM goes
		 * now, and an INT or QUIT follows as itself. */
		if (e->sig == SK_TERM)
			go(s, PH_RUNNING, ACT_DISARM_TERM_DELAY | ACT_FORWARD_TERM);
		else if (e->sig == SK_INT_QUIT)
			go(s, PH_RUNNING, ACT_DISARM_TERM_DELAY | ACT_FORWARD_TERM | ACT_FORWARD);
		else
			s->actions |= ACT_FORWARD;
		break;
	case EV_TIMER:
	case EV_ARM_FAILED:
		/* Without a timer the delay cannot end by itself: send it now. */
		if (e->timer == TM_TERM_DELAY)
			go(s, PH_RUNNING, ACT_FORWARD_TERM);
		break;
	case EV_CHILD_EXITED:
		go(s, PH_TEARDOWN, ACT_DISARM_TERM_DELAY | ACT_TERM_TREE | ACT_ARM_GRACE);
		break;
	default:
		break;
	}
}

static void stopping(struct step *s, const struct event *e)
{
	switch (e->kind) {
	case EV_SIGNAL:
		s->actions |= ACT_FORWARD;
		break;
	case EV_TIMER:
		if (e->timer == TM_GRACE)
			go(s, PH_KILLING, ACT_KILL_MAIN | ACT_KILL_TREE);
		break;
	case EV_ARM_FAILED:
		/* No grace period: the child is left to stop by itself, as
		 * without supervisor mode; a later stop request tries again. */
		if (e->timer == TM_GRACE)
			go(s, PH_RUNNING, 0);
		break;
	case EV_CHILD_EXITED:
		/* The grace period already running covers the leftovers. */
		go(s, PH_TEARDOWN, ACT_TERM_TREE);
		break;
	default:
		break;
	}
}

static void teardown(struct step *s, const struct policy *p, const struct event *e)
{
	switch (e->kind) {
	case EV_TIMER:
	case EV_ARM_FAILED:
		/* Grace over, or none to be had: better SIGKILL now than a ghost. */
		if (e->timer == TM_GRACE)
			go(s, PH_KILLING, ACT_KILL_TREE);
		break;
	case EV_TREE_EMPTY:
		tree_empty(s, p);
		break;
	default:
		break;
	}
}

static void killing(struct step *s, const struct policy *p, const struct event *e)
{
	switch (e->kind) {
	case EV_SIGNAL:
		/* The main child may still be unreaped; the core drops it if not. */
		s->actions |= ACT_FORWARD;
		break;
	case EV_CHILD_EXITED:
		s->actions |= ACT_TERM_TREE | ACT_KILL_TREE;
		break;
	case EV_TREE_LEFT:
		/* Something forked while we were killing: keep at it. */
		s->actions |= ACT_KILL_TREE;
		break;
	case EV_TREE_EMPTY:
		tree_empty(s, p);
		break;
	default:
		break;
	}
}

static void restart_wait(struct step *s, const struct event *e)
{
	if (is_stop(e))
		done(s, OUT_NONE, ACT_DISARM_RESTART);
	else if (e->kind == EV_TIMER && e->timer == TM_RESTART)
		go(s, PH_STARTING, ACT_START);
	else if (e->kind == EV_ARM_FAILED && e->timer == TM_RESTART)
		done(s, OUT_INTERNAL, 0);
}

/* ---- health ------------------------------------------------------------ */

static bool child_up(enum phase ph)
{
	return ph == PH_RUNNING || ph == PH_TERM_HELD;
}

/* Unhealthy while running: --on-unhealthy stop and restart take the path
 * of a stop request (the child's stop signal, grace, SIGKILL); restart then
 * lets tree_empty apply the restart policy. */
static void unhealthy(struct step *s, const struct policy *p)
{
	struct machine *m = &s->next;

	if (p->on_unhealthy == UNHEALTHY_LOG || m->phase != PH_RUNNING)
		return;
	m->health.ending = true;
	if (p->on_unhealthy == UNHEALTHY_STOP)
		m->stop_requested = true;
	s->actions &= ~(unsigned)ACT_ARM_PROBE;
	go(s, PH_STOPPING, ACT_FORWARD_TERM | ACT_ARM_GRACE | ACT_STOP_PROBES);
}

static void probe_result(struct step *s, const struct policy *p, const struct event *e)
{
	struct health *h = &s->next.health;

	if (!h->probing)
		return;
	h->probing = false;
	h->checks++;
	s->actions |= ACT_DISARM_PROBE_TIMEOUT | ACT_WRITE_HEALTH;
	if (child_up(s->next.phase) && !h->ending)
		s->actions |= ACT_ARM_PROBE;
	if (e->probe == PR_OK) {
		h->fails = 0;
		h->passed = true;
		h->status = HS_HEALTHY;
		if (!h->ever_healthy) {
			h->ever_healthy = true;
			s->actions |= ACT_FIRST_HEALTHY | (p->notify ? ACT_NOTIFY_READY : 0);
		}
		return;
	}
	h->failures++;
	/* In the start period only a service that already passed counts
	 * its failures (Docker's rule). */
	if (e->in_start_period && !h->passed)
		return;
	h->fails++;
	if (h->fails >= p->health_retries && h->status != HS_UNHEALTHY) {
		h->status = HS_UNHEALTHY;
		unhealthy(s, p);
	}
}

static void health_step(struct step *s, const struct policy *p, const struct event *e)
{
	struct health *h = &s->next.health;

	switch (e->kind) {
	case EV_STARTED:
		/* A new child is judged afresh; the counts go on. */
		h->status = HS_STARTING;
		h->fails = 0;
		h->passed = false;
		h->ending = false;
		h->probing = false;
		s->actions |= ACT_ARM_PROBE | ACT_WRITE_HEALTH;
		break;
	case EV_CHILD_EXITED:
		/* Nothing left to probe: no timer may wake vigil for it. */
		s->actions |= ACT_STOP_PROBES;
		h->probing = false;
		break;
	case EV_TIMER:
		if (e->timer == TM_PROBE && child_up(s->next.phase) && !h->probing && !h->ending) {
			h->probing = true;
			s->actions |= ACT_ARM_PROBE_TIMEOUT | ACT_START_PROBE;
		} else if (e->timer == TM_PROBE_TIMEOUT && h->probing) {
			s->actions |= ACT_KILL_PROBE;
		}
		break;
	case EV_ARM_FAILED:
		/* Without its timeout a probe must not run on unbounded. */
		if (e->timer == TM_PROBE_TIMEOUT && h->probing)
			s->actions |= ACT_KILL_PROBE;
		break;
	case EV_PROBE_RESULT:
		probe_result(s, p, e);
		break;
	default:
		break;
	}
}

/* Rounds of checks, one at a time, a retry timer between them; the
 * deadline or a stop request ends the wait with nothing run. */
static void waiting(struct step *s, const struct event *e)
{
	const unsigned end = ACT_CANCEL_CHECK | ACT_DISARM_WAIT;

	if (is_stop(e)) {
		done(s, OUT_STOPPED, end);
		return;
	}
	switch (e->kind) {
	case EV_DEPS_READY:
		go(s, PH_STARTING, ACT_DISARM_WAIT | ACT_START);
		break;
	case EV_DEPS_PENDING:
		s->actions |= ACT_ARM_WAIT_RETRY;
		break;
	case EV_SPAWN_FAILED:
		/* The checker could not take the command's credentials: the
		 * command's start would fail the same way, so it fails now. */
		done(s, OUT_START_FAILED, end);
		break;
	case EV_TIMER:
		if (e->timer == TM_WAIT_RETRY)
			s->actions |= ACT_CHECK_DEPS;
		else if (e->timer == TM_WAIT_DEADLINE)
			done(s, OUT_DEP_TIMEOUT, end);
		break;
	case EV_ARM_FAILED:
		/* Without its timers the wait could last forever. */
		if (e->timer == TM_WAIT_RETRY || e->timer == TM_WAIT_DEADLINE)
			done(s, OUT_INTERNAL, end);
		break;
	default:
		break;
	}
}

/* The service's stop begins: a stop request from outside, or the main
 * child ending with no restart to follow (the same decision tree_empty
 * makes later). Repeats are harmless: STOPPING=1 goes out once. */
static bool stop_begins(const struct machine *next, const struct policy *p, const struct event *e)
{
	if (is_stop(e))
		return true;
	return e->kind == EV_CHILD_EXITED &&
	       (next->stop_requested ||
		!restart_wanted(p->restart, p->restart_max, next->restarts, e->exit_code));
}

struct step machine_next(const struct machine *m, const struct policy *p, const struct event *e)
{
	struct step s = { .next = *m, .actions = 0 };

	if (m->phase == PH_DONE)
		return s;
	if (is_stop(e))
		s.next.stop_requested = true;
	if (e->kind == EV_CHILD_EXITED)
		s.next.last_code = e->exit_code;
	switch (m->phase) {
	case PH_STARTING: starting(&s, p, e); break;
	case PH_RUNNING: running(&s, p, e); break;
	case PH_TERM_HELD: term_held(&s, e); break;
	case PH_STOPPING: stopping(&s, e); break;
	case PH_TEARDOWN: teardown(&s, p, e); break;
	case PH_KILLING: killing(&s, p, e); break;
	case PH_RESTART_WAIT: restart_wait(&s, e); break;
	case PH_WAITING: waiting(&s, e); break;
	case PH_DONE:
	case PH_COUNT:
		break;
	}
	/* After the phase's own step: a probe result sees the phase it
	 * leaves the child in, and an unhealthy stop starts from RUNNING. */
	if (p->health && m->phase != PH_DONE)
		health_step(&s, p, e);
	if (p->notify && m->phase != PH_WAITING && stop_begins(&s.next, p, e))
		s.actions |= ACT_NOTIFY_STOPPING;
	return s;
}

const char *phase_name(enum phase ph)
{
	static const char *const names[PH_COUNT] = {
		"starting", "running", "term_held", "stopping",
		"teardown", "killing", "restart_wait", "waiting", "done",
	};

	return (unsigned)ph < PH_COUNT ? names[ph] : "?";
}

const char *timer_name(enum timer_id t)
{
	static const char *const names[TM_COUNT] = {
		"term_delay", "grace", "restart", "probe", "probe_timeout",
		"wait_retry", "wait_deadline",
	};

	return (unsigned)t < TM_COUNT ? names[t] : "?";
}

const char *health_status_name(enum health_status h)
{
	static const char *const names[] = { "starting", "healthy", "unhealthy" };

	return (unsigned)h <= HS_UNHEALTHY ? names[h] : "?";
}
