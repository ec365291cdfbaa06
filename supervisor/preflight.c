/* preflight: prove the temporary directory works the way runtimes use it
 * (create a file, bind a Unix socket) before the command starts. Runs in
 * the forked child as the target user, so only async-signal-safe calls. */
#include "preflight.h"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/un.h>
#include <sys/vfs.h>
#include <unistd.h>

/* Bounded string building: snprintf is not async-signal-safe. */
struct sbuf {
	char *p;
	size_t len, cap;   /* cap includes the terminating NUL */
	bool truncated;
};

static void sb_add(struct sbuf *b, const char *s)
{
	for (; *s; s++) {
		if (b->len + 1 >= b->cap) {
			b->truncated = true;
			break;
		}
		b->p[b->len++] = *s;
	}
	b->p[b->len] = '\0';
}

static void sb_add_uint(struct sbuf *b, unsigned long v)
{
	char digits[24];
	size_t i = sizeof(digits) - 1;

	digits[i] = '\0';
	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sb_add(b, digits + i);
}

/* dir + "/.vigil-preflight-<pid>-<try><suffix>"; -ENAMETOOLONG if it does
 * not fit in cap bytes. */
static int probe_name(char *out, size_t cap, const char *dir, unsigned attempt,
		      const char *suffix)
{
	struct sbuf b = { out, 0, cap, false };

	sb_add(&b, dir);
	sb_add(&b, "/.vigil-preflight-");
	sb_add_uint(&b, (unsigned long)getpid());
	sb_add(&b, "-");
	sb_add_uint(&b, attempt);
	sb_add(&b, suffix);
	return b.truncated ? -ENAMETOOLONG : 0;
}

static int finding(struct preflight_result *r, const char *check, int err, bool fatal)
{
	r->check = check;
	r->err = err;
	r->fatal = fatal;
	return -1;
}

/*
 * The probe names carry the pid, but in a container the child is often
 * pid 2 on every start, so a probe left by a killed run would collide for
 * good: on EEXIST/EADDRINUSE try the next name instead of failing.
 */
#define PROBE_ATTEMPTS 8

static int check_create_file(const char *dir, struct preflight_result *r)
{
	char path[PATH_MAX];
	int fd = -1;

	for (unsigned i = 0; i < PROBE_ATTEMPTS && fd < 0; i++) {
		if (probe_name(path, sizeof(path), dir, i, "") < 0)
			return finding(r, "create_file", ENAMETOOLONG, true);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			return finding(r, "create_file", errno, true);
	}
	if (fd < 0)
		return finding(r, "create_file", EEXIST, true);
	close(fd);
	if (unlink(path) < 0)
		return finding(r, "remove_file", errno, true);
	return 0;
}

static int bind_probe(int fd, const char *dir, char *path, size_t cap)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	for (unsigned i = 0; i < PROBE_ATTEMPTS; i++) {
		/* sun_path must hold the name and its NUL; the kernel would
		 * otherwise bind a truncated (other) path or fail obscurely. */
		if (probe_name(path, cap, dir, i, ".sock") < 0 ||
		    strlen(path) >= sizeof(sa.sun_path))
			return -ENAMETOOLONG;
		memcpy(sa.sun_path, path, strlen(path) + 1);
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return 0;
		if (errno != EADDRINUSE)
			return -errno;
	}
	return -EADDRINUSE;
}

static int check_unix_socket(const char *dir, struct preflight_result *r)
{
	char path[PATH_MAX];
	int fd, rc;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return finding(r, "unix_socket_bind", errno, true);
	rc = bind_probe(fd, dir, path, sizeof(path));
	close(fd);
	if (rc < 0)
		return finding(r, "unix_socket_bind", -rc, true);
	if (unlink(path) < 0)
		return finding(r, "remove_file", errno, true);
	return 0;
}

static int check_socketpair(struct preflight_result *r)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return finding(r, "socketpair", errno, true);
	close(sv[0]);
	close(sv[1]);
	return 0;
}

/*
 * statfs rather than statvfs: glibc's statvfs may fall back to reading
 * /proc/mounts with stdio, which is not safe in the child. A failure here
 * is ignored since noexec is only worth a warning.
 */
static void check_noexec(const char *dir, const struct preflight_result *r,
			 void (*warn)(void *ctx, const struct preflight_result *r), void *ctx)
{
	struct statfs fs;
	struct preflight_result w;

	if (!warn || statfs(dir, &fs) < 0 || !(fs.f_flags & ST_NOEXEC))
		return;
	w = *r;
	w.check = "noexec";
	w.err = 0;
	w.fatal = false;
	warn(ctx, &w);
}

static const char *pick_dir(const char *dir)
{
	const char *env;

	if (dir)
		return dir;
	env = getenv("TMPDIR");
	return env && *env ? env : "/tmp";
}

int preflight_run(const char *dir, struct preflight_result *r,
		  void (*warn)(void *ctx, const struct preflight_result *r), void *ctx)
{
	struct sbuf b = { r->path, 0, sizeof(r->path), false };
	struct stat st;

	dir = pick_dir(dir);
	sb_add(&b, dir);
	r->check = NULL;
	r->err = 0;
	r->fatal = false;

	if (stat(dir, &st) < 0)
		return finding(r, "exists", errno, true);
	if (!S_ISDIR(st.st_mode))
		return finding(r, "is_directory", ENOTDIR, true);
	/* Any user could then delete or replace another's sockets and files. */
	if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX))
		return finding(r, "sticky_bit", 0, true);
	check_noexec(dir, r, warn, ctx);
	if (check_create_file(dir, r) < 0 || check_unix_socket(dir, r) < 0 ||
	    check_socketpair(r) < 0)
		return -1;
	return 0;
}

static const char *finding_text(const struct preflight_result *r)
{
	const char *s;

	if (r->err == 0) {
		if (r->check && strcmp(r->check, "sticky_bit") == 0)
			return "world-writable directory without sticky bit";
		if (r->check && strcmp(r->check, "noexec") == 0)
			return "mounted noexec, programs cannot run from it";
		return "failed";
	}
	/* strerrordesc_np: a plain table lookup, no locale, no buffer.
	 * musl has none, but its strerror is such a lookup already. */
#if HAVE_STRERRORDESC_NP
	s = strerrordesc_np(r->err);
#else
	s = strerror(r->err);
#endif
	return s ? s : "unknown error";
}

void preflight_format(const struct preflight_result *r, char *buf, size_t len)
{
	struct sbuf b = { buf, 0, len, false };

	if (len == 0)
		return;
	buf[0] = '\0';
	sb_add(&b, "preflight ");
	sb_add(&b, r->check ? r->check : "?");
	sb_add(&b, " on ");
	sb_add(&b, r->path);
	sb_add(&b, ": ");
	sb_add(&b, finding_text(r));
}
