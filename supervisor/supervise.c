/* supervise: supervisor mode. Plugs into the core loop through struct
 * loop_ext and adds what the core never does: teardown of the whole tree
 * with a grace period, the term delay, the restart policy, the privilege
 * drop, seccomp and preflight in the child, and the exit report. */
#include "supervise.h"

#include "config.h"
#include "cgroup.h"
#include "log.h"
#include "preflight.h"
#include "report.h"
#include "restart.h"
#include "safefile.h"
#include "teardown.h"
#if HAVE_CAPNG
#include "caps.h"
#include "user.h"
#endif
#if HAVE_SECCOMP
#include "seccomp_filter.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum timer_use { T_NONE = 0, T_TERM_DELAY, T_GRACE, T_RESTART };

struct sup {
	const struct sup_options *so;
	struct options opt;          /* the core options, adjusted for us */
	int tfd;
	enum timer_use timer;
	bool tearing_down;           /* main child gone: wait for the tree */
	bool grace_armed;
	bool kill_sent;              /* grace expired: SIGKILL phase */
	bool main_killed_by_us;
	bool give_up;                /* a stop was asked for: no more restarts */
	bool restart_pending;
	long leftovers, killed;
	long oom_before;
	struct run_state state;
	bool state_claimed;          /* this run is recorded in the state file */
	struct safe_dest state_dest, report_dest, tlog_dest;
	char file_error[300];        /* first file vigil refused to write */
	const char *reason;
	char error[300];
	/* child-side plans, prepared before fork */
	bool want_drop;
#if HAVE_CAPNG
	struct user_target user;
	struct drop_plan drop;
#endif
#if HAVE_SECCOMP
	bool want_seccomp;
	struct seccomp_plan seccomp;
#endif
};

static int arm(struct sup *s, enum timer_use use, uint64_t ms)
{
	struct itimerspec its = { 0 };

	its.it_value.tv_sec = (time_t)(ms / 1000);
	its.it_value.tv_nsec = (long)(ms % 1000) * 1000000L;
	if (ms == 0)
		its.it_value.tv_nsec = 1; /* zero would disarm: fire at once */
	if (timerfd_settime(s->tfd, 0, &its, NULL) < 0) {
		log_errno(errno, "arm timer");
		return -1;
	}
	s->timer = use;
	return 0;
}

static void disarm(struct sup *s)
{
	struct itimerspec its = { 0 };

	(void)timerfd_settime(s->tfd, 0, &its, NULL);
	s->timer = T_NONE;
}

static void trace_n(const char *event, const char *key, long long n)
{
	struct trace_field f = { key, NULL, n };

	trace_event(event, &f, 1);
}

/* ---- child side ------------------------------------------------------- */

static void preflight_warn(void *ctx, const struct preflight_result *r)
{
	char line[700];

	(void)ctx;
	preflight_format(r, line, sizeof(line));
	warn_msg("%s", line);
}

static int child_hook(void *ctx, struct spawn_error *e)
{
	struct sup *s = ctx;

#if HAVE_CAPNG
	if (s->want_drop && user_drop(&s->drop, e) < 0)
		return -1;
#endif
	if (s->so->preflight != PREFLIGHT_OFF) {
		struct preflight_result r;

		if (preflight_run(NULL, &r, preflight_warn, NULL) < 0) {
			char line[sizeof(e->what)];

			preflight_format(&r, line, sizeof(line));
			if (s->so->preflight == PREFLIGHT_FAIL) {
				e->stage = STAGE_PREFLIGHT;
				e->err = r.err;
				snprintf(e->what, sizeof(e->what), "%s", line);
				return -1;
			}
			warn_msg("%s (continuing: --preflight warn)", line);
		}
	}
#if HAVE_SECCOMP
	if (s->want_seccomp && seccomp_apply(&s->seccomp, e) < 0)
		return -1;
#endif
	return 0;
}

/* ---- tree teardown ------------------------------------------------------ */

/* Signal what is left of the tree, add the live ones to *total and trace
 * them. Returns how many got the signal, zombie-state ones included. */
