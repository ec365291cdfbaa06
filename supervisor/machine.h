/* machine: supervisor mode's lifecycle as one phase enum and one pure
 * transition function. The loop turns what happened into events; the
 * machine answers with the next phase and the actions to carry out, and
 * never touches a process, a timer or a file itself. */
#ifndef VIGIL_MACHINE_H
#define VIGIL_MACHINE_H

#include <stdbool.h>
#include <stdint.h>

#include "parse.h"

enum phase {
	PH_STARTING = 0,  /* a spawn is under way (first start or a restart) */
	PH_RUNNING,       /* main child alive, no stop asked for */
	PH_TERM_HELD,     /* SIGTERM received and held for --term-delay */
	PH_STOPPING,      /* a stop signal reached the child: grace running */
	PH_TEARDOWN,      /* main child gone, leftovers got SIGTERM: grace running */
	PH_KILLING,       /* grace over: SIGKILL sent, waiting for the tree to empty */
	PH_RESTART_WAIT,  /* tree empty, waiting out the restart delay */
	PH_WAITING,       /* --wait-for: dependencies checked before the first start */
	PH_DONE,
	PH_COUNT
};

/* Timers by purpose: each may be pending independently of the others. */
enum timer_id {
	TM_TERM_DELAY = 0, TM_GRACE, TM_RESTART,
	TM_PROBE,          /* the next health probe is due */
	TM_PROBE_TIMEOUT,  /* the running probe has had its --health-timeout */
	TM_WAIT_RETRY,     /* next round of dependency checks */
	TM_WAIT_DEADLINE,  /* --wait-timeout */
	TM_COUNT
};

/* A health probe's verdict; PR_TIMEOUT: it was killed at its timeout. */
enum probe_result { PR_OK = 0, PR_FAIL, PR_TIMEOUT };

/* What the probes say about the service; starting until a probe passed. */
enum health_status { HS_STARTING = 0, HS_HEALTHY, HS_UNHEALTHY };

/* What a received signal means to the lifecycle. The caller decides:
 * a SIGINT the terminal sent is not a stop request, one from kill(1) is. */
enum sig_kind {
	SK_TERM,          /* SIGTERM asking vigil to stop */
	SK_INT_QUIT,      /* SIGINT or SIGQUIT asking vigil to stop */
	SK_OTHER,         /* anything else: just passed on */
};

enum event_kind {
	EV_STARTED,        /* the main child was spawned */
	EV_SPAWN_FAILED,   /* the start failed before or at exec */
	EV_SIGNAL,         /* a signal for vigil; .sig says which kind */
	EV_STOP_FORWARDED, /* a terminating signal reached the main child */
	EV_CHILD_EXITED,   /* main child reaped; .exit_code is vigil's code for it */
	EV_TREE_LEFT,      /* child gone, a reaping pass still found processes */
	EV_TREE_EMPTY,     /* child gone and waitpid said ECHILD */
	EV_TIMER,          /* .timer expired */
	EV_ARM_FAILED,     /* .timer could not be armed */
	EV_PROBE_RESULT,   /* the running probe ended: .probe, .in_start_period */
	EV_WAIT_DEPS,      /* dependencies must hold before the first start */
	EV_DEPS_READY,     /* a round of checks found every dependency holding */
	EV_DEPS_PENDING,   /* a round ended (or could not run) with some missing */
	EV_COUNT
};

struct event {
	enum event_kind kind;
	enum sig_kind sig;
	enum timer_id timer;
	int exit_code;
	enum probe_result probe;
	bool in_start_period;      /* the result came inside --health-start-period */
};

