/* nbfill: behaviour-test helper playing a hostile child that shares
 * vigil's stderr pipe: it sets O_NONBLOCK on it (which vigil's file
 * description sees too) and fills the pipe until the kernel says EAGAIN.
 *
 * usage: nbfill FD [DONEFILE]   (DONEFILE is created once the pipe is full) */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd, fl;

	if (argc < 2)
		return 2;
	fd = atoi(argv[1]);
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
		perror("nbfill: fcntl");
		return 1;
	}
	/* Two bytes at a time: below PIPE_BUF, so each write is whole. */
	while (write(fd, "j\n", 2) == 2)
		;
	if (errno != EAGAIN) {
		perror("nbfill: write");
		return 1;
	}
	if (argc > 2) {
		FILE *f = fopen(argv[2], "w");

		if (!f || fclose(f) != 0)
			return 1;
	}
	return 0;
}
