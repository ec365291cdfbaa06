/* netserve: behaviour-test helper, a dependency vigil can wait for. It
 * listens on TCP 127.0.0.1 (a chosen or free port) or on a Unix stream
 * socket, writes its port (or "ready") to a file once it listens, and
 * answers each connection: with -H, an HTTP/1.1 status line and an empty
 * body after reading the request; otherwise it just closes it. It ends by
 * itself after -x seconds (default 30), so a test can never leave it.
 *
 * usage: netserve (-t PORT | -u PATH) [-H STATUS | -S] [-r READYFILE] [-x SECS]
 *   -t PORT       TCP on 127.0.0.1, 0 for a free port
 *   -u PATH       Unix stream socket at PATH
 *   -H STATUS     answer every request with this HTTP status (e.g. 204)
 *   -S            silent: accept, then never answer nor close
 *   -r READYFILE  the port (or "ready") written there once listening,
 *                 atomically through a rename
 *   -a LOGFILE    append each request line received to LOGFILE */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static void announce(const char *file, const char *text)
{
	char tmp[4200];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%s\n", text) < 0 || fclose(f) != 0 || rename(tmp, file) != 0)
		die("write ready file");
}

static int listen_tcp(int port, char *shown, size_t len)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	socklen_t alen = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		die("socket");
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 16) < 0)
		die("bind/listen tcp");
	if (getsockname(fd, (struct sockaddr *)&a, &alen) < 0)
		die("getsockname");
	snprintf(shown, len, "%d", ntohs(a.sin_port));
	return fd;
}

static int listen_unix(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	unlink(path);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 16) < 0)
		die("bind/listen unix");
	return fd;
}

/* Read up to the blank line ending the request, keeping the first line. */
static void read_request(int c, char *first, size_t len)
{
	char buf[2048];
	size_t got = 0;

	first[0] = '\0';
	while (got < sizeof(buf) - 1) {
		ssize_t n = read(c, buf + got, sizeof(buf) - 1 - got);

		if (n <= 0)
			break;
		got += (size_t)n;
		buf[got] = '\0';
		if (strstr(buf, "\r\n\r\n"))
			break;
	}
	buf[got] = '\0';
	snprintf(first, len, "%.*s", (int)strcspn(buf, "\r\n"), buf);
}

int main(int argc, char **argv)
{
	const char *unix_path = NULL, *ready = NULL, *logfile = NULL;
	int port = -1, status = 0, secs = 30, fd, c;
	bool silent = false;
	char shown[32] = "ready";

	while ((c = getopt(argc, argv, "t:u:H:r:x:a:S")) != -1) {
		switch (c) {
		case 't': port = atoi(optarg); break;
		case 'u': unix_path = optarg; break;
		case 'H': status = atoi(optarg); break;
		case 'r': ready = optarg; break;
		case 'x': secs = atoi(optarg); break;
		case 'a': logfile = optarg; break;
		case 'S': silent = true; break;
		default: return 2;
		}
	}
	if ((port < 0) == !unix_path)
		return 2;
	alarm((unsigned)secs);
	fd = unix_path ? listen_unix(unix_path) : listen_tcp(port, shown, sizeof(shown));
	if (ready)
		announce(ready, shown);
	for (;;) {
		int conn = accept(fd, NULL, NULL);
		char line[512], reply[128];

		if (conn < 0 || silent)
			continue;
		if (status) {
			read_request(conn, line, sizeof(line));
			if (logfile) {
				FILE *f = fopen(logfile, "a");

				if (f) {
					fprintf(f, "%s\n", line);
					fclose(f);
				}
			}
			snprintf(reply, sizeof(reply),
				 "HTTP/1.1 %d Status\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", status);
			(void)!write(conn, reply, strlen(reply));
		}
		close(conn);
	}
}
