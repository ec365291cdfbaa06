/* supervise: supervisor mode. Plugs into the core loop through struct
 * loop_ext and adds what the core never does: teardown of the whole tree
 * with a grace period, the term delay, the restart policy, the privilege
 * drop, seccomp and preflight in the child, health probes, and the exit
 * report. */
#include "supervise.h"

#include "config.h"
#include "cgroup.h"
#include "child_plan.h"
#include "failure.h"
#include "health.h"
#include "log.h"
#include "report.h"
#include "restart.h"
#include "deadlines.h"
#include "machine.h"
#include "probe.h"
#include "probe_spec.h"
#include "notify.h"
#include "safefile.h"
#include "teardown.h"
#include "wait.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* An event waiting to be fed to the machine; signo is the signal behind
 * an EV_SIGNAL, which ACT_FORWARD passes on. */
struct queued {
	struct event e;
	int signo;
	bool from_tty;               /* a Ctrl-C or Ctrl-\ sent by the terminal */
};

#define QUEUE_MAX 8

struct sup {
	const struct sup_options *so;
	struct options opt;          /* the core options, adjusted for us */
	struct policy policy;
	struct machine m;
	struct deadlines dl;
	int tfd;                     /* one timerfd for every deadline */
	struct queued queue[QUEUE_MAX];
	unsigned qhead, qlen;
	bool draining;
	bool forwarding_tty;         /* the signal being forwarded came from the terminal */
	bool main_killed_by_us;      /* our grace SIGKILL reached the main child */
	long leftovers, killed;      /* -1: unknown (no usable /proc) */
	struct teardown_set kill_done; /* SIGKILLed in this run: counted once */
	bool proc_warned;
	long oom_before;
	struct run_state state;
	bool state_claimed;          /* this run is recorded in the state file */
	struct safe_dest state_dest, report_dest, tlog_dest;
	char file_error[300];        /* first file vigil refused to write */
	const char *reason;
	char error[600];
	struct child_plan plan;      /* drop, preflight, seccomp: run in the child */
	/* Health: probe.kind PROBE_NONE when no probe is configured. */
	struct probe_spec probe;
	struct child_plan probe_plan; /* the child's plan without the preflight */
	struct probe_run prun;
	struct health_record hrec;
	char last_failure[PROBE_ERROR_MAX]; /* the last failed probe's reason */
	struct safe_dest health_dest;
	bool health_write_failed;    /* said once, not at every probe */
	uint64_t child_started_ns;   /* the start period counts from here */
	struct waiter wait;          /* --wait-for */
	bool stop_sig[VIGIL_NSIG];   /* a stop request from outside meant this signal */
};

static void trace_n(const char *event, const char *key, long long n)
{
	struct trace_field f = { key, NULL, n };

	trace_event(event, &f, 1);
}

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
		trace_n(event, "processes", p.live);
	return p.reached || p.kill_all;
}

/* ---- timers ------------------------------------------------------------- */

static bool in_start_period(const struct sup *s, uint64_t now_ns)
{
	uint64_t period = s->so->health.start_period_ms;

	return period && now_ns - s->child_started_ns < period * 1000000u;
}

/* --health-start-interval applies until a probe passed or the start
 * period is over. */
static uint64_t probe_interval_ms(const struct sup *s)
{
	const struct health_options *h = &s->so->health;

	if (h->start_interval_ms && !s->m.health.passed && in_start_period(s, deadlines_now_ns()))
		return h->start_interval_ms;
	return h->interval_ms;
}

