/* wait_spec: see wait_spec.h. The port is always numeric, so no services
 * database is needed. */
#include "wait_spec.h"

#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/un.h>

static int bad(const char **why, const char *text)
{
	*why = text;
	return -EINVAL;
}

int wait_parse(const char *spec, struct wait_spec *w, const char **why)
{
	memset(w, 0, sizeof(*w));
	w->text = spec;
	*why = NULL;
	if (strncmp(spec, "tcp:", 4) == 0) {
		w->kind = WAIT_TCP;
		return netaddr_parse_hostport(spec + 4, NULL, &w->net, why);
	}
	/* A URL's scheme is case-insensitive; https gets netaddr's reason. */
	if (strncasecmp(spec, "http://", 7) == 0 || strncasecmp(spec, "https://", 8) == 0) {
		w->kind = WAIT_HTTP;
		w->path = w->net.path;
		return netaddr_parse_http(spec, &w->net, why);
	}
	if (strncmp(spec, "unix:", 5) == 0)
		w->kind = WAIT_UNIX;
	else if (strncmp(spec, "file:", 5) == 0)
		w->kind = WAIT_FILE;
	else
		return bad(why, "want tcp:HOST:PORT, unix:PATH, file:PATH or http://HOST[:PORT][/PATH]");
	w->path = spec + 5;
	if (!*w->path)
		return bad(why, "no path");
	if (w->kind == WAIT_UNIX && strlen(w->path) >= sizeof(((struct sockaddr_un *)0)->sun_path))
		return bad(why, "path too long for a socket address");
	return 0;
}
