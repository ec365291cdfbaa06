/* supervise: supervisor mode's executor. The loop hooks turn what
 * happened into events for the machine (machine.c) and carry out the
 * actions it answers with: signals, the tree's teardown, timers, restarts,
 * probes and dependency checks. Set-up before the first start and the
 * exit code at the end are here too; the files vigil writes are in
 * sup_files.c, the probes' side in sup_probes.c. */
#include "supervise.h"

#include "sup.h"

#include "cgroup.h"
#include "log.h"
#include "notify.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- tree teardown ------------------------------------------------------ */

/* Signal what is left of the tree not yet in *done, add the live ones to
 * *total (-1 once a count is unknown) and trace them. Returns true when
 * something got the signal, zombie-state ones included. */
static bool signal_tree(struct sup *s, int sig, struct teardown_set *done, long *total, const char *event)
{
	struct teardown_pass p;
	int r = teardown_signal_tree(sig, done, &p);

	if (r < 0 && !s->proc_warned) {
		s->proc_warned = true;
		if (r == -EXDEV)
			err_msg("/proc shows another PID namespace: cannot list processes to send them signal %d", sig);
		else
			log_errno(-r, "list processes in /proc to send them signal %d", sig);
	}
	/* kill(-1) without /proc: how many it reached is not known. */
	if (p.unknown)
		*total = -1;
	else if (*total >= 0)
		*total += p.live;
	if (p.live)
		sup_trace_n(event, "processes", p.live);
	return p.reached || p.kill_all;
}

/* ---- timers ------------------------------------------------------------- */

static uint64_t timer_ms(const struct sup *s, enum timer_id t)
{
	switch (t) {
	case TM_TERM_DELAY: return s->so->term_delay_ms;
	case TM_GRACE: return s->so->grace_ms;
	case TM_RESTART: return restart_backoff_ms(s->so->restart_delay_ms, s->m.restarts - 1);
	case TM_PROBE: return sup_probe_interval_ms(s);
	case TM_PROBE_TIMEOUT: return s->so->health.timeout_ms;
	case TM_WAIT_RETRY: return waiter_retry_ms(&s->wait);
	case TM_WAIT_DEADLINE: return s->so->wait_timeout_ms;
	case TM_COUNT: break;
	}
	return 0;
}

static void feed(struct sup *s, struct vigil *v, struct event e, int signo);

static void arm(struct sup *s, struct vigil *v, enum timer_id t)
{
	int r;

	deadlines_set(&s->dl, t, deadlines_now_ns(), timer_ms(s, t));
	r = deadlines_program(&s->dl, s->tfd);
	if (r) {
		log_errno(-r, "arm the %s timer", timer_name(t));
		deadlines_clear(&s->dl, t);
		feed(s, v, (struct event){ .kind = EV_ARM_FAILED, .timer = t }, 0);
		return;
	}
	/* Probes and dependency checks have their own trace lines. */
	if (t == TM_PROBE || t == TM_PROBE_TIMEOUT || t == TM_WAIT_RETRY || t == TM_WAIT_DEADLINE)
		return;
	sup_trace_n(t == TM_TERM_DELAY ? "term_delayed" : t == TM_GRACE ? "grace_armed" : "restart_scheduled",
		t == TM_RESTART ? "restarts" : "delay_ms",
		t == TM_RESTART ? (long long)s->m.restarts : (long long)timer_ms(s, t));
}

static void disarm(struct sup *s, enum timer_id t)
{
	int r;

	deadlines_clear(&s->dl, t);
	/* A timer left armed wakes us once for nothing; it is not fatal. */
	r = deadlines_program(&s->dl, s->tfd);
	if (r)
		log_errno(-r, "disarm the %s timer", timer_name(t));
}

/* ---- the machine's actions ------------------------------------------- */

/* The report's reason and one-line error for a start that never exec'd
 * (child_start printed the line and chose the exit code). */
static void spawn_failed(struct sup *s, const struct spawn_error *e)
{
	s->reason = failure_info(failure_of_spawn(e))->reason;
	/* A preflight line already carries its errno text. */
	if (e->stage == STAGE_PREFLIGHT)
		snprintf(s->error, sizeof(s->error), "%s", e->what);
	else
		snprintf(s->error, sizeof(s->error), "%s: %s", e->what, strerror(e->err));
}