static uint64_t timer_ms(const struct sup *s, enum timer_id t)
{
	switch (t) {
	case TM_TERM_DELAY: return s->so->term_delay_ms;
	case TM_GRACE: return s->so->grace_ms;
	case TM_RESTART: return restart_backoff_ms(s->so->restart_delay_ms, s->m.restarts - 1);
	case TM_PROBE: return probe_interval_ms(s);
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
	trace_n(t == TM_TERM_DELAY ? "term_delayed" : t == TM_GRACE ? "grace_armed" : "restart_scheduled",
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

/* One line, and the first such failure goes into the report's error. */
static void file_failed(struct sup *s, int r, const char *what, const char *path)
{
	err_msg("%s %s: %s", what, path, safefile_strerror(-r));
	if (!s->file_error[0])
		snprintf(s->file_error, sizeof(s->file_error), "%s %s: %s", what, path,
			 safefile_strerror(-r));
}

static int save_state(struct sup *s)
{
	int r = restart_state_save(&s->state_dest, &s->state);

	if (r)
		file_failed(s, r, "write state file", s->so->state_file);
	return r;
}

static void restart_child(struct sup *s, struct vigil *v)
{
	struct spawn_error e;
	int r;

	s->state.restarts = s->m.restarts;
	if (s->state_claimed)
		save_state(s);
	s->main_killed_by_us = false;
	teardown_set_free(&s->kill_done);
	r = child_start(v, child_plan_run, &s->plan, &e);
	if (r) {
		v->exit_code = r;
		spawn_failed(s, &e);
		feed(s, v, (struct event){ .kind = EV_SPAWN_FAILED }, 0);
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

static void write_health(struct sup *s)
{
	char json[HEALTH_JSON_MAX];
	long n;
	int r;

	if (!s->health_dest.ready)
		return;
	health_record_sync(&s->hrec, &s->m.health);
	s->hrec.interval_ms = probe_interval_ms(s);
	n = health_json(&s->hrec, health_now_unix(), json, sizeof(json));
	r = n < 0 ? -EOVERFLOW : safefile_write(&s->health_dest, json, (size_t)n);
	if (r && !s->health_write_failed)
		file_failed(s, r, "write health file", s->so->health.file);
	s->health_write_failed = r != 0;
}

/* The service passed a probe for the first time since vigil started (a
 * restart does not make it happen again); with --notify-ready the machine
 * sends READY=1 along with it. */
static void on_first_healthy(struct sup *s, struct vigil *v)
{
	(void)v;
	trace_n("first_healthy", "checks", (long long)s->m.health.checks);
}

static const char *probe_result_name(enum probe_result r)
{
	return r == PR_OK ? "ok" : r == PR_TIMEOUT ? "timeout" : "fail";
}

/* Every probe ends here, whether it ran or could not start. */
static void probe_done(struct sup *s, struct vigil *v, const struct probe_outcome *o)
{
	uint64_t now = deadlines_now_ns();

	health_record_probe(&s->hrec, o, health_now_unix());
	if (o->result != PR_OK)
		snprintf(s->last_failure, sizeof(s->last_failure), "%s", o->error);
	if (log_trace) {
		struct trace_field f[4] = {
			{ "result", probe_result_name(o->result), 0 },
			{ "duration_ms", NULL, (long long)o->duration_ms },
			{ "exit_code", NULL, o->exit_code },
			{ "error", o->error[0] ? o->error : "-", 0 },
		};

		trace_event("probe_result", f, 4);
	}
	feed(s, v, (struct event){ .kind = EV_PROBE_RESULT, .probe = o->result,
				   .in_start_period = in_start_period(s, now) }, 0);
}

static void start_probe(struct sup *s, struct vigil *v)
{
	static const char *const kinds[] = { "none", "cmd", "tcp", "http" };
	struct probe_outcome o;

	/* A probe killed at its timeout and still not gone (stuck in the
	 * kernel) blocks the next one rather than piling them up. */
	if (s->prun.pid) {
		memset(&o, 0, sizeof(o));
		o.result = PR_FAIL;
		o.exit_code = -1;
		snprintf(o.error, sizeof(o.error), "the previous probe (pid %d) has not ended yet", (int)s->prun.pid);
		probe_done(s, v, &o);
		return;
	}
	if (probe_start(&s->prun, &s->probe, &s->probe_plan, v->cwd_left ? v->cwd : NULL,
			deadlines_now_ns(), &o) < 0) {
		probe_done(s, v, &o);
		return;
	}
	if (log_trace) {
		struct trace_field f[2] = {
			{ "pid", NULL, (long long)s->prun.pid },
			{ "kind", kinds[s->probe.kind], 0 },
		};

		trace_event("probe_started", f, 2);
	}
}

static void stop_probes(struct sup *s)
{
	disarm(s, TM_PROBE);
	disarm(s, TM_PROBE_TIMEOUT);
	probe_kill(&s->prun, false);
}

static void health_changed(struct sup *s, enum health_status from, enum health_status to)
{
	struct trace_field f[2] = { { "from", health_status_name(from), 0 }, { "to", health_status_name(to), 0 } };

	trace_event("health", f, 2);
	if (to == HS_UNHEALTHY)
		warn_msg("service is unhealthy after %u consecutive failed probes (last: %s)%s",
			 s->m.health.fails, s->last_failure,
			 s->so->health.on_unhealthy == UNHEALTHY_STOP ? ": stopping it" :
			 s->so->health.on_unhealthy == UNHEALTHY_RESTART ? ": restarting it" : "");
	else if (to == HS_HEALTHY && from == HS_UNHEALTHY)
		info_msg("service is healthy again");
}

/* A round of dependency checks; one that cannot start counts as a round
 * that found them missing, so the deadline still bounds the wait. */
static void check_deps(struct sup *s, struct vigil *v)
{
	int r = waiter_start_round(&s->wait);

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
			trace_n("term_delay_expired", "delay_ms", (long long)s->so->term_delay_ms);
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
		trace_n("probe_timeout", "pid", (long long)s->prun.pid);
		probe_kill(&s->prun, true);
	}
	if (a & ACT_WRITE_HEALTH)
		write_health(s);
	if (a & ACT_FIRST_HEALTHY)
		on_first_healthy(s, v);
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
			health_changed(s, was, s->m.health.status);
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

static bool on_reaped(struct vigil *v, pid_t pid, int status)
{
	struct sup *s = v->ext_state;
	struct probe_outcome o;
	bool abandoned;

	/* A round of dependency checks ended: its findings are in its pipe. */
	if (waiter_owns(&s->wait, pid)) {
		feed(s, v, (struct event){ .kind = waiter_collect(&s->wait) ? EV_DEPS_READY : EV_DEPS_PENDING }, 0);
		return true;
	}
	if (!probe_reaped(&s->prun, pid, status, deadlines_now_ns(), s->so->health.timeout_ms, &o, &abandoned))
		return false;
	if (!abandoned)
		probe_done(s, v, &o);
	return true;
}

static int poll_fds(struct vigil *v, struct pollfd *fds)
{
	struct sup *s = v->ext_state;

	fds[0] = (struct pollfd){ .fd = s->tfd, .events = POLLIN };
	if (s->prun.out_fd < 0)
		return 1;
	fds[1] = (struct pollfd){ .fd = s->prun.out_fd, .events = POLLIN };
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
		s->stop_sig[v->opt->rewrite[sig]] = true;
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

static void emit(struct sup *s, struct safe_dest *d, const char *what, const char *text, long n)
{
	int e;

	if (!d->ready || n < 0)
		return;
	e = safefile_write(d, text, (size_t)n);
	if (e)
		file_failed(s, e, what, d->shown);
}

static void write_report(struct sup *s, struct vigil *v)
{
	char json[REPORT_JSON_MAX + 1], tlog[TERMINATION_LOG_MAX + 1];
	struct exit_report r = {
		.reason = s->reason ? s->reason : "internal_error",
		.exit_code = v->exit_code,
		.have_status = v->child_ran && !v->child,
		.status = v->child_status,
		.command = v->opt->argv[0],
		.received_signal = v->have_term_sig ? (int)v->term_sig.ssi_signo : 0,
		.sender_pid = v->have_term_sig ? (pid_t)v->term_sig.ssi_pid : 0,
		.sender_uid = v->have_term_sig ? (uid_t)v->term_sig.ssi_uid : 0,
		.duration_s = log_uptime(),
		.restarts = s->state.restarts,
		.reaped = v->reaped,
		.leftovers = s->leftovers,
		.killed = s->killed,
		.oom_kills = -1,
		.error = s->error[0] ? s->error : NULL,
		.bounding = (int)s->plan.bounding,
	};
	long now = s->oom_before >= 0 ? cgroup_oom_kills() : -1;
	struct health_summary h;
	long n;

	if (s->probe.kind != PROBE_NONE) {
		health_record_sync(&s->hrec, &s->m.health);
		h = (struct health_summary){
			.status = health_status_name(s->hrec.status),
			.checks = s->hrec.checks,
			.failures = s->hrec.failures,
			.unhealthy_restarts = s->hrec.unhealthy_restarts,
			.mean_probe_ms = s->hrec.checks ?
				(double)s->hrec.total_duration_ms / (double)s->hrec.checks : -1,
			.last_error = s->last_failure[0] ? s->last_failure : NULL,
		};
		r.health = &h;
	}
	r.pid = v->last_child;
	if (now >= 0)
		r.oom_kills = now - s->oom_before;
	/* A refused state file (or report) is worth a line in what is written. */
	if (!r.error && s->file_error[0])
		r.error = s->file_error;
	n = report_json(&r, json, sizeof(json) - 1);
	if (n >= 0)
		json[n++] = '\n';
	emit(s, &s->report_dest, "write report to", json, n);
	/* ... and so is a report that could not be written. */
	if (!r.error && s->file_error[0])
		r.error = s->file_error;
	n = report_termination_text(&r, tlog, sizeof(tlog));
	emit(s, &s->tlog_dest, "write termination log", tlog, n);
}

/* Every file vigil will touch is checked and its folder opened now, while
 * nothing untrusted has run: a bad destination is a usage error before
 * the command starts, not a surprise at the end. */
static int open_file(struct sup *s, struct safe_dest *d, const char *flag, const char *spec, bool streams)
{
	char line[400];
	int r;

	if (!spec)
		return 0;
	r = safefile_open(d, spec, streams);
	if (!r)
		return 0;
	snprintf(line, sizeof(line), "%s %s: %s", flag, spec, safefile_strerror(-r));
	return refuse(s, FAIL_USAGE, line);
}

static int open_files(struct sup *s)
{
	const struct sup_options *so = s->so;
	int r = open_file(s, &s->report_dest, "--report", so->report, true);

	if (!r)
		r = open_file(s, &s->tlog_dest, "--termination-log", so->termination_log, true);
	if (!r)
		r = open_file(s, &s->state_dest, "--state-file", so->state_file, false);
	if (!r)
		r = open_file(s, &s->health_dest, "--health-file", so->health.file, false);
	return r;
}

static int prepare_health(struct sup *s)
{
	char err[600];

	if (probe_spec_from_options(s->so, &s->probe, err, sizeof(err)))
		return refuse(s, FAIL_USAGE, err);
	health_record_init(&s->hrec, s->so->health.interval_ms, s->so->health.timeout_ms);
	return 0;
}

static int start(struct sup *s, struct vigil *v)
{
	struct spawn_error e;
	int r = prepare_health(s);

	if (!r)
		r = open_files(s);
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
		save_state(&s);
	}
	child_plan_finish(&s.plan);
	write_report(&s, v);
	return v->exit_code;
}
