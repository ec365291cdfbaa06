/* notifyrecv: behaviour-test helper standing in for the runtime's side of
 * the sd_notify protocol. It binds a Unix datagram socket (a path, or
 * "@name" in the abstract namespace), writes "ready" to a file once bound,
 * and appends every datagram it receives to the output file, one message
 * per line with its newlines shown as "|". It ends by itself after -x
 * seconds (default 30).
 *
 * usage: notifyrecv -s ADDR -o OUTFILE [-r READYFILE] [-x SECS] */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *addr = NULL, *out = NULL, *ready = NULL;
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	socklen_t alen;
	int secs = 30, fd, c;

	while ((c = getopt(argc, argv, "s:o:r:x:")) != -1) {
		switch (c) {
		case 's': addr = optarg; break;
		case 'o': out = optarg; break;
		case 'r': ready = optarg; break;
		case 'x': secs = atoi(optarg); break;
		default: return 2;
		}
	}
	if (!addr || !out || strlen(addr) >= sizeof(a.sun_path))
		return 2;
	alarm((unsigned)secs);
	memcpy(a.sun_path, addr, strlen(addr));
	alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(addr));
	if (addr[0] == '@')
		a.sun_path[0] = '\0';
	else
		alen++;
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, alen) < 0) {
		perror("bind");
		return 2;
	}
	if (ready) {
		FILE *f = fopen(ready, "w");

		if (!f || fclose(f) != 0)
			return 2;
	}
	for (;;) {
		char buf[4096];
		ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
		FILE *f;

		if (n < 0)
			continue;
		buf[n] = '\0';
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] == '\n')
				buf[i] = '|';
		f = fopen(out, "a");
		if (!f)
			return 2;
		fprintf(f, "%s\n", buf);
		fclose(f);
	}
}
