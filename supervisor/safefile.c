/* safefile: write and read vigil's own files without following anything a
 * dropped child could plant. The folder is opened at start and kept; at
 * the end a file is replaced through a new, randomly named file created
 * with O_EXCL|O_NOFOLLOW in that folder, never opened through the name. */
#include "safefile.h"

#include "parse.h"
#include "vigil.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Flags for every open of a name in a folder the child may write to: no
 * symlink is followed and no FIFO or device can block the open. */
#define AT_NAME_FLAGS (O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)

const char *safefile_strerror(int e)
{
	switch (e) {
	case SF_SYMLINK: return "is a symbolic link (vigil does not follow it)";
	case SF_FIFO: return "is a FIFO (refused: use fd:N for a pipe)";
	case SF_SOCKET: return "is a socket (refused)";
	case SF_BLOCKDEV: return "is a block device (refused)";
	case SF_DEVICE: return "is a device, not a regular file (refused)";
	case SF_NOTREG: return "is not a regular file (refused)";
	case SF_NOFOLDER: return "its folder does not exist";
	case SF_EMPTY: return "empty path";
	case SF_BADFD: return "invalid fd:N (want a number)";
	case SF_NOTINHERITED: return "that file descriptor is not open";
	case SF_LISTENFD: return "is a socket-activation fd (LISTEN_FDS) the command inherits";
	default: return strerror(e);
	}
}

static int type_error(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFLNK: return -SF_SYMLINK;
	case S_IFDIR: return -EISDIR;
	case S_IFIFO: return -SF_FIFO;
	case S_IFSOCK: return -SF_SOCKET;
	case S_IFBLK: return -SF_BLOCKDEV;
	case S_IFCHR: return -SF_DEVICE;
	default: return -SF_NOTREG;
	}
}

/* Keeps fd when it is of type want (S_IFREG, S_IFCHR); closes it otherwise. */
static int check_type(int fd, mode_t want)
{
	struct stat st;
	int r;

	if (fstat(fd, &st) < 0)
		r = -errno;
	else if ((st.st_mode & S_IFMT) == want)
		return 0;
	else
		r = type_error(st.st_mode);
	close(fd);
	return r;
}

/* "-", "fd:N", /dev/stdout, /dev/stderr: the fd, or -1 for a path. */
static int stream_fd(const char *spec, int *fd)
{
	unsigned long n;

	*fd = -1;
	if (strcmp(spec, "-") == 0 || strcmp(spec, "/dev/stderr") == 0)
		*fd = STDERR_FILENO;
	else if (strcmp(spec, "/dev/stdout") == 0)
		*fd = STDOUT_FILENO;
	else if (strncmp(spec, "fd:", 3) == 0) {
		if (parse_uint_max(spec + 3, 1 << 20, &n))
			return -SF_BADFD;
		*fd = (int)n;
	}
	return 0;
}

/* Socket activation handed fds 3 .. 3+LISTEN_FDS-1 to vigil for its
 * command (LISTEN_PID names vigil; the child gets them with its own pid):
 * claiming one for a report would mark it close-on-exec and take it from
 * the command. */
static bool is_listen_fd(int fd)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	unsigned long n;

	if (!pid || !fds || !child_listen_pid_is_ours(pid) || parse_uint_max(fds, 1 << 20, &n))
		return false;
	return fd >= 3 && (unsigned long)fd - 3 < n;
}

/* An fd vigil inherited and may write to. One with FD_CLOEXEC set cannot
 * have come through exec: it is one of vigil's own (the signalfd). */