/* A start that never exec'd (its line printed, code chosen) ends the run. */
static void start_failed(struct sup *s, struct vigil *v, const struct spawn_error *e, int code)
{
	v->exit_code = code;
	spawn_failed(s, e);
	feed(s, v, (struct event){ .kind = EV_SPAWN_FAILED }, 0);
}

static void restart_child(struct sup *s, struct vigil *v)
{
	struct spawn_error e;
	int r;

	s->state.restarts = s->m.restarts;
	if (s->state_claimed)
		sup_save_state(s);
	s->main_killed_by_us = false;
	teardown_set_free(&s->kill_done);
	r = child_start(v, child_plan_run, &s->plan, &e);
	if (r) {
		start_failed(s, v, &e, r);
	} else {
		s->child_started_ns = deadlines_now_ns();
		feed(s, v, (struct event){ .kind = EV_STARTED }, 0);
	}
}

static void kill_main(struct sup *s, struct vigil *v)
{
	if (!v->child)
		return;
	/* Counted here, not again by the tree pass. */
	(void)teardown_set_add_pid(&s->kill_done, v->child);
	s->main_killed_by_us = kill(v->child, SIGKILL) == 0;
	if (s->main_killed_by_us && s->killed >= 0)
		s->killed++;
}

/* Each teardown's SIGTERM pass signals every process once. */
static void term_tree(struct sup *s)
{
	struct teardown_set term_done = { 0 };

	signal_tree(s, SIGTERM, &term_done, &s->leftovers, "teardown_term");
	teardown_set_free(&term_done);
}

/* ---- health probes ------------------------------------------------------ */

/* Nothing left to probe: no timer may wake vigil for it. */
static void stop_probes(struct sup *s)
{
	disarm(s, TM_PROBE);
	disarm(s, TM_PROBE_TIMEOUT);
	probe_kill(&s->prun, false);
}

static void start_probe(struct sup *s, struct vigil *v)
{
	struct event result;

	if (sup_start_probe(s, v, &result))
		feed(s, v, result, 0);
}

/* ---- dependency checks ------------------------------------------------ */

/* A round of dependency checks; one that cannot start counts as a round
 * that found them missing, so the deadline still bounds the wait. */
static void check_deps(struct sup *s, struct vigil *v)
{
	int r = waiter_start_round(&s->wait, child_plan_drop, &s->plan);

	if (r)
		log_errno(-r, "start the --wait-for checks");
	if (r)
		feed(s, v, (struct event){ .kind = EV_DEPS_PENDING }, 0);
}

/* Cancel and disarm before forwarding, signal before arming, start, probe
 * and check last. */
