/* report: the structured exit reason, as one JSON object, and the short
 * Kubernetes termination-log form. */
#ifndef VIGIL_REPORT_H
#define VIGIL_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define REPORT_SCHEMA_VERSION 1
#define TERMINATION_LOG_MAX 4096
/* Escaped bytes kept of the command and the error (cut with "...").
 * With every other field of bounded size, a report is at most
 * REPORT_JSON_MAX bytes, and the summary line plus the report always fit
 * the termination log: nothing is ever dropped for being long. */
#define REPORT_FIELD_MAX 512
#define REPORT_JSON_MAX 2048
#define SUMMARY_FIELD_MAX 400
#define SUMMARY_MAX 1024

/* The health probes' history, for a run with a probe. */
#define REPORT_HEALTH_ERROR_MAX 200
struct health_summary {
	const char *status;          /* starting, healthy, unhealthy */
	unsigned long checks, failures;
	unsigned unhealthy_restarts;
	double mean_probe_ms;        /* < 0: no probe ended */
	const char *last_error;      /* the last failure's reason, or NULL */
};

struct exit_report {
	const char *reason;          /* exited, signaled, grace_kill, oom_kill, ... */
	int exit_code;               /* vigil's own exit code */
	bool have_status;            /* a main child ran and was reaped */
	int status;                  /* its wait status */
	const char *command;
	pid_t pid;                   /* last main child, 0 if none */
	int received_signal;         /* 0: none */
	pid_t sender_pid;
	uid_t sender_uid;
	double duration_s;
	unsigned restarts;
	unsigned long reaped;
	long leftovers;              /* processes signalled at teardown, -1 unknown */
	long killed;                 /* SIGKILLed after grace, -1 unknown */
	long oom_kills;              /* increase of the cgroup counter, -1 unknown */
	const char *error;           /* one line for *_failed reasons, or NULL */
	int bounding;                /* bounding set at the drop: 0 no drop (null), 1 cleared, 2 kept */
	const struct health_summary *health; /* NULL: no probe (the fields are null) */
};

/* Returns the JSON length, or -1 when it did not fit (never with a
 * buffer of REPORT_JSON_MAX bytes). */
long report_json(const struct exit_report *r, char *buf, size_t len);

/* "<summary line>\n<json>\n", at most TERMINATION_LOG_MAX bytes. */
long report_termination_text(const struct exit_report *r, char *buf, size_t len);

#endif
