/* httpd: behaviour-test helper, a tiny HTTP server on 127.0.0.1 for the
 * health probes. It binds an ephemeral port, writes it to PORTFILE, and
 * answers every request with the status code read from CODEFILE at that
 * moment (200 when missing), appending the request's head to LOGFILE.
 * Exits after -t SECONDS (default 60), so it cannot outlive a test.
 *
 * usage: httpd PORTFILE CODEFILE LOGFILE [-t SECONDS] */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int read_code(const char *path)
{
	FILE *f = fopen(path, "r");
	int code = 200;

	if (f) {
		if (fscanf(f, "%d", &code) != 1)
			code = 500;
		fclose(f);
	}
	return code;
}

static void serve(int c, const char *codefile, const char *logfile)
{
	char req[4096], resp[128];
	size_t got = 0;
	FILE *log;
	int n;

	while (got < sizeof(req) - 1) {
		ssize_t r = read(c, req + got, sizeof(req) - 1 - got);

		if (r <= 0)
			break;
		got += (size_t)r;
		req[got] = '\0';
		if (strstr(req, "\r\n\r\n"))
			break;
	}
	req[got] = '\0';
	log = fopen(logfile, "a");
	if (log) {
		fputs(req, log);
		fclose(log);
	}
	n = snprintf(resp, sizeof(resp), "HTTP/1.1 %d Test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
		     read_code(codefile));
	if (write(c, resp, (size_t)n) < 0)
		perror("httpd: write");
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	unsigned limit = 60;
	FILE *pf;
	int s;

	if (argc < 4) {
		fprintf(stderr, "usage: httpd PORTFILE CODEFILE LOGFILE [-t SECONDS]\n");
		return 2;
	}
	if (argc == 6 && strcmp(argv[4], "-t") == 0)
		limit = (unsigned)atoi(argv[5]);
	alarm(limit);
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 16) < 0 ||
	    getsockname(s, (struct sockaddr *)&a, &alen) < 0) {
		perror("httpd: listen");
		return 1;
	}
	pf = fopen(argv[1], "w");
	if (!pf)
		return 1;
	fprintf(pf, "%u\n", ntohs(a.sin_port));
	fclose(pf);
	for (;;) {
		int c = accept(s, NULL, NULL);

		if (c < 0)
			continue;
		serve(c, argv[2], argv[3]);
		close(c);
	}
}
