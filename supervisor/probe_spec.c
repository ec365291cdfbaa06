/* probe_spec: see probe_spec.h. Everything here is checked before the
 * command starts, so a typo in a probe is a usage error, not a service
 * that turns unhealthy half a minute later. */
#include "probe_spec.h"

#include "parse.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
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

static int parse_port(const char *s, size_t len, struct probe_spec *p)
{
	char buf[8];
	unsigned long v;

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (parse_uint_max(buf, 65535, &v) || v == 0)
		return -EINVAL;
	snprintf(p->port, sizeof(p->port), "%u", (unsigned)(v & 0xffff));
	return 0;
}

/* HOST or [V6] followed by ":PORT" (or, when port_optional, nothing).
 * Ends at end, the start of the path for a URL. */
static int parse_authority(const char *s, const char *end, bool port_optional, struct probe_spec *p)
{
	const char *host = s, *host_end, *colon;
	size_t len = (size_t)(end - s);

	if (len == 0 || len >= sizeof(p->authority))
		return -EINVAL;
	if (*s == '[') {
		host = s + 1;
		host_end = memchr(s, ']', len);
		if (!host_end)
			return -EINVAL;
		colon = host_end + 1 < end ? host_end + 1 : NULL;
		if (colon && *colon != ':')
			return -EINVAL;
	} else {
		colon = memchr(s, ':', len);
		host_end = colon ? colon : end;
		/* An IPv6 literal needs its brackets to leave room for the port. */
		if (colon && memchr(colon + 1, ':', (size_t)(end - colon - 1)))
			return -EINVAL;
	}
	if (host_end == host || (size_t)(host_end - host) > PROBE_HOST_MAX)
		return -EINVAL;
	for (const char *c = host; c < host_end; c++)
		if ((unsigned char)*c <= ' ' || *c == '/' || *c == '@' || *c == 0x7f)
			return -EINVAL;
	if (colon) {
		if (parse_port(colon + 1, (size_t)(end - colon - 1), p))
			return -EINVAL;
	} else if (port_optional) {
		snprintf(p->port, sizeof(p->port), "80");
	} else {
		return -EINVAL;
	}
	memcpy(p->host, host, (size_t)(host_end - host));
	p->host[host_end - host] = '\0';
	memcpy(p->authority, s, len);
	p->authority[len] = '\0';
	return 0;
}

int probe_parse_hostport(const char *s, struct probe_spec *p)
{
	return parse_authority(s, s + strlen(s), false, p);
}

int probe_parse_http(const char *s, struct probe_spec *p)
{
	static const char scheme[] = "http://";
	const char *auth, *path;

	if (strncasecmp(s, "https://", 8) == 0)
		return -EPROTONOSUPPORT;
	if (strncasecmp(s, scheme, sizeof(scheme) - 1) != 0)
		return -EINVAL;
	auth = s + sizeof(scheme) - 1;
	path = auth + strcspn(auth, "/?#");
	if (parse_authority(auth, path, true, p))
		return -EINVAL;
	if (*path == '#')
		path = "";
	if (strlen(path) + 1 > PROBE_PATH_MAX)
		return -EINVAL;
	/* Whatever would break the request line or header is refused. */
	for (const char *c = path; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == 0x7f)
			return -EINVAL;
	snprintf(p->path, sizeof(p->path), "%s%s", *path == '/' ? "" : "/", path);
	/* A fragment is the client's own business. */
	p->path[strcspn(p->path, "#")] = '\0';
	return 0;
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
		if (probe_parse_hostport(h->tcp, p))
			return parse_fail(err, errlen, "invalid --health-tcp '%s' (want HOST:PORT or [IPV6]:PORT)", h->tcp);
	} else {
		p->kind = PROBE_HTTP;
		p->shown = h->http;
		r = probe_parse_http(h->http, p);
		if (r == -EPROTONOSUPPORT)
			return parse_fail(err, errlen, "invalid --health-http '%s' (plain http only: vigil has no TLS)", h->http);
		if (r)
			return parse_fail(err, errlen, "invalid --health-http '%s' (want http://HOST[:PORT]/PATH)", h->http);
	}
	return 0;
}
