/* log: one-line diagnostics on stderr and the trace of signals and reaps,
 * as text or JSON lines. Verbosity: 0 errors, 1 warnings, 2 info, 3 debug (and the trace). */
#ifndef VIGIL_LOG_H
#define VIGIL_LOG_H

#include <stdbool.h>

enum log_format { LOG_TEXT = 0, LOG_JSON };

extern int log_verbosity;
extern enum log_format log_format;
extern bool log_trace;          /* --trace or -vv: emit the event timeline */
extern const char *log_prog;    /* "vigil", "tini", "dumb-init" */

#define LOG_ERR 0
#define LOG_WARN 1
#define LOG_INFO 2
#define LOG_DEBUG 3

void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "vigil: <what>: <strerror(err)>" at error level. */
void log_errno(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define err_msg(...) log_msg(LOG_ERR, __VA_ARGS__)
#define warn_msg(...) log_msg(LOG_WARN, __VA_ARGS__)
#define info_msg(...) log_msg(LOG_INFO, __VA_ARGS__)
#define debug_msg(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/* Timeline events, printed only when log_trace is set. */
struct trace_field {
	const char *key;
	const char *str;   /* string value, or NULL to use num */
	long long num;
};
void trace_event(const char *event, const struct trace_field *f, int n);

/* Seconds since log_clock_start, CLOCK_MONOTONIC; the first call starts
 * the clock when nothing did. */
double log_uptime(void);
/* Called once options are known, when timestamps will be written. */
void log_clock_start(void);

#endif