static void act(struct sup *s, struct vigil *v, unsigned a, const struct queued *q)
{
	if (a & ACT_CANCEL_CHECK)
		waiter_cancel(&s->wait);
	if (a & ACT_DISARM_WAIT) {
		disarm(s, TM_WAIT_RETRY);
		disarm(s, TM_WAIT_DEADLINE);
	}
	if (a & ACT_NOTIFY_STOPPING)
		notify_stopping();
	if (a & ACT_DISARM_TERM_DELAY)
		disarm(s, TM_TERM_DELAY);
	if (a & ACT_DISARM_GRACE)
		disarm(s, TM_GRACE);
	if (a & ACT_DISARM_RESTART)
		disarm(s, TM_RESTART);
	if (a & ACT_FORWARD_TERM) {
		if (q->e.kind == EV_TIMER)
			sup_trace_n("term_delay_expired", "delay_ms", (long long)s->so->term_delay_ms);
		forward_signal(v, SIGTERM);
	}
	if (a & ACT_FORWARD) {
		s->forwarding_tty = q->from_tty;
		forward_signal(v, q->signo);
		s->forwarding_tty = false;
	}
	if (a & ACT_TERM_TREE)
		term_tree(s);
	if (a & ACT_KILL_MAIN)
		kill_main(s, v);
	if (a & ACT_KILL_TREE)
		signal_tree(s, SIGKILL, &s->kill_done, &s->killed, "grace_expired_killed");
	if (a & ACT_ARM_TERM_DELAY)
		arm(s, v, TM_TERM_DELAY);
	if (a & ACT_ARM_GRACE)
		arm(s, v, TM_GRACE);
	if (a & ACT_ARM_RESTART)
		arm(s, v, TM_RESTART);
	/* --wait-timeout 0: no deadline, the wait lasts until they hold. */
	if ((a & ACT_ARM_WAIT_DEADLINE) && s->so->wait_timeout_ms)
		arm(s, v, TM_WAIT_DEADLINE);
	if (a & ACT_ARM_WAIT_RETRY)
		arm(s, v, TM_WAIT_RETRY);
	if (a & ACT_START)
		restart_child(s, v);
	if (a & ACT_STOP_PROBES)
		stop_probes(s);
	if (a & ACT_DISARM_PROBE_TIMEOUT)
		disarm(s, TM_PROBE_TIMEOUT);
	if (a & ACT_KILL_PROBE) {
		sup_trace_n("probe_timeout", "pid", (long long)s->prun.pid);
		probe_kill(&s->prun, true);
	}
	if (a & ACT_WRITE_HEALTH)
		sup_write_health(s);
	if (a & ACT_FIRST_HEALTHY)
		sup_on_first_healthy(s);
	if (a & ACT_ARM_PROBE)
		arm(s, v, TM_PROBE);
	if (a & ACT_ARM_PROBE_TIMEOUT)
		arm(s, v, TM_PROBE_TIMEOUT);
	if (a & ACT_START_PROBE)
		start_probe(s, v);
	if (a & ACT_NOTIFY_READY)
		notify_ready(v->opt->argv[0]);
	if (a & ACT_CHECK_DEPS)
		check_deps(s, v);
}

static void trace_phase(enum phase from, enum phase to)
{
	struct trace_field f[2] = { { "from", phase_name(from), 0 }, { "to", phase_name(to), 0 } };

	trace_event("phase", f, 2);
}

/* Events raised while actions run (a forwarded stop, a failed arm, a
 * restart's outcome) wait in the queue, so each step sees the phase its
 * predecessor left. */
static void feed_queued(struct sup *s, struct vigil *v, struct event e, int signo, bool from_tty)
{
	if (s->qlen == QUEUE_MAX) {
		/* Only actions feed events, a handful per step: cannot happen. */
		err_msg("internal: supervisor event queue full, event %d dropped", e.kind);
		return;
	}
	s->queue[(s->qhead + s->qlen++) % QUEUE_MAX] = (struct queued){ e, signo, from_tty };
	if (s->draining)
		return;
	s->draining = true;
	while (s->qlen) {
		struct queued q = s->queue[s->qhead];
		struct step st;

		s->qhead = (s->qhead + 1) % QUEUE_MAX;
		s->qlen--;
		st = machine_next(&s->m, &s->policy, &q.e);
		if (st.next.phase != s->m.phase)
			trace_phase(s->m.phase, st.next.phase);
		enum health_status was = s->m.health.status;
		s->m = st.next;
		if (s->m.health.status != was)
			sup_health_changed(s, was, s->m.health.status);
		act(s, v, st.actions, &q);
	}
	s->draining = false;
	if (s->m.phase == PH_DONE)
		v->stop = true;
}

static void feed(struct sup *s, struct vigil *v, struct event e, int signo)
{
	feed_queued(s, v, e, signo, false);
}

static void feed_signal(struct sup *s, struct vigil *v, enum sig_kind kind, int signo, bool from_tty)
{
	feed_queued(s, v, (struct event){ .kind = EV_SIGNAL, .sig = kind }, signo, from_tty);
}

/* ---- loop hooks ------------------------------------------------------- */

static const char *status_reason(struct sup *s, int status)
{
	long oom;

	if (WIFEXITED(status))
		return "exited";
	if (WTERMSIG(status) == SIGKILL) {
		oom = cgroup_oom_kills();
		if (s->oom_before >= 0 && oom > s->oom_before)
			return "oom_kill";
		if (s->main_killed_by_us)
			return "grace_kill";
	}
	return "signaled";
}

