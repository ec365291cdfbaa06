/* wait_spec: see wait_spec.h. HOST may be a name, an IPv4 address or an
 * IPv6 one in brackets ([::1]); the port is always numeric, so no
 * services database is needed. */
#include "wait_spec.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

static int bad(const char **why, const char *text)
{
	*why = text;
	return -EINVAL;
}

/* "1".."65535" from [s, end). */
static int parse_port(const char *s, const char *end, char out[6])
{
	unsigned long v = 0;
	size_t n = (size_t)(end - s);

	if (n == 0 || n > 5)
		return -EINVAL;
	for (const char *p = s; p < end; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(*p - '0');
	}
	if (v == 0 || v > 65535)
		return -EINVAL;
	snprintf(out, 6, "%lu", v);
	return 0;
}

/* HOST:PORT in [s, end); PORT optional when dflt is given. */
static int parse_host_port(const char *s, const char *end, const char *dflt,
			   struct wait_spec *w, const char **why)
{
	const char *host = s, *host_end, *colon;

	if (*s == '[') {
		host = s + 1;
		host_end = memchr(host, ']', (size_t)(end - host));
		if (!host_end)
			return bad(why, "unclosed [ in the host");
		colon = host_end + 1 < end ? host_end + 1 : NULL;
		if (colon && *colon != ':')
			return bad(why, "text after ] that is not :PORT");
	} else {
		colon = NULL;
		for (const char *p = s; p < end; p++)
			if (*p == ':')
				colon = p;
		host_end = colon ? colon : end;
		if (colon && memchr(s, ':', (size_t)(colon - s)))
			return bad(why, "an IPv6 address needs brackets, as [::1]:80");
	}
	if (host_end == host)
		return bad(why, "no host");
	if ((size_t)(host_end - host) >= sizeof(w->host))
		return bad(why, "host name too long");
	memcpy(w->host, host, (size_t)(host_end - host));
	w->host[host_end - host] = '\0';
	if (strspn(w->host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:%") !=
	    strlen(w->host))
		return bad(why, "bad character in the host");
	if (!colon) {
		if (!dflt)
			return bad(why, "no :PORT");
		snprintf(w->port, sizeof(w->port), "%s", dflt);
		return 0;
	}
	if (parse_port(colon + 1, end, w->port))
		return bad(why, "port not in 1-65535");
	return 0;
}

static int parse_http(const char *rest, struct wait_spec *w, const char **why)
{
	const char *slash = strchr(rest, '/');
	const char *end = slash ? slash : rest + strlen(rest);

	if (parse_host_port(rest, end, "80", w, why))
		return -EINVAL;
	/* Written into the request line as it is: nothing may end it early. */
	w->path = slash ? slash : "/";
	for (const char *p = w->path; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return bad(why, "space or control character in the path");
	if ((size_t)(end - rest) >= sizeof(w->authority))
		return bad(why, "host name too long");
	memcpy(w->authority, rest, (size_t)(end - rest));
	w->authority[end - rest] = '\0';
	return 0;
}

int wait_parse(const char *spec, struct wait_spec *w, const char **why)
{
	memset(w, 0, sizeof(*w));
	w->text = spec;
	*why = NULL;
	if (strncmp(spec, "tcp:", 4) == 0) {
		w->kind = WAIT_TCP;
		return parse_host_port(spec + 4, spec + strlen(spec), NULL, w, why);
	}
	if (strncmp(spec, "http://", 7) == 0) {
		w->kind = WAIT_HTTP;
		return parse_http(spec + 7, w, why);
	}
	if (strncmp(spec, "https://", 8) == 0)
		return bad(why, "https is not supported (no TLS): use tcp:HOST:443");
	if (strncmp(spec, "unix:", 5) == 0)
		w->kind = WAIT_UNIX;
	else if (strncmp(spec, "file:", 5) == 0)
		w->kind = WAIT_FILE;
	else
		return bad(why, "want tcp:HOST:PORT, unix:PATH, file:PATH or http://HOST:PORT/PATH");
	w->path = spec + 5;
	if (!*w->path)
		return bad(why, "no path");
	if (w->kind == WAIT_UNIX && strlen(w->path) >= sizeof(((struct sockaddr_un *)0)->sun_path))
		return bad(why, "path too long for a socket address");
	return 0;
}