/* Actions, carried out by the caller in the order of the bits below. */
enum {
	ACT_DISARM_TERM_DELAY = 1u << 0,
	ACT_DISARM_GRACE      = 1u << 1,
	ACT_DISARM_RESTART    = 1u << 2,
	ACT_FORWARD_TERM      = 1u << 3,  /* send the held SIGTERM */
	ACT_FORWARD           = 1u << 4,  /* pass the received signal on */
	ACT_TERM_TREE         = 1u << 5,  /* SIGTERM to every leftover */
	ACT_KILL_MAIN         = 1u << 6,  /* SIGKILL to the main child */
	ACT_KILL_TREE         = 1u << 7,  /* SIGKILL to every leftover */
	ACT_ARM_TERM_DELAY    = 1u << 8,
	ACT_ARM_GRACE         = 1u << 9,
	ACT_ARM_RESTART       = 1u << 10,
	ACT_START             = 1u << 11, /* start the main child again */
	/* Health probes, after the lifecycle's own actions. */
	ACT_STOP_PROBES       = 1u << 12, /* disarm both probe timers, kill a running probe */
	ACT_DISARM_PROBE_TIMEOUT = 1u << 13,
	ACT_KILL_PROBE        = 1u << 14, /* SIGKILL the probe's group: it timed out */
	ACT_WRITE_HEALTH      = 1u << 15, /* rewrite --health-file */
	ACT_FIRST_HEALTHY     = 1u << 16, /* healthy for the first time since vigil started */
	ACT_ARM_PROBE         = 1u << 17, /* the next probe after the interval in effect */
	ACT_ARM_PROBE_TIMEOUT = 1u << 18,
	ACT_START_PROBE       = 1u << 19,
	/* Readiness and dependencies; carried out around the ones above as
	 * the executor documents: cancel and disarm first, check last. */
	ACT_CANCEL_CHECK      = 1u << 20, /* kill a running round of checks */
	ACT_DISARM_WAIT       = 1u << 21, /* both wait timers */
	ACT_ARM_WAIT_DEADLINE = 1u << 22,
	ACT_ARM_WAIT_RETRY    = 1u << 23,
	ACT_CHECK_DEPS        = 1u << 24, /* start a round of checks */
	ACT_NOTIFY_READY      = 1u << 25, /* READY=1 (sent once per vigil) */
	ACT_NOTIFY_STOPPING   = 1u << 26, /* STOPPING=1 (sent once per vigil) */
};

/* Why the machine reached PH_DONE, where the child's status alone does
 * not say it. */
enum outcome {
	OUT_NONE = 0,       /* the child's own status tells (exited, signaled...) */
	OUT_RESTART_LIMIT,  /* it failed and the policy allows no more restarts */
	OUT_START_FAILED,   /* a (re)start failed: the spawn error tells why */
	OUT_INTERNAL,       /* a timer vigil needed could not be armed */
	OUT_UNHEALTHY,      /* stopped for failing its probes (--on-unhealthy) */
	OUT_DEP_TIMEOUT,    /* --wait-for did not hold within --wait-timeout */
	OUT_STOPPED,        /* a stop request came while waiting: nothing ran */
};

struct policy {
	uint64_t term_delay_ms;     /* 0: no delay */
	enum restart_mode restart;
	unsigned restart_max;       /* 0: unlimited */
	bool health;                /* a probe is configured */
	unsigned health_retries;    /* consecutive counted failures to be unhealthy */
	enum unhealthy_action on_unhealthy;
	bool notify;                /* --notify-ready: READY and STOPPING actions */
};

/* The health sub-state, next to the lifecycle: probes run while the main
 * child does, and an unhealthy verdict may end it. */
struct health {
	enum health_status status;
	bool probing;               /* a probe is running */
	bool passed;                /* a probe passed since this child started:
	                             * its start period is over */
	bool ever_healthy;          /* since vigil started (ACT_FIRST_HEALTHY) */
	bool ending;                /* this child is being stopped for being unhealthy */
	unsigned fails;             /* consecutive failures that counted */
	unsigned long checks, failures;
	unsigned unhealthy_restarts;
};

struct machine {
	enum phase phase;
	bool stop_requested;        /* a stop signal came: never restart again */
	unsigned restarts;          /* restarts done, earlier runs' included */
	int last_code;              /* vigil's exit code for the last child */
	enum outcome outcome;
	struct health health;
};

struct step {
	struct machine next;
	unsigned actions;
};

void machine_init(struct machine *m, unsigned restarts_before);

/* The whole lifecycle: pure, no side effects. */
struct step machine_next(const struct machine *m, const struct policy *p, const struct event *e);

const char *phase_name(enum phase ph);
const char *timer_name(enum timer_id t);
const char *health_status_name(enum health_status h);

#endif