static void on_child_exit(struct vigil *v)
{
	struct sup *s = v->ext_state;
	int code = status_exit_code(v->child_status, v->opt->remap_exit);

	s->reason = status_reason(s, v->child_status);
	v->exit_code = code;
	feed(s, v, (struct event){ .kind = EV_CHILD_EXITED, .exit_code = code }, 0);
}

static void after_reap(struct vigil *v, bool no_children)
{
	struct sup *s = v->ext_state;

	if (v->child)
		return;
	feed(s, v, (struct event){ .kind = no_children ? EV_TREE_EMPTY : EV_TREE_LEFT }, 0);
}

/* A round of dependency checks ended. One whose checker could not take
 * the command's credentials ends vigil as the command's start would (the
 * same line, code and reason), without waiting out --wait-timeout. */
static void deps_collected(struct sup *s, struct vigil *v)
{
	enum deps_result r = waiter_collect(&s->wait);

	if (r == DEPS_REFUSED) {
		start_failed(s, v, &s->wait.refusal, child_report_failure(&s->wait.refusal));
		return;
	}
	feed(s, v, (struct event){ .kind = r == DEPS_READY ? EV_DEPS_READY : EV_DEPS_PENDING }, 0);
}

static bool on_reaped(struct vigil *v, pid_t pid, int status)
{
	struct sup *s = v->ext_state;
	struct probe_outcome o;
	bool abandoned;

	/* A round of dependency checks ended: its findings are in its pipe. */
	if (waiter_owns(&s->wait, pid)) {
		deps_collected(s, v);
		return true;
	}
	if (!probe_reaped(&s->prun, pid, status, deadlines_now_ns(), s->so->health.timeout_ms, &o, &abandoned))
		return false;
	if (!abandoned)
		feed(s, v, sup_probe_done(s, &o), 0);
	return true;
}

static int poll_fds(struct vigil *v, struct pollfd *fds)
{
	struct sup *s = v->ext_state;

	int out = probe_poll_fd(&s->prun);

	fds[0] = (struct pollfd){ .fd = s->tfd, .events = POLLIN };
	if (out < 0)
		return 1;
	fds[1] = (struct pollfd){ .fd = out, .events = POLLIN };
	return 2;
}

static void on_timer(struct vigil *v);

static void on_fds(struct vigil *v, const struct pollfd *fds, int n)
{
	struct sup *s = v->ext_state;

	/* The probe may have been reaped (and its pipe closed) while the
	 * signals were read: only a pipe still ours is read. */
	if (n > 1 && fds[1].revents && fds[1].fd == s->prun.out_fd)
		probe_read(&s->prun);
	if (fds[0].revents)
		on_timer(v);
}

static void on_timer(struct vigil *v)
{
	struct sup *s = v->ext_state;
	uint64_t ticks;
	unsigned due;

	if (read(s->tfd, &ticks, sizeof(ticks)) < 0)
		return;
	due = deadlines_take_due(&s->dl, deadlines_now_ns());
	for (int t = 0; t < TM_COUNT; t++)
		if (due & (1u << t))
			feed(s, v, (struct event){ .kind = EV_TIMER, .timer = (enum timer_id)t }, 0);
	/* The deadlines left pending need the timerfd set again. */
	if (deadlines_program(&s->dl, s->tfd) < 0)
		log_errno(errno, "re-arm timer");
}

static enum sig_kind sig_kind_of(int sig)
{
	if (sig == SIGTERM)
		return SK_TERM;
	if (sig == SIGINT || sig == SIGQUIT)
		return SK_INT_QUIT;
	return SK_OTHER;
}

/* Ctrl-C or Ctrl-\ at the terminal (sent by the kernel, SI_KERNEL) is for
 * the interactive program in the foreground, not a request to stop it. */
static bool from_terminal(const struct signalfd_siginfo *si)
{
	int sig = (int)si->ssi_signo;

	return (sig == SIGINT || sig == SIGQUIT) && si->ssi_code == SI_KERNEL;
}