static long signal_tree(int sig, long *total, const char *event)
{
	long live = 0, n = teardown_signal_tree(sig, &live);

	if (n < 0) {
		log_errno((int)-n, "list processes in /proc to send them signal %d", sig);
		return 0;
	}
	*total += live;
	if (live)
		trace_n(event, "processes", live);
	return n;
}

static void kill_tree(struct sup *s)
{
	signal_tree(SIGKILL, &s->killed, "grace_expired_killed");
}

static void start_teardown(struct sup *s)
{
	long n;

	s->tearing_down = true;
	n = signal_tree(SIGTERM, &s->leftovers, "teardown_term");
	if (s->kill_sent) {
		kill_tree(s);
	} else if (n && !s->grace_armed) {
		if (arm(s, T_GRACE, s->so->grace_ms) == 0) {
			s->grace_armed = true;
		} else {
			/* No timer, no grace: better a SIGKILL now than a ghost. */
			s->kill_sent = true;
			kill_tree(s);
		}
	}
}

/* ---- exit and restart ------------------------------------------------- */

static void finish(struct sup *s, struct vigil *v)
{
	s->grace_armed = false;
	/* A stop asked for during the teardown wins over the restart. */
	if (s->restart_pending && !s->give_up) {
		s->restart_pending = false;
		if (arm(s, T_RESTART, restart_backoff_ms(s->so->restart_delay_ms, s->state.restarts - 1)) == 0)
			return;
		s->reason = "internal_error";
		v->exit_code = EXIT_INTERNAL;
	}
	disarm(s);
	v->stop = true;
}

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
	if (!s->give_up && restart_wanted(s->so->restart, s->so->restart_max, s->state.restarts, code)) {
		s->state.restarts++;
		s->restart_pending = true;
		trace_n("restart_scheduled", "restarts", s->state.restarts);
	} else if (s->so->restart == RESTART_ON_FAILURE && code != 0 && !s->give_up) {
		s->reason = "restart_limit";
	}
	/* A running grace period keeps running for the leftovers. */
	if (s->timer == T_TERM_DELAY)
		disarm(s);
	start_teardown(s);
}

static void after_reap(struct vigil *v, bool no_children)
{
	struct sup *s = v->ext_state;

	if (!s->tearing_down || v->child)
		return;
	if (no_children) {
		s->tearing_down = false;
		finish(s, v);
	} else if (s->kill_sent) {
		/* Something forked while we were killing: keep at it. */
		kill_tree(s);
	}
}

