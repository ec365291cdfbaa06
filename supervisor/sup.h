/* sup: supervisor mode's run-time state, shared by supervise.c (the
 * machine's executor and the loop hooks), sup_probes.c (health probes) and
 * sup_files.c (the files vigil writes). Nothing outside supervisor/
 * includes it. */
#ifndef VIGIL_SUP_H
#define VIGIL_SUP_H

#include "child_plan.h"
#include "deadlines.h"
#include "failure.h"
#include "health.h"
#include "machine.h"
#include "probe.h"
#include "probe_spec.h"
#include "restart.h"
#include "safefile.h"
#include "teardown.h"
#include "vigil.h"
#include "wait.h"
#include "log.h"

#include <stdbool.h>
#include <stdint.h>

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

static inline void sup_trace_n(const char *event, const char *key, long long n)
{
	struct trace_field f = { key, NULL, n };

	trace_event(event, &f, 1);
}

/* sup_probes.c: 0, or -1 with a one-line usage error in err. */
int sup_prepare_health(struct sup *s, char *err, size_t errlen);
bool sup_in_start_period(const struct sup *s, uint64_t now_ns);
uint64_t sup_probe_interval_ms(const struct sup *s);
bool sup_start_probe(struct sup *s, const struct vigil *v, struct event *result);
struct event sup_probe_done(struct sup *s, const struct probe_outcome *o);
void sup_health_changed(struct sup *s, enum health_status from, enum health_status to);
void sup_on_first_healthy(struct sup *s);

/* sup_files.c: sup_open_files gives 0, or -1 with a one-line usage error
 * in err. */
int sup_open_files(struct sup *s, char *err, size_t errlen);
void sup_file_failed(struct sup *s, int r, const char *what, const char *path);
int sup_save_state(struct sup *s);
void sup_write_health(struct sup *s);
void sup_write_report(struct sup *s, struct vigil *v);

#endif