static bool on_signal(struct vigil *v, const struct signalfd_siginfo *si)
{
	struct sup *s = v->ext_state;
	int sig = (int)si->ssi_signo;

	/* While waiting no program is in the foreground: a Ctrl-C is for vigil. */
	bool tty = from_terminal(si) && s->m.phase != PH_WAITING;

	if (!tty && (sig == SIGTERM || sig == SIGINT)) {
		s->stop_sig[sig] = true;
		s->stop_sig[options_target(v->opt, sig)] = true;
	}
	feed_signal(s, v, tty ? SK_OTHER : sig_kind_of(sig), sig, tty);
	return true;
}

static void on_forwarded(struct vigil *v, int sig)
{
	struct sup *s = v->ext_state;

	/* Once asked to stop, the child gets the grace period and no more. */
	if (sig_kind_of(sig) != SK_OTHER && !s->forwarding_tty)
		feed(s, v, (struct event){ .kind = EV_STOP_FORWARDED }, sig);
}

static const struct loop_ext sup_ext = {
	.poll_fds = poll_fds,
	.on_fds = on_fds,
	.on_reaped = on_reaped,
	.on_signal = on_signal,
	.on_forwarded = on_forwarded,
	.on_child_exit = on_child_exit,
	.after_reap = after_reap,
};

/* ---- set-up ------------------------------------------------------------ */

/* A start refused before fork: one line on stderr, the same line in the
 * report with the failure's reason, and the failure's exit code. */
static int refuse(struct sup *s, enum failure f, const char *line)
{
	snprintf(s->error, sizeof(s->error), "%s", line);
	err_msg("%s", line);
	s->reason = failure_info(f)->reason;
	return failure_info(f)->exit_code;
}

static int prepare_child(struct sup *s)
{
	char err[400];
	enum failure f;

	if (child_plan_prepare(&s->plan, s->so, &f, err, sizeof(err)) < 0)
		return refuse(s, f, err);
	if (waiter_prepare(&s->wait, s->so->wait_for, s->so->nwait, err, sizeof(err)) < 0)
		return refuse(s, FAIL_USAGE, err);
	if (s->plan.own_session) {
		s->opt.setsid = true;
		s->opt.group = true;
	}
	return 0;
}

static int admit(struct sup *s)
{
	char err[400], line[480];
	enum failure f;

	if (!s->so->state_file)
		return 0;
	if (restart_admit(&s->state_dest, s->so->restart, s->so->restart_max, &s->state, &f, err, sizeof(err)) == 0) {
		s->state_claimed = true;
		return 0;
	}
	if (f == FAIL_INTERNAL)
		return refuse(s, f, err);
	/* The report keeps the plain reason; people get the way out too. */
	snprintf(line, sizeof(line), "refusing to run again: %s%s", err,
		 f == FAIL_RESTART_REFUSED ? " (delete it to allow a fresh start)" : "");
	err_msg("%s", line);
	snprintf(s->error, sizeof(s->error), "%s", err);
	s->reason = failure_info(f)->reason;
	return failure_info(f)->exit_code;
}

static int start(struct sup *s, struct vigil *v)
{
	struct spawn_error e;
	char err[600];
	int r = 0;

	if (sup_prepare_health(s, err, sizeof(err)) || sup_open_files(s, err, sizeof(err)))
		r = refuse(s, FAIL_USAGE, err);
	if (!r)
		r = prepare_child(s);
	if (!r)
		r = admit(s);
	if (r)
		return r;
	s->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (s->tfd < 0) {
		log_errno(errno, "create timerfd");
		return EXIT_INTERNAL;
	}
	s->oom_before = cgroup_oom_kills();
	machine_init(&s->m, s->state.restarts);
	s->policy = (struct policy){
		.term_delay_ms = s->so->term_delay_ms,
		.restart = s->so->restart,
		.restart_max = s->so->restart_max,
		.health = s->probe.kind != PROBE_NONE,
		.health_retries = s->so->health.retries,
		.on_unhealthy = s->so->health.on_unhealthy,
		.notify = s->so->notify_ready,
	};
	/* Probes are no service: they skip its /tmp preflight. */
	s->probe_plan = s->plan;
	s->probe_plan.preflight = PREFLIGHT_OFF;
	if (s->so->notify_ready)
		notify_init();
	if (s->wait.n) {
		feed(s, v, (struct event){ .kind = EV_WAIT_DEPS }, 0);
		return 0;
	}
	r = child_start(v, child_plan_run, &s->plan, &e);
	if (r) {
		spawn_failed(s, &e);
		return r;
	}
	s->child_started_ns = deadlines_now_ns();
	feed(s, v, (struct event){ .kind = EV_STARTED }, 0);
	return 0;
}

