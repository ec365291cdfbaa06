/* netcheck: the network half of health probes and of --wait-for, in one
 * place: connect to HOST:PORT (any of its addresses) and an HTTP/1.1 GET
 * read up to its status line. Only for forked processes: the name lookup
 * may block, which vigil's own loop must never do. */
#ifndef VIGIL_NETCHECK_H
#define VIGIL_NETCHECK_H

#include <stddef.h>
#include <sys/socket.h>

/* A connected stream socket (CLOEXEC), or -1 with one line in err naming
 * the step that failed. timeout_ms bounds each connect attempt; below 0
 * it is left to the caller's own deadline. */
int net_connect(const char *host, const char *port, int timeout_ms, char *err, size_t len);

/* Connect fd (non-blocking when timeout_ms >= 0) to a, waiting at most
 * timeout_ms. 0 or -errno (-ETIMEDOUT). */
int net_connect_fd(int fd, const struct sockaddr *a, socklen_t alen, int timeout_ms);

/* Send "GET path" with the Host header authority on fd and read the
 * answer up to the end of its first line, at most cap - 1 bytes, without
 * the line end. timeout_ms bounds each wait (below 0: none). 0 or -errno
 * (-ETIMEDOUT). */
int net_http_get(int fd, const char *path, const char *authority, int timeout_ms, char *line, size_t cap);

/* The status code of "HTTP/1.1 204 No Content", or -1 when the text is
 * no status line. */
int net_http_status(const char *line);

#endif
