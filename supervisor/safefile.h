/* safefile: the files root vigil writes or reads after an untrusted child
 * has had the machine (report, termination log, state file). Each one is
 * resolved at start, while nothing untrusted has run yet, and nothing the
 * child may have planted since (a symlink, a FIFO, a device) is followed. */
#ifndef VIGIL_SAFEFILE_H
#define VIGIL_SAFEFILE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

/* Why a destination was refused, beyond errno values (returned negated,
 * like -errno; safefile_strerror() gives the text for both). */
enum {
	SF_SYMLINK = 4096 + 1,  /* the final name is a symbolic link */
	SF_FIFO,
	SF_SOCKET,
	SF_BLOCKDEV,
	SF_DEVICE,              /* a character device where a file is wanted */
	SF_NOTREG,              /* anything else that is not a regular file */
	SF_NOFOLDER,            /* the folder of the path does not exist */
	SF_EMPTY,               /* "" */
	SF_BADFD,               /* "fd:" followed by no number */
	SF_NOTINHERITED,        /* fd:N is not open (or is vigil's own) */
	SF_LISTENFD,            /* fd:N is a socket-activation fd of the command */
};

struct safe_dest {
	const char *shown;      /* as the user wrote it, for messages */
	int fd;                 /* stream written in place, or -1 */
	int dirfd;              /* folder of a path, opened at start, or -1 */
	char name[NAME_MAX + 1];
	bool ready;             /* safefile_open succeeded */
	/* Set after safefile_open for a file that describes a running vigil
	 * (the health file): replaced without fsync, as after a crash it is
	 * stale whatever it holds, and a flush per probe would put vigil to
	 * sleep on the disk several times per probe. */
	bool no_sync;
};

/* At start: check SPEC and open what it names. streams: "-", "fd:N",
 * /dev/stdout, /dev/stderr and character devices are accepted (written in
 * place, never truncated); otherwise only a regular file (or a name that
 * does not exist yet, in an existing folder). fd:N (N > 2) is made
 * close-on-exec, so the child cannot write in vigil's place. 0 or -errno /
 * -SF_*. */
int safefile_open(struct safe_dest *d, const char *spec, bool streams);

/* Replace the file with TEXT (a temporary file in the same folder, fsync
 * unless no_sync, rename), or write it in place when it is a stream, a device opened at
 * start, or a mount point (a bind-mounted Kubernetes termination log).
 * A symlink, directory, FIFO, socket or device found at the name now is
 * refused. A stream gets up to SAFEFILE_WAIT_MS to take the text. */
#define SAFEFILE_WAIT_MS 2000
int safefile_write(const struct safe_dest *d, const char *text, size_t len);

/* Read a regular file whole into buf (NUL-terminated, at most cap - 1
 * bytes, -EFBIG beyond); *len gets its length. -ENOENT when missing. */
int safefile_read(const struct safe_dest *d, char *buf, size_t cap, size_t *len);

/* strerror() that also knows the SF_* reasons; e is positive. */
const char *safefile_strerror(int e);

#endif