static int claim_fd(int fd)
{
	int fdfl = fcntl(fd, F_GETFD), fl;

	if (fdfl < 0 || (fdfl & FD_CLOEXEC))
		return -SF_NOTINHERITED;
	if (is_listen_fd(fd))
		return -SF_LISTENFD;
	fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return -errno;
	if ((fl & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	/* 0-2 are the child's own streams; any other is vigil's alone. */
	if (fd > STDERR_FILENO && fcntl(fd, F_SETFD, fdfl | FD_CLOEXEC) < 0)
		return -errno;
	return 0;
}

/* Split spec into its folder (opened) and final name. */
static int open_folder(struct safe_dest *d, const char *spec)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(spec, '/');
	const char *base = slash ? slash + 1 : spec;
	size_t dlen = slash ? (size_t)(slash - spec) : 0;

	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return -EISDIR;
	if (strlen(base) > NAME_MAX || dlen >= sizeof(dir))
		return -ENAMETOOLONG;
	if (!slash)
		strcpy(dir, ".");
	else if (dlen == 0)
		strcpy(dir, "/");
	else {
		memcpy(dir, spec, dlen);
		dir[dlen] = '\0';
	}
	strcpy(d->name, base);
	/* The folder is the admin's choice and may go through symlinks;
	 * holding it open means a child cannot swap it later. */
	d->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->dirfd < 0)
		return errno == ENOENT ? -SF_NOFOLDER : -errno;
	return 0;
}

/* A character device the user named on purpose (/dev/null, /dev/console)
 * is opened now and written in place at the end. */
static int open_device(struct safe_dest *d)
{
	int r, fd = openat(d->dirfd, d->name, O_WRONLY | AT_NAME_FLAGS);

	if (fd < 0)
		return errno == ELOOP ? -SF_SYMLINK : -errno;
	r = check_type(fd, S_IFCHR);
	if (!r)
		d->fd = fd;
	return r;
}