/* --success-on-stop: a stop request came from outside and the child
 * ended of that very signal (as sent, after --rewrite), or exited 128+N
 * for it as shells and runtimes do. */
static bool stop_obeyed(const struct sup *s, const struct vigil *v)
{
	int st = v->child_status, n;

	if (!v->child_ran || v->child)
		return false;
	if (WIFSIGNALED(st))
		n = WTERMSIG(st);
	else if (WIFEXITED(st) && WEXITSTATUS(st) > 128)
		n = WEXITSTATUS(st) - 128;
	else
		return false;
	/* 0 is a dropped signal (--rewrite SIG:0), never a stop. */
	return n > 0 && n < VIGIL_NSIG && s->stop_sig[n];
}

/* What the machine's outcome means for the report and the exit code. */
static void apply_outcome(struct sup *s, struct vigil *v)
{
	s->state.restarts = s->m.restarts;
	switch (s->m.outcome) {
	case OUT_RESTART_LIMIT:
		/* Reached during the run: the exit code stays the last child's,
		 * so the runtime sees the real failure; only the reason says it. */
		s->reason = failure_info(FAIL_RESTART_LIMIT)->reason;
		break;
	case OUT_INTERNAL:
		s->reason = failure_info(FAIL_INTERNAL)->reason;
		v->exit_code = failure_info(FAIL_INTERNAL)->exit_code;
		break;
	case OUT_UNHEALTHY:
		/* Whatever the stopped child exited with (0 for a clean stop),
		 * the runtime must see a failure. */
		s->reason = failure_info(FAIL_UNHEALTHY)->reason;
		v->exit_code = failure_info(FAIL_UNHEALTHY)->exit_code;
		break;
	case OUT_DEP_TIMEOUT:
		waiter_timeout_line(&s->wait, s->so->wait_timeout_ms, s->error, sizeof(s->error));
		err_msg("%s", s->error);
		s->reason = failure_info(FAIL_DEP_TIMEOUT)->reason;
		v->exit_code = failure_info(FAIL_DEP_TIMEOUT)->exit_code;
		break;
	case OUT_STOPPED:
		/* As if the command had died of the signal: 128+N. */
		s->reason = "stopped";
		v->exit_code = 128 + (int)v->term_sig.ssi_signo;
		if (s->so->success_on_stop || v->opt->remap_exit[v->exit_code])
			v->exit_code = 0;
		break;
	case OUT_NONE:
		if (s->so->success_on_stop && stop_obeyed(s, v)) {
			s->reason = "stopped";
			v->exit_code = 0;
		}
		break;
	case OUT_START_FAILED: /* restart_child filled reason and code */
		break;
	}
}

int supervise_run(struct vigil *v)
{
	static struct sup s;
	int r;

	s.so = &v->opt->sup;
	s.opt = *v->opt;
	s.tfd = -1;
	s.oom_before = -1;
	probe_run_init(&s.prun);
	v->opt = &s.opt;
	v->ext = &sup_ext;
	v->ext_state = &s;
	r = start(&s, v);
	if (r) {
		v->exit_code = r;
		if (!s.reason)
			s.reason = "internal_error";
	} else {
		r = loop_run(v);
		apply_outcome(&s, v);
		if (r) {
			v->exit_code = r;
			s.reason = "internal_error";
		}
	}
	/* Only a run that recorded itself writes its exit: a refused start
	 * keeps the last exit of the run that really happened. */
	if (s.state_claimed) {
		s.state.last_exit = v->exit_code;
		sup_save_state(&s);
	}
	child_plan_finish(&s.plan);
	sup_write_report(&s, v);
	return v->exit_code;
}
