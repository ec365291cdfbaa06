/* notify: see notify.h. One datagram per message, MSG_DONTWAIT: a runtime
 * that stopped reading must never hold vigil up. */
#include "notify.h"

#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct {
	bool usable;
	bool ready_sent, stopping_sent;
	struct sockaddr_un addr;
	socklen_t len;
} ns;

int notify_parse_addr(const char *s, struct sockaddr_un *addr, socklen_t *len)
{
	size_t n = s ? strlen(s) : 0;
	size_t base = offsetof(struct sockaddr_un, sun_path);

	if (n == 0 || (s[0] != '/' && s[0] != '@') || (s[0] == '@' && n == 1))
		return -EINVAL;
	memset(addr, 0, sizeof(*addr));
	addr->sun_family = AF_UNIX;
	if (s[0] == '@') {
		/* Abstract: a leading NUL, and the name's exact length counts
		 * (no terminating NUL, or it would be part of the name). */
		if (n > sizeof(addr->sun_path))
			return -ENAMETOOLONG;
		memcpy(addr->sun_path + 1, s + 1, n - 1);
		*len = (socklen_t)(base + n);
		return 0;
	}
	if (n >= sizeof(addr->sun_path))
		return -ENAMETOOLONG;
	memcpy(addr->sun_path, s, n);
	*len = (socklen_t)(base + n + 1);
	return 0;
}

void notify_init(void)
{
	const char *v = getenv("NOTIFY_SOCKET");
	int r;

	if (!v) {
		warn_msg("--notify-ready: NOTIFY_SOCKET is not set: no readiness will be sent");
		return;
	}
	r = notify_parse_addr(v, &ns.addr, &ns.len);
	if (r)
		warn_msg("--notify-ready: NOTIFY_SOCKET '%s' is no usable socket address (%s): no readiness will be sent",
			 v, strerror(-r));
	ns.usable = r == 0;
	/* The copy in ns is all vigil needs, restarts included. */
	if (unsetenv("NOTIFY_SOCKET") < 0)
		log_errno(errno, "remove NOTIFY_SOCKET from the child's environment");
}

static void send_msg(const char *msg, const char *what)
{
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct trace_field f = { "message", what, 0 };

	if (fd < 0) {
		log_errno(errno, "create a socket to send %s", what);
		return;
	}
	/* Not fatal: the service runs whether or not the runtime heard. */
	if (sendto(fd, msg, strlen(msg), MSG_DONTWAIT | MSG_NOSIGNAL,
		   (const struct sockaddr *)&ns.addr, ns.len) < 0)
		warn_msg("send %s to NOTIFY_SOCKET: %s", what, strerror(errno));
	else
		trace_event("notified", &f, 1);
	close(fd);
}

void notify_ready(const char *command)
{
	char msg[300];

	if (!ns.usable || ns.ready_sent)
		return;
	ns.ready_sent = true;
	snprintf(msg, sizeof(msg), "READY=1\nSTATUS=running %.200s", command ? command : "");
	/* A newline in the command's name would start a field of its own. */
	for (char *p = strchr(msg, '\n') + 1; (p = strchr(p, '\n')); )
		*p = ' ';
	send_msg(msg, "READY=1");
}

void notify_stopping(void)
{
	if (!ns.usable || ns.stopping_sent)
		return;
	ns.stopping_sent = true;
	send_msg("STOPPING=1\nSTATUS=stopping", "STOPPING=1");
}