static int open_spec(struct safe_dest *d, const char *spec, bool streams)
{
	struct stat st;
	int r;

	if (!*spec)
		return -SF_EMPTY;
	if (streams) {
		r = stream_fd(spec, &d->fd);
		if (r)
			return r;
		if (d->fd >= 0) {
			r = claim_fd(d->fd);
			if (r)
				d->fd = -1;
			return r;
		}
	}
	r = open_folder(d, spec);
	if (r)
		return r;
	if (fstatat(d->dirfd, d->name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (S_ISREG(st.st_mode))
		return 0;
	if (S_ISCHR(st.st_mode) && streams)
		return open_device(d);
	return type_error(st.st_mode);
}

int safefile_open(struct safe_dest *d, const char *spec, bool streams)
{
	int r;

	memset(d, 0, sizeof(*d));
	d->shown = spec;
	d->fd = -1;
	d->dirfd = -1;
	r = open_spec(d, spec ? spec : "", streams);
	if (r && d->dirfd >= 0) {
		close(d->dirfd);
		d->dirfd = -1;
	}
	d->ready = r == 0;
	return r;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Short writes are retried; EAGAIN (a child set O_NONBLOCK on a shared
 * pipe and filled it) waits for room, up to SAFEFILE_WAIT_MS in all. */
static int write_all(int fd, const char *text, size_t len)
{
	int64_t deadline = now_ms() + SAFEFILE_WAIT_MS;

	while (len) {
		ssize_t n = write(fd, text, len);

		if (n > 0) {
			text += n;
			len -= (size_t)n;
			continue;
		}
		if (n == 0)
			return -EIO;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return -errno;
		int64_t left = deadline - now_ms();
		struct pollfd p = { .fd = fd, .events = POLLOUT };

		if (left <= 0)
			return -EAGAIN;
		if (poll(&p, 1, (int)left) < 0 && errno != EINTR)
			return -errno;
	}
	return 0;
}

static uint64_t random_u64(void)
{
	static uint64_t counter;
	uint64_t x;
	struct timespec ts;

	if (getrandom(&x, sizeof(x), GRND_NONBLOCK) == (ssize_t)sizeof(x))
		return x;
	/* No entropy yet (early boot): unguessable enough together with
	 * O_EXCL, which is what keeps a planted name harmless anyway. */
	clock_gettime(CLOCK_REALTIME, &ts);
	x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ ((uint64_t)getpid() << 40);
	return x ^ (++counter * 0x9e3779b97f4a7c15ULL);
}

static int write_file(int fd, const char *text, size_t len, bool sync)
{
	int r = write_all(fd, text, len);

	if (!r && sync && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && !r)
		r = -errno;
	return r;
}

/* New file, then rename over the name: whatever sits at the name (even a
 * symlink planted a moment ago) is replaced, never written through. */
static int replace(const struct safe_dest *d, const char *text, size_t len)
{
	char tmp[32];
	int fd = -1, r;

	for (int i = 0; i < 8 && fd < 0; i++) {
		snprintf(tmp, sizeof(tmp), ".vigil-%016llx", (unsigned long long)random_u64());
		fd = openat(d->dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | AT_NAME_FLAGS, 0644);
		if (fd < 0 && errno != EEXIST)
			return -errno;
	}
	if (fd < 0)
		return -EEXIST;
	r = write_file(fd, text, len, !d->no_sync);
	if (!r && renameat(d->dirfd, tmp, d->dirfd, d->name) < 0)
		r = -errno;
	if (r) {
		(void)unlinkat(d->dirfd, tmp, 0);
		return r;
	}
	/* The rename itself must survive a crash too (the state file). */
	if (!d->no_sync && fsync(d->dirfd) < 0 && errno != EINVAL)
		return -errno;
	return 0;
}

/* A mount point cannot be renamed over (kubelet bind-mounts a regular
 * file at /dev/termination-log): write it in place, without O_TRUNC, and
 * cut it to the new length afterwards. */
static int in_place(const struct safe_dest *d, const char *text, size_t len)
{
	int r, fd = openat(d->dirfd, d->name, O_WRONLY | AT_NAME_FLAGS);

	if (fd < 0)
		return errno == ELOOP ? -SF_SYMLINK : -errno;
	r = check_type(fd, S_IFREG);
	if (r)
		return r;
	r = write_all(fd, text, len);
	if (!r && ftruncate(fd, (off_t)len) < 0)
		r = -errno;
	if (r) {
		close(fd);
		return r;
	}
	return write_file(fd, "", 0, !d->no_sync);
}

int safefile_write(const struct safe_dest *d, const char *text, size_t len)
{
	struct stat st, dir;
	int r;

	if (!d->ready)
		return -EBADF;
	if (d->fd >= 0)
		return write_all(d->fd, text, len);
	if (fstatat(d->dirfd, d->name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT)
			return -errno;
		return replace(d, text, len);
	}
	if (!S_ISREG(st.st_mode))
		return type_error(st.st_mode);
	if (fstat(d->dirfd, &dir) < 0)
		return -errno;
	if (st.st_dev != dir.st_dev)
		return in_place(d, text, len);
	r = replace(d, text, len);
	/* A bind mount from the same filesystem has the folder's st_dev. */
	if (r == -EBUSY)
		r = in_place(d, text, len);
	return r;
}

int safefile_read(const struct safe_dest *d, char *buf, size_t cap, size_t *len)
{
	size_t got = 0;
	int fd, r;

	if (!d->ready || d->fd >= 0 || cap < 2)
		return -EINVAL;
	fd = openat(d->dirfd, d->name, O_RDONLY | AT_NAME_FLAGS);
	if (fd < 0)
		return errno == ELOOP ? -SF_SYMLINK : -errno;
	r = check_type(fd, S_IFREG);
	if (r)
		return r;
	for (;;) {
		char extra;
		ssize_t n = got < cap - 1 ? read(fd, buf + got, cap - 1 - got) : read(fd, &extra, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		if (n == 0)
			break;
		if (got == cap - 1) {
			r = -EFBIG;
			break;
		}
		got += (size_t)n;
	}
	close(fd);
	if (r)
		return r;
	buf[got] = '\0';
	*len = got;
	/* A NUL would hide the rest of the text from the parser. */
	return memchr(buf, '\0', got) ? -EINVAL : 0;
}