/* The report's reason and one-line error for a start that never exec'd. */
static void spawn_failed(struct sup *s, const struct spawn_error *e)
{
	switch (e->stage) {
	case STAGE_EXEC: s->reason = "exec_failed"; break;
	case STAGE_PRIV: s->reason = "privilege_drop_failed"; break;
	case STAGE_PREFLIGHT: s->reason = "preflight_failed"; break;
	default: s->reason = "internal_error"; break;
	}
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

static void do_restart(struct sup *s, struct vigil *v)
{
	struct spawn_error e;
	int r;

	if (s->state_claimed)
		save_state(s);
	s->main_killed_by_us = false;
	s->kill_sent = false;
	r = child_start(v, child_hook, s, &e);
	if (r) {
		v->exit_code = r;
		spawn_failed(s, &e);
		v->stop = true;
	}
}

/* ---- loop hooks ------------------------------------------------------- */

static int poll_fd(struct vigil *v)
{
	return ((struct sup *)v->ext_state)->tfd;
}

static void on_timer(struct vigil *v)
{
	struct sup *s = v->ext_state;
	uint64_t ticks;
	enum timer_use use = s->timer;

	if (read(s->tfd, &ticks, sizeof(ticks)) < 0)
		return;
	s->timer = T_NONE;
	switch (use) {
	case T_TERM_DELAY:
		trace_n("term_delay_expired", "delay_ms", (long long)s->so->term_delay_ms);
		forward_signal(v, SIGTERM);
		break;
	case T_GRACE:
		s->kill_sent = true;
		if (v->child) {
			s->main_killed_by_us = kill(v->child, SIGKILL) == 0;
			if (s->main_killed_by_us)
				s->killed++;
		}
		kill_tree(s);
		break;
	case T_RESTART:
		do_restart(s, v);
		break;
	case T_NONE:
		break;
	}
}

static bool on_signal(struct vigil *v, const struct signalfd_siginfo *si)
{
	struct sup *s = v->ext_state;
	int sig = (int)si->ssi_signo;
	bool stop_sig = sig == SIGTERM || sig == SIGINT || sig == SIGQUIT;

	if (stop_sig)
		s->give_up = true;
	if (!v->child) {
		/* Between runs: a stop request cancels the pending restart. */
		if (stop_sig && s->timer == T_RESTART) {
			disarm(s);
			v->stop = true;
		}
		return true;
	}
	/* A second stop request ends the delay: the held SIGTERM goes now
	 * (arming the grace), and an INT or QUIT follows as itself. */
	if (s->timer == T_TERM_DELAY && stop_sig) {
		disarm(s);
		forward_signal(v, SIGTERM);
		return sig == SIGTERM;
	}
	if (sig == SIGTERM && s->so->term_delay_ms && s->timer == T_NONE && !s->grace_armed) {
		trace_n("term_delayed", "delay_ms", (long long)s->so->term_delay_ms);
		return arm(s, T_TERM_DELAY, s->so->term_delay_ms) == 0;
	}
	return false;
}

static void on_forwarded(struct vigil *v, int sig)
{
	struct sup *s = v->ext_state;

	/* Once asked to stop, the child gets the grace period and no more. */
	if ((sig == SIGTERM || sig == SIGINT || sig == SIGQUIT) && !s->grace_armed && s->timer == T_NONE) {
		if (arm(s, T_GRACE, s->so->grace_ms) == 0)
			s->grace_armed = true;
	}
}

static const struct loop_ext sup_ext = {
	.poll_fd = poll_fd,
	.on_fd = on_timer,
	.on_signal = on_signal,
	.on_forwarded = on_forwarded,
	.on_child_exit = on_child_exit,
	.after_reap = after_reap,
};

/* ---- set-up ------------------------------------------------------------ */

#if HAVE_CAPNG
static bool has_ctty(void)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}
#endif

static int prepare_drop(struct sup *s)
{
	const struct sup_options *so = s->so;

	if (!so->user && !so->cap_keep)
		return 0;
#if HAVE_CAPNG
	char err[300];
	const char *bad = NULL;
	int r;

	if (so->cap_keep) {
		r = caps_parse_list(so->cap_keep, s->drop.keep_caps, VIGIL_MAX_KEEP_CAPS, &s->drop.nkeep, &bad);
		if (r) {
			err_msg("invalid --cap-keep '%s' (at '%s')", so->cap_keep, bad ? bad : "?");
			return EXIT_USAGE;
		}
	}
	if (so->user) {
		r = user_resolve(so->user, "/etc/passwd", "/etc/group", &s->user, err, sizeof(err));
		if (r) {
			err_msg("--user %s: %s", so->user, err);
			return r == -EINVAL ? EXIT_USAGE : EXIT_PRIV_FAILED;
		}
		s->drop.target = &s->user;
		/* A dropped child in a session with a controlling terminal
		 * could TIOCSTI into it (even with stdin redirected, through
		 * /dev/tty); in a session of its own it has none. */
		if (has_ctty()) {
			if (isatty(STDIN_FILENO)) {
				r = user_tty_handover(STDIN_FILENO, &s->user);
				if (r)
					log_errno(-r, "give the terminal to uid %u", (unsigned)s->user.uid);
			}
			s->opt.setsid = true;
			s->opt.group = true;
		}
	}
	s->drop.no_new_privs = true;
	s->want_drop = true;
	return 0;
#else
	err_msg("--user/--cap-keep need vigil built with libcap-ng (this build has none)");
	return EXIT_USAGE;
#endif
}

