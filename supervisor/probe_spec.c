/* probe_spec: see probe_spec.h. Everything here is checked before the
 * command starts, so a typo in a probe is a usage error, not a service
 * that turns unhealthy half a minute later. */
#include "probe_spec.h"

#include "parse.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

int probe_split_words(const char *s, struct probe_spec *p)
{
	size_t n = 0, at = 0;

	for (;;) {
		while (blank(*s))
			s++;
		if (!*s)
			break;
		if (n == PROBE_ARGV_MAX)
			return -E2BIG;
		p->argv[n++] = p->words + at;
		while (*s && !blank(*s)) {
			char q = *s;

			if (q == '\'' || q == '"') {
				for (s++; *s && *s != q; s++) {
					if (q == '"' && *s == '\\' && (s[1] == '"' || s[1] == '\\'))
						s++;
					if (at + 1 >= PROBE_CMD_MAX)
						return -E2BIG;
					p->words[at++] = *s;
				}
				if (!*s)
					return -EINVAL;
				s++;
				continue;
			}
			if (q == '\\' && s[1])
				s++;
			if (at + 1 >= PROBE_CMD_MAX)
				return -E2BIG;
			p->words[at++] = *s++;
		}
		p->words[at++] = '\0';
	}
	p->argv[n] = NULL;
	return n ? 0 : -EINVAL;
}

static bool settings_changed(const struct health_options *h)
{
	return h->file || h->on_unhealthy != UNHEALTHY_LOG || h->start_period_ms ||
	       h->start_interval_ms || h->interval_ms != VIGIL_DEFAULT_HEALTH_INTERVAL_MS ||
	       h->timeout_ms != VIGIL_DEFAULT_HEALTH_TIMEOUT_MS ||
	       h->retries != VIGIL_DEFAULT_HEALTH_RETRIES;
}

int probe_spec_from_options(const struct sup_options *so, struct probe_spec *p, char *err, size_t errlen)
{
	const struct health_options *h = &so->health;
	int r, given = !!h->cmd + !!h->tcp + !!h->http;
	const char *why;

	memset(p, 0, sizeof(*p));
	if (given == 0)
		return settings_changed(h) ?
			parse_fail(err, errlen, "health settings need a probe: --health-cmd, --health-tcp or --health-http") : 0;
	if (given > 1)
		return parse_fail(err, errlen, "only one of --health-cmd, --health-tcp and --health-http may be given");
	if (h->on_unhealthy == UNHEALTHY_RESTART && so->restart != RESTART_ON_FAILURE)
		return parse_fail(err, errlen, "--on-unhealthy restart needs --restart on-failure[:MAX] (its limit and delay apply)");
	if (h->cmd) {
		p->kind = PROBE_CMD;
		p->shown = h->cmd;
		r = probe_split_words(h->cmd, p);
		if (r == -E2BIG)
			return parse_fail(err, errlen, "invalid --health-cmd '%s' (over %d words or %d bytes)",
				    h->cmd, PROBE_ARGV_MAX, PROBE_CMD_MAX);
		if (r)
			return parse_fail(err, errlen, "invalid --health-cmd '%s' (want a command, quotes closed)", h->cmd);
	} else if (h->tcp) {
		p->kind = PROBE_TCP;
		p->shown = h->tcp;
		if (netaddr_parse_hostport(h->tcp, NULL, &p->net, &why))
			return parse_fail(err, errlen, "invalid --health-tcp '%s': %s", h->tcp, why);
	} else {
		p->kind = PROBE_HTTP;
		p->shown = h->http;
		if (netaddr_parse_http(h->http, &p->net, &why))
			return parse_fail(err, errlen, "invalid --health-http '%s': %s", h->http, why);
	}
	return 0;
}
