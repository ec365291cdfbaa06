/* options: the one description of what vigil should do. Every front-end
 * (native, tini/docker-init, dumb-init) fills this struct and nothing
 * downstream knows which front-end ran. */
#ifndef VIGIL_OPTIONS_H
#define VIGIL_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parse.h"
#include "signals.h"

enum front_end { FE_VIGIL = 0, FE_TINI, FE_DUMB_INIT };

enum preflight_mode { PREFLIGHT_OFF = 0, PREFLIGHT_WARN, PREFLIGHT_FAIL };

#define VIGIL_DEFAULT_GRACE_MS 5000
#define VIGIL_DEFAULT_RESTART_DELAY_MS 1000
#define VIGIL_DEFAULT_HEALTH_INTERVAL_MS 30000
#define VIGIL_DEFAULT_HEALTH_TIMEOUT_MS 10000
#define VIGIL_DEFAULT_HEALTH_RETRIES 3

/* The probe settings, checked and parsed further by the supervisor. */
struct health_options {
	const char *cmd;             /* --health-cmd 'CMD ARGS' */
	const char *tcp;             /* --health-tcp HOST:PORT */
	const char *http;            /* --health-http http://HOST:PORT/PATH */
	uint64_t interval_ms;
	uint64_t timeout_ms;
	uint64_t start_period_ms;
	uint64_t start_interval_ms;  /* 0: the interval */
	unsigned retries;
	enum unhealthy_action on_unhealthy;
	const char *file;            /* --health-file PATH */
};
#define VIGIL_DEFAULT_WAIT_TIMEOUT_MS 60000
#define VIGIL_MAX_WAIT 16
#define VIGIL_MAX_RLIMITS 16

struct sup_options {
	bool enabled;                /* --supervise or any flag below */
	uint64_t grace_ms;
	uint64_t term_delay_ms;
	enum restart_mode restart;
	unsigned restart_max;        /* 0: unlimited */
	uint64_t restart_delay_ms;
	const char *state_file;
	const char *user;
	const char *cap_keep;
	const char *seccomp;         /* "default" or NULL */
	const char *seccomp_deny;
	enum preflight_mode preflight;
	bool preflight_set;
	const char *report;          /* PATH, "-" or "fd:N" */
	const char *termination_log;
	struct health_options health;
	bool notify_ready;           /* READY=1 / STOPPING=1 to $NOTIFY_SOCKET */
	bool success_on_stop;        /* a requested stop the child obeyed exits 0 */
	/* Checked by the supervisor before anything runs, so the core only
	 * collects them. */
	const char *wait_for[VIGIL_MAX_WAIT];
	unsigned nwait;
	uint64_t wait_timeout_ms;    /* 0: wait forever */
	const char *rlimit[VIGIL_MAX_RLIMITS]; /* NAME=SOFT[:HARD] */
	unsigned nrlimit;
};

struct options {
	enum front_end fe;
	char **argv;                 /* the command, NULL-terminated */
	bool group;                  /* signal the child's process group */
	bool setsid;                 /* child gets its own session (dumb-init) */
	bool same_pgrp;              /* child stays in vigil's process group (dumb-init -c) */
	bool subreaper;
	bool pause;
	bool warn_reap;              /* tini -w */
	bool inherit_signals;        /* child gets the mask and SIG_IGNs vigil got (tini) */
	bool no_subreaper_warning;   /* dumb-init prints none */
	bool term_group_on_exit;     /* main child gone: SIGTERM its group (dumb-init) */
	int pdeath_sig;              /* 0: none */
	int verbosity;
	bool remap_exit[256];
	/* Read through options_target. 0: sent as it is, so a zeroed struct
	 * needs no table set up; OPT_DROP: not sent; else what is sent. */
	int rewrite[VIGIL_NSIG];
	bool show_help;
	bool show_version;
	bool show_license;
	struct sup_options sup;
};

enum { OPT_OK = 0, OPT_EXIT = 1 };

#define OPT_DROP (-1)

/* The signal forwarded for sig after --rewrite; 0: dropped. */
static inline int options_target(const struct options *o, int sig)
{
	int to = o->rewrite[sig];

	return to == 0 ? sig : to == OPT_DROP ? 0 : to;
}

/* Picks the front-end from argv[0]'s basename. */
enum front_end options_front_end(const char *argv0);

/* Fill o, which must be zeroed (static storage, or memset: clearing a
 * kilobyte was a tenth of vigil's start-up), from argv and the
 * environment. Returns OPT_OK, OPT_EXIT (help or version asked: o->show_*
 * set) or -EINVAL with a one-line message in err. Restartable on a zeroed
 * o: every call starts from a clean getopt state. */
int options_parse(struct options *o, int argc, char **argv, char *err, size_t errlen);

/* The defaults that are not zero, on a zeroed o. Front-ends, each
 * assumes options_defaults() was applied. */
void options_defaults(struct options *o, enum front_end fe);
int options_parse_native(struct options *o, int argc, char **argv, char *err, size_t errlen);
int options_parse_tini(struct options *o, int argc, char **argv, char *err, size_t errlen);
int options_parse_dumb_init(struct options *o, int argc, char **argv, char *err, size_t errlen);

/* Shared by the front-ends: "-e CODE", "-r FROM:TO", env truthiness. */
int options_add_remap(struct options *o, const char *arg, char *err, size_t errlen);
/* *from (may be NULL) gets the rewritten signal. */
int options_add_rewrite(struct options *o, const char *arg, int *from, char *err, size_t errlen);
/* Set and not empty, 0, false or no. */
bool options_env_true(const char *name);
/* Set (even empty) and not 0, false or no: tini's rule. */
bool options_env_set(const char *name);
int options_set_pdeath(struct options *o, const char *arg, char *err, size_t errlen);
/* One-line message for getopt's '?' result; help names the help flag. */
int options_unknown(int argc, char **argv, const char *help, char *err, size_t errlen);
/* After getopt: the command starts at optind; -vv turns the trace on. */
void options_finish(struct options *o, char **argv);

void options_usage(enum front_end fe, int to_stderr);
void options_version(enum front_end fe);

#endif
