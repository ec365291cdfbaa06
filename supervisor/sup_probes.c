/* sup_probes: the supervisor's side of health probes: start one when the
 * machine says so, turn its end into an EV_PROBE_RESULT, keep the record
 * the health file and the report are made from. */
#include "sup.h"

#include "log.h"

#include <stdio.h>
#include <string.h>

bool sup_in_start_period(const struct sup *s, uint64_t now_ns)
{
	uint64_t period = s->so->health.start_period_ms;

	return period && now_ns - s->child_started_ns < period * 1000000u;
}

/* --health-start-interval applies until a probe passed or the start
 * period is over. */
uint64_t sup_probe_interval_ms(const struct sup *s)
{
	const struct health_options *h = &s->so->health;

	if (h->start_interval_ms && !s->m.health.passed && sup_in_start_period(s, deadlines_now_ns()))
		return h->start_interval_ms;
	return h->interval_ms;
}

int sup_prepare_health(struct sup *s, char *err, size_t errlen)
{
	if (probe_spec_from_options(s->so, &s->probe, err, errlen))
		return -1;
	health_record_init(&s->hrec, s->so->health.interval_ms, s->so->health.timeout_ms);
	return 0;
}

/* The service passed a probe for the first time since vigil started (a
 * restart does not make it happen again); with --notify-ready the machine
 * sends READY=1 along with it. */
void sup_on_first_healthy(struct sup *s)
{
	sup_trace_n("first_healthy", "checks", (long long)s->m.health.checks);
}

static const char *probe_result_name(enum probe_result r)
{
	return r == PR_OK ? "ok" : r == PR_TIMEOUT ? "timeout" : "fail";
}

/* Every probe ends here, whether it ran or could not start: the record is
 * updated and the event for the machine returned. */
struct event sup_probe_done(struct sup *s, const struct probe_outcome *o)
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
	return (struct event){ .kind = EV_PROBE_RESULT, .probe = o->result,
			       .in_start_period = sup_in_start_period(s, now) };
}

/* Start the next probe. true: it could not start, and *result is the
 * failure to feed to the machine. */
bool sup_start_probe(struct sup *s, const struct vigil *v, struct event *result)
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
		*result = sup_probe_done(s, &o);
		return true;
	}
	if (probe_start(&s->prun, &s->probe, &s->probe_plan, v->cwd_left ? v->cwd : NULL,
			deadlines_now_ns(), &o) < 0) {
		*result = sup_probe_done(s, &o);
		return true;
	}
	if (log_trace) {
		struct trace_field f[2] = {
			{ "pid", NULL, (long long)s->prun.pid },
			{ "kind", kinds[s->probe.kind], 0 },
		};

		trace_event("probe_started", f, 2);
	}
	return false;
}

void sup_health_changed(struct sup *s, enum health_status from, enum health_status to)
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
