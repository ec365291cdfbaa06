/* report: why the container ended, for machines (JSON) and for people
 * (the first line of the termination log). */
#include "report.h"

#include "config.h"
#include "json.h"
#include "signals.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

/* Counts that can be unknown are -1 in the struct and null in the JSON. */
static void json_int_or_null(struct json *j, const char *key, long v)
{
	if (v >= 0)
		json_int(j, key, v);
	else
		json_null(j, key);
}

static void health_fields(struct json *j, const struct health_summary *h)
{
	if (!h) {
		json_null(j, "health_status");
		json_null(j, "health_checks");
		json_null(j, "health_failures");
		json_null(j, "unhealthy_restarts");
		json_null(j, "mean_probe_ms");
		json_null(j, "health_last_error");
		return;
	}
	json_str(j, "health_status", h->status);
	json_int(j, "health_checks", (long long)h->checks);
	json_int(j, "health_failures", (long long)h->failures);
	json_int(j, "unhealthy_restarts", h->unhealthy_restarts);
	if (h->mean_probe_ms >= 0)
		json_double(j, "mean_probe_ms", h->mean_probe_ms);
	else
		json_null(j, "mean_probe_ms");
	json_str_max(j, "health_last_error", h->last_error, REPORT_HEALTH_ERROR_MAX);
}

long report_json(const struct exit_report *r, char *buf, size_t len)
{
	char name[16], rname[16];
	struct json j;
	bool sig = r->have_status && WIFSIGNALED(r->status);

	json_begin(&j, buf, len);
	json_int(&j, "schema_version", REPORT_SCHEMA_VERSION);
	json_str(&j, "reason", r->reason);
	json_int(&j, "exit_code", r->exit_code);
	if (r->have_status && WIFEXITED(r->status))
		json_int(&j, "child_exit_code", WEXITSTATUS(r->status));
	else
		json_null(&j, "child_exit_code");
	json_str(&j, "signal", sig ? sig_name(WTERMSIG(r->status), name, sizeof(name)) : NULL);
	if (sig)
		json_int(&j, "signal_number", WTERMSIG(r->status));
	else
		json_null(&j, "signal_number");
	json_bool(&j, "core_dumped", sig && WCOREDUMP(r->status));
	if (r->received_signal) {
		json_str(&j, "received_signal", sig_name(r->received_signal, rname, sizeof(rname)));
		json_int(&j, "received_signal_number", r->received_signal);
		json_int(&j, "sender_pid", r->sender_pid);
		json_int(&j, "sender_uid", r->sender_uid);
	} else {
		json_null(&j, "received_signal");
		json_null(&j, "received_signal_number");
		json_null(&j, "sender_pid");
		json_null(&j, "sender_uid");
	}
	json_str_max(&j, "command", r->command, REPORT_FIELD_MAX);
	json_int(&j, "pid", r->pid);
	json_double(&j, "duration_s", r->duration_s);
	json_int(&j, "restarts", r->restarts);
	json_int(&j, "processes_reaped", (long long)r->reaped);
	json_int_or_null(&j, "leftovers_signaled", r->leftovers);
	json_int_or_null(&j, "leftovers_killed", r->killed);
	if (r->oom_kills >= 0)
		json_int(&j, "oom_kills", r->oom_kills);
	else
		json_null(&j, "oom_kills");
	if (r->bounding)
		json_bool(&j, "bounding_set_cleared", r->bounding == 1);
	else
		json_null(&j, "bounding_set_cleared");
	health_fields(&j, r->health);
	json_str_max(&j, "error", r->error, REPORT_FIELD_MAX);
	json_str(&j, "vigil_version", VIGIL_VERSION);
	return json_end(&j);
}

/* For people, but from the same escaping: a command name with a newline
 * or invalid UTF-8 cannot break the line or the text. */
static void safe_text(const char *in, char *out, size_t cap)
{
	static const char mark[] = "...";

	if (json_escape(in, out, cap) >= cap) {
		json_escape(in, out, cap - (sizeof(mark) - 1));
		strcat(out, mark);
	}
}

static void summary(const struct exit_report *r, char *buf, size_t len)
{
	char name[16], cmd[SUMMARY_FIELD_MAX + 1], err[SUMMARY_FIELD_MAX + 1];

	safe_text(r->command ? r->command : "-", cmd, sizeof(cmd));
	safe_text(r->error ? r->error : "-", err, sizeof(err));
	if (r->have_status && WIFSIGNALED(r->status))
		snprintf(buf, len, "vigil: %s killed by %s after %.3fs (reason %s, exit code %d)",
			 cmd, sig_name(WTERMSIG(r->status), name, sizeof(name)),
			 r->duration_s, r->reason, r->exit_code);
	else if (r->have_status)
		snprintf(buf, len, "vigil: %s exited with code %d after %.3fs (reason %s, exit code %d)",
			 cmd, WEXITSTATUS(r->status), r->duration_s, r->reason, r->exit_code);
	else
		snprintf(buf, len, "vigil: %s did not run: %s (reason %s, exit code %d)",
			 cmd, err, r->reason, r->exit_code);
}

long report_termination_text(const struct exit_report *r, char *buf, size_t len)
{
	char line[SUMMARY_MAX];
	size_t cap = len < TERMINATION_LOG_MAX ? len : TERMINATION_LOG_MAX;
	size_t n;
	long j;

	summary(r, line, sizeof(line));
	n = strlen(line);
	if (n + 2 > cap)
		return -1;
	memcpy(buf, line, n);
	buf[n++] = '\n';
	/* The JSON goes in whole or not at all: half an object helps nobody
	 * (with bounded fields it always fits, see report.h). */
	j = report_json(r, buf + n, cap - n - 1);
	if (j < 0) {
		buf[n] = '\0';
		return (long)n;
	}
	n += (size_t)j;
	buf[n++] = '\n';
	buf[n] = '\0';
	return (long)n;
}
