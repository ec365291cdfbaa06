/* netaddr: see netaddr.h. A host is checked against what may stand in a
 * name or an address, not against a list of what may not: it goes into a
 * request line and a Host header, and nothing in it may break them. */
#include "netaddr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static int fail(const char **why, const char *text, int err)
{
	*why = text;
	return err;
}

/* Letters, digits, '.', '-' and '_' (service names in Compose and
 * Kubernetes have them); no locale. */
static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '-' || c == '_';
}

/* "1".."65535" from [s, end); leading zeros are allowed (RFC 3986), the
 * value is what counts. */
static int parse_port(const char *s, const char *end, char out[6], const char **why)
{
	unsigned long v = 0;

	if (s == end)
		return fail(why, "no port after ':'", -EINVAL);
	for (const char *c = s; c < end; c++) {
		if (*c < '0' || *c > '9')
			return fail(why, "port is not a number", -EINVAL);
		v = v * 10 + (unsigned long)(*c - '0');
		if (v > 65535)
			return fail(why, "port not in 1-65535", -EINVAL);
	}
	if (v == 0)
		return fail(why, "port not in 1-65535", -EINVAL);
	snprintf(out, 6, "%lu", v);
	return 0;
}

static int parse_name(const char *s, const char *end, struct netaddr *a, const char **why)
{
	size_t n = (size_t)(end - s);

	if (n == 0)
		return fail(why, "no host", -EINVAL);
	if (n > NETADDR_HOST_MAX)
		return fail(why, "host name too long", -EINVAL);
	for (const char *c = s; c < end; c++)
		if (!name_char(*c))
			return fail(why, "bad character in the host (want letters, digits, '.', '-', '_', or [IPV6])",
				    -EINVAL);
	memcpy(a->host, s, n);
	a->host[n] = '\0';
	return 0;
}

/* The inside of [...]: an IPv6 address, maybe with a zone. RFC 6874
 * writes the zone %25ZONE in a URL, people write %ZONE: both are taken,
 * and the resolver gets ADDR%ZONE. */
static int parse_ipv6(const char *s, const char *end, struct netaddr *a, const char **why)
{
	const char *pct = memchr(s, '%', (size_t)(end - s)), *zone = end;
	size_t n = (size_t)((pct ? pct : end) - s);
	char addr[INET6_ADDRSTRLEN];
	struct in6_addr bin;

	if (n >= sizeof(addr))
		return fail(why, "not an IPv6 address inside [ ]", -EINVAL);
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (inet_pton(AF_INET6, addr, &bin) != 1)
		return fail(why, "not an IPv6 address inside [ ]", -EINVAL);
	if (pct) {
		zone = pct + 1;
		if (end - zone > 2 && zone[0] == '2' && zone[1] == '5')
			zone += 2;
		if (zone == end)
			return fail(why, "no zone after % in the IPv6 address", -EINVAL);
		for (const char *c = zone; c < end; c++)
			if (!name_char(*c) && *c != '~')
				return fail(why, "bad character in the IPv6 zone", -EINVAL);
	}
	snprintf(a->host, sizeof(a->host), "%s%s%.*s", addr, pct ? "%" : "", (int)(end - zone), zone);
	return 0;
}

/* HOST[:PORT] or [IPV6][:PORT] in [s, end); without default_port the
 * port is required. */
static int parse_authority(const char *s, const char *end, const char *default_port, struct netaddr *a,
			   const char **why)
{
	size_t len = (size_t)(end - s);
	const char *colon;
	int r;

	if (len == 0)
		return fail(why, "no host", -EINVAL);
	if (memchr(s, '@', len))
		return fail(why, "no USER@ before the host: vigil sends no credentials", -EINVAL);
	if (len > NETADDR_AUTHORITY_MAX)
		return fail(why, "host name too long", -EINVAL);
	if (*s == '[') {
		const char *rb = memchr(s, ']', len);

		if (!rb)
			return fail(why, "unclosed [ in the host", -EINVAL);
		colon = rb + 1 < end ? rb + 1 : NULL;
		if (colon && *colon != ':')
			return fail(why, "text after ] that is not :PORT", -EINVAL);
		r = parse_ipv6(s + 1, rb, a, why);
	} else {
		colon = memchr(s, ':', len);
		if (colon && memchr(colon + 1, ':', (size_t)(end - colon - 1)))
			return fail(why, "an IPv6 address needs brackets, as [::1]:80", -EINVAL);
		r = parse_name(s, colon ? colon : end, a, why);
	}
	if (r)
		return r;
	if (colon)
		r = parse_port(colon + 1, end, a->port, why);
	else if (default_port)
		snprintf(a->port, sizeof(a->port), "%s", default_port);
	else
		return fail(why, "no :PORT", -EINVAL);
	if (r)
		return r;
	memcpy(a->authority, s, len);
	a->authority[len] = '\0';
	return 0;
}

int netaddr_parse_hostport(const char *s, const char *default_port, struct netaddr *a, const char **why)
{
	memset(a, 0, sizeof(*a));
	*why = NULL;
	return parse_authority(s, s + strlen(s), default_port, a, why);
}

int netaddr_parse_http(const char *url, struct netaddr *a, const char **why)
{
	static const char http[] = "http://", https[] = "https://";
	const char *auth, *rest, *lead;
	size_t n;
	int r;

	memset(a, 0, sizeof(*a));
	*why = NULL;
	if (strncasecmp(url, https, sizeof(https) - 1) == 0)
		return fail(why, "https is not supported (no TLS): a tcp check of HOST:443 is the nearest", -EPROTONOSUPPORT);
	if (strncasecmp(url, http, sizeof(http) - 1) != 0)
		return fail(why, "want http://HOST[:PORT][/PATH]", -EINVAL);
	/* RFC 3986: the authority ends at the path, the query or the fragment. */
	auth = url + sizeof(http) - 1;
	rest = auth + strcspn(auth, "/?#");
	r = parse_authority(auth, rest, "80", a, why);
	if (r)
		return r;
	/* Written into the request line as it is: nothing may end it early.
	 * The fragment is checked too: with a space it is no URL either. */
	for (const char *c = rest; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == 0x7f)
			return fail(why, "space or control character in the path", -EINVAL);
	/* The fragment is the client's own business: never sent. */
	n = strcspn(rest, "#");
	lead = *rest == '/' ? "" : "/";
	if (strlen(lead) + n > NETADDR_PATH_MAX)
		return fail(why, "path too long", -EINVAL);
	snprintf(a->path, sizeof(a->path), "%s%.*s", lead, (int)n, rest);
	return 0;
}