static int prepare_seccomp(struct sup *s)
{
	const struct sup_options *so = s->so;

	if (!so->seccomp && !so->seccomp_deny)
		return 0;
#if HAVE_SECCOMP
	const char *bad = NULL;

	s->seccomp.use_default = so->seccomp != NULL;
	if (so->seccomp_deny &&
	    seccomp_parse_list(so->seccomp_deny, s->seccomp.extra, VIGIL_MAX_DENY, &s->seccomp.nextra, &bad)) {
		err_msg("invalid --seccomp-deny '%s' (unknown syscall at '%s')", so->seccomp_deny, bad ? bad : "?");
		return EXIT_USAGE;
	}
	s->want_seccomp = true;
	return 0;
#else
	err_msg("--seccomp/--seccomp-deny need vigil built with libseccomp (this build has none)");
	return EXIT_USAGE;
#endif
}

/* A run after the first one means the runtime restarted the container. */
static int check_state(struct sup *s)
{
	const struct sup_options *so = s->so;
	int r;

	if (!so->state_file)
		return 0;
	r = restart_state_load(&s->state_dest, &s->state);
	if (r) {
		file_failed(s, r, "read state file", so->state_file);
		snprintf(s->error, sizeof(s->error), "%s", s->file_error);
		return EXIT_INTERNAL;
	}
	if (s->state.runs > 0) {
		if (so->restart == RESTART_NO) {
			s->reason = "restart_refused";
			snprintf(s->error, sizeof(s->error),
				 "state file %s records %u earlier run(s) and --restart is no", so->state_file, s->state.runs);
			err_msg("refusing to run again: %s (delete it to allow a fresh start)", s->error);
			return EXIT_RESTART_REFUSED;
		}
		if (so->restart_max && s->state.restarts >= so->restart_max) {
			s->reason = "restart_limit";
			snprintf(s->error, sizeof(s->error),
				 "state file %s records %u restart(s), the limit is %u", so->state_file,
				 s->state.restarts, so->restart_max);
			err_msg("refusing to run again: %s", s->error);
			return EXIT_RESTART_REFUSED;
		}
		s->state.restarts++;
	}
	s->state.runs++;
	s->state.last_exit = -1;
	if (save_state(s)) {
		snprintf(s->error, sizeof(s->error), "%s", s->file_error);
		return EXIT_INTERNAL;
	}
	s->state_claimed = true;
	return 0;
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
	};
	long now = s->oom_before >= 0 ? cgroup_oom_kills() : -1;
	long n;

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
	int r;

	if (!spec)
		return 0;
	r = safefile_open(d, spec, streams);
	if (!r)
		return 0;
	snprintf(s->error, sizeof(s->error), "%s %s: %s", flag, spec, safefile_strerror(-r));
	err_msg("%s", s->error);
	return EXIT_USAGE;
}

static int open_files(struct sup *s)
{
	const struct sup_options *so = s->so;
	int r = open_file(s, &s->report_dest, "--report", so->report, true);

	if (!r)
		r = open_file(s, &s->tlog_dest, "--termination-log", so->termination_log, true);
	if (!r)
		r = open_file(s, &s->state_dest, "--state-file", so->state_file, false);
	return r;
}

static int start(struct sup *s, struct vigil *v)
{
	struct spawn_error e;
	int r = open_files(s);

	if (!r)
		r = prepare_drop(s);
	if (!r)
		r = prepare_seccomp(s);
	if (r)
		return r;
	r = check_state(s);
	if (r)
		return r;
	s->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (s->tfd < 0) {
		log_errno(errno, "create timerfd");
		return EXIT_INTERNAL;
	}
	s->oom_before = cgroup_oom_kills();
	r = child_start(v, child_hook, s, &e);
	if (r)
		spawn_failed(s, &e);
	return r;
}

int supervise_run(struct vigil *v)
{
	static struct sup s;
	int r;

	s.so = &v->opt->sup;
	s.opt = *v->opt;
	s.tfd = -1;
	s.oom_before = -1;
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
	write_report(&s, v);
	return v->exit_code;
}
