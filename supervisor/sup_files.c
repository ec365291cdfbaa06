/* sup_files: what supervisor mode writes for others: the state file
 * after each run, the health file after each probe, and at the end the
 * exit report and the termination log. Every destination is checked at
 * start; every write goes through safefile (no planted link followed). */
#include "sup.h"

#include "cgroup.h"
#include "log.h"
#include "report.h"

#include <errno.h>
#include <stdio.h>

/* One line, and the first such failure goes into the report's error. */
void sup_file_failed(struct sup *s, int r, const char *what, const char *path)
{
	err_msg("%s %s: %s", what, path, safefile_strerror(-r));
	if (!s->file_error[0])
		snprintf(s->file_error, sizeof(s->file_error), "%s %s: %s", what, path,
			 safefile_strerror(-r));
}

int sup_save_state(struct sup *s)
{
	int r = restart_state_save(&s->state_dest, &s->state);

	if (r)
		sup_file_failed(s, r, "write state file", s->so->state_file);
	return r;
}

void sup_write_health(struct sup *s)
{
	char json[HEALTH_JSON_MAX];
	long n;
	int r;

	if (!s->health_dest.ready)
		return;
	health_record_sync(&s->hrec, &s->m.health);
	s->hrec.interval_ms = sup_probe_interval_ms(s);
	n = health_json(&s->hrec, health_now_unix(), json, sizeof(json));
	r = n < 0 ? -EOVERFLOW : safefile_write(&s->health_dest, json, (size_t)n);
	if (r && !s->health_write_failed)
		sup_file_failed(s, r, "write health file", s->so->health.file);
	s->health_write_failed = r != 0;
}

static void emit(struct sup *s, struct safe_dest *d, const char *what, const char *text, long n)
{
	int e;

	if (!d->ready || n < 0)
		return;
	e = safefile_write(d, text, (size_t)n);
	if (e)
		sup_file_failed(s, e, what, d->shown);
}

void sup_write_report(struct sup *s, struct vigil *v)
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
static int open_file(struct safe_dest *d, const char *flag, const char *spec, bool streams,
		     char *err, size_t errlen)
{
	int r;

	if (!spec)
		return 0;
	r = safefile_open(d, spec, streams);
	if (!r)
		return 0;
	snprintf(err, errlen, "%s %s: %s", flag, spec, safefile_strerror(-r));
	return -1;
}

int sup_open_files(struct sup *s, char *err, size_t errlen)
{
	const struct sup_options *so = s->so;

	if (open_file(&s->report_dest, "--report", so->report, true, err, errlen) ||
	    open_file(&s->tlog_dest, "--termination-log", so->termination_log, true, err, errlen) ||
	    open_file(&s->state_dest, "--state-file", so->state_file, false, err, errlen) ||
	    open_file(&s->health_dest, "--health-file", so->health.file, false, err, errlen))
		return -1;
	s->health_dest.no_sync = true;
	return 0;
}
