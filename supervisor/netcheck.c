/* netcheck: see netcheck.h. Sockets are non-blocking only when an attempt
 * has its own bound; otherwise the blocking calls are cut by whoever owns
 * the process (a probe's timeout is a SIGKILL). */
#include "netcheck.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int await(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int r;

	if (timeout_ms < 0)
		return 0;
	r = poll(&p, 1, timeout_ms);
	if (r < 0)
		return -errno;
	return r == 0 ? -ETIMEDOUT : 0;
}

int net_connect_fd(int fd, const struct sockaddr *a, socklen_t alen, int timeout_ms)
{
	int err = 0, r;
	socklen_t elen = sizeof(err);

	if (connect(fd, a, alen) == 0)
		return 0;
	if (errno != EINPROGRESS)
		return -errno;
	r = await(fd, POLLOUT, timeout_ms);
	if (r)
		return r;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
		return -errno;
	return -err;
}

static int connect_one(const struct addrinfo *ai, int timeout_ms, int *fdp)
{
	int flags = SOCK_CLOEXEC | (timeout_ms >= 0 ? SOCK_NONBLOCK : 0);
	int fd = socket(ai->ai_family, ai->ai_socktype | flags, ai->ai_protocol), r;

	if (fd < 0)
		return -errno;
	r = net_connect_fd(fd, ai->ai_addr, ai->ai_addrlen, timeout_ms);
	if (r) {
		close(fd);
		return r;
	}
	*fdp = fd;
	return 0;
}

int net_connect(const char *host, const char *port, int timeout_ms, char *err, size_t len)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	int r = getaddrinfo(host, port, &hints, &res), e = 0, fd = -1;

	if (r) {
		snprintf(err, len, "resolve %.80s: %s", host, r == EAI_SYSTEM ? strerror(errno) : gai_strerror(r));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		e = connect_one(ai, timeout_ms, &fd);
		if (!e)
			break;
	}
	freeaddrinfo(res);
	if (e || fd < 0)
		snprintf(err, len, "connect to %.80s port %s: %s", host, port, strerror(e ? -e : EADDRNOTAVAIL));
	return e ? -1 : fd;
}

int net_http_get(int fd, const char *path, const char *authority, int timeout_ms, char *line, size_t cap)
{
	char req[1400];
	size_t got = 0;
	int n;

	n = snprintf(req, sizeof(req),
		     "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: vigil\r\nConnection: close\r\n\r\n",
		     path, authority);
	if (n < 0 || (size_t)n >= sizeof(req))
		return -ENAMETOOLONG;
	/* A fresh socket's buffer takes a request this small at once. */
	if (send(fd, req, (size_t)n, MSG_NOSIGNAL) != n)
		return -(errno ? errno : EAGAIN);
	while (got < cap - 1 && !memchr(line, '\n', got)) {
		ssize_t r;
		int w = await(fd, POLLIN, timeout_ms);

		if (w)
			return w;
		r = read(fd, line + got, cap - 1 - got);
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	line[got] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	return 0;
}

int net_http_status(const char *line)
{
	const char *sp = strchr(line, ' ');

	/* "HTTP/<version> NNN", then the reason phrase or the end. */
	if (strncmp(line, "HTTP/", 5) != 0 || !sp || strspn(sp + 1, "0123456789") != 3)
		return -1;
	if (sp[4] != '\0' && sp[4] != ' ')
		return -1;
	return (sp[1] - '0') * 100 + (sp[2] - '0') * 10 + (sp[3] - '0');
}
