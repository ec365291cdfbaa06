/* wait: see wait.h. The checker checks the specs in order, each attempt
 * bounded (connect, request, status line), and writes one record before
 * and one after each check, so a round cut short at the deadline still
 * says which check was under way. */
#include "wait.h"

#include "log.h"
#include "netcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define ATTEMPT_MS 2000
#define STATUS_LINE_MAX 64

enum { REC_BEGUN, REC_HELD, REC_FAILED, REC_REFUSED };

/* Under PIPE_BUF: each record arrives whole. */
struct record {
	unsigned index;
	int state;
	char error[WAIT_ERROR_MAX];
	int stage, err;         /* REC_REFUSED: the failed drop's record */
};

int waiter_prepare(struct waiter *w, const char *const *specs, unsigned n, char *err, size_t len)
{
	const char *why;

	memset(w, 0, sizeof(*w));
	w->rfd = -1;
	for (unsigned i = 0; i < n; i++) {
		if (wait_parse(specs[i], &w->spec[i], &why)) {
			snprintf(err, len, "invalid --wait-for '%s': %s", specs[i], why);
			return -EINVAL;
		}
	}
	w->n = n;
	return 0;
}

/* ---- checks, in the checker process ------------------------------------ */

static int check_unix(const struct wait_spec *w, char *err, size_t len)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	size_t n = strlen(w->path);
	socklen_t alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), r;

	memcpy(a.sun_path, w->path, n);
	/* "@name": the abstract namespace, its exact length, no NUL. */
	if (w->path[0] == '@') {
		a.sun_path[0] = '\0';
		alen--;
	}
	r = fd < 0 ? -errno : net_connect_fd(fd, (struct sockaddr *)&a, alen, ATTEMPT_MS);
	if (fd >= 0)
		close(fd);
	if (r)
		snprintf(err, len, "connect to %.100s: %s", w->path, strerror(-r));
	return r;
}

static int check_file(const struct wait_spec *w, char *err, size_t len)
{
	struct stat st;

	if (stat(w->path, &st) == 0)
		return 0;
	snprintf(err, len, "%.100s: %s", w->path, strerror(errno));
	return -1;
}

static int check_http(const struct wait_spec *w, char *err, size_t len)
{
	char line[STATUS_LINE_MAX];
	int fd = net_connect(w->net.host, w->net.port, ATTEMPT_MS, err, len), r, code;

	if (fd < 0)
		return -1;
	r = net_http_get(fd, w->path, w->net.authority, ATTEMPT_MS, line, sizeof(line));
	close(fd);
	if (r) {
		snprintf(err, len, "GET %.100s: %s", w->text, strerror(-r));
		return -1;
	}
	code = net_http_status(line);
	if (code >= 200 && code <= 299)
		return 0;
	if (code < 0)
		snprintf(err, len, "GET %.100s: no HTTP status line in the answer", w->text);
	else
		snprintf(err, len, "GET %.100s: status %d", w->text, code);
	return -1;
}

static int check_one(const struct wait_spec *w, char *err, size_t len)
{
	switch (w->kind) {
	case WAIT_TCP: {
		int fd = net_connect(w->net.host, w->net.port, ATTEMPT_MS, err, len);

		if (fd < 0)
			return -1;
		close(fd);
		return 0;
	}
	case WAIT_UNIX: return check_unix(w, err, len);
	case WAIT_FILE: return check_file(w, err, len);
	case WAIT_HTTP: return check_http(w, err, len);
	}
	return -1;
}

static void put(int fd, unsigned i, int state, const char *error)
{
	struct record rec = { .index = i, .state = state };

	snprintf(rec.error, sizeof(rec.error), "%s", error ? error : "");
	/* A full pipe cannot happen (a few KiB per round). Nobody reading
	 * any more: vigil is gone or gave the round up without being able
	 * to kill this checker (see waiter_cancel), so the round ends. */
	if (write(fd, &rec, sizeof(rec)) < 0 && errno == EPIPE)
		_exit(0);
}

/* Root may reach what the command's user may not (a 0700 folder, a 0600
 * socket): the checks run with the command's credentials. A drop that
 * fails here fails for the command too (same plan, same vigil), so it is
 * reported as such and nothing is checked, never as root. */
static int take_credentials(int fd, spawn_hook drop, void *ctx)
{
	struct spawn_error e = { 0 };
	struct record rec = { .state = REC_REFUSED };

	if (!drop || drop(ctx, &e) == 0)
		return 0;
	rec.stage = e.stage;
	rec.err = e.err;
	snprintf(rec.error, sizeof(rec.error), "%.*s", (int)sizeof(rec.error) - 1, e.what);
	(void)!write(fd, &rec, sizeof(rec));
	return -1;
}

static __attribute__((noreturn)) void checker_main(const struct waiter *w, int fd, pid_t parent,
						   spawn_hook drop, void *ctx)
{
	/* Signals stay blocked as in vigil: only vigil's SIGKILL (deadline,
	 * stop) or its death ends a round early. */
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (take_credentials(fd, drop, ctx) < 0)
		_exit(0);
	/* A change of uid or gid cleared the parent-death signal. A parent
	 * gone meanwhile shows in getppid. (A vigil without CAP_KILL cannot
	 * send it to another uid either: then the closed pipe ends it.) */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(0);
	for (unsigned i = 0; i < w->n; i++) {
		char err[WAIT_ERROR_MAX];

		if (w->held[i])
			continue;
		put(fd, i, REC_BEGUN, NULL);
		if (check_one(&w->spec[i], err, sizeof(err)) == 0)
			put(fd, i, REC_HELD, NULL);
		else
			put(fd, i, REC_FAILED, err);
	}
	_exit(0);
}

/* ---- the parent's side --------------------------------------------------- */

int waiter_start_round(struct waiter *w, spawn_hook drop, void *drop_ctx)
{
	pid_t self = getpid(), c;
	int p[2];

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	c = fork();
	if (c < 0) {
		int e = errno;

		close(p[0]);
		close(p[1]);
		return -e;
	}
	if (c == 0) {
		close(p[0]);
		checker_main(w, p[1], self, drop, drop_ctx);
	}
	close(p[1]);
	w->checker = c;
	w->rfd = p[0];
	w->rounds++;
	return 0;
}

bool waiter_owns(const struct waiter *w, pid_t pid)
{
	return w->checker && pid == w->checker;
}

static void take(struct waiter *w, const struct record *rec)
{
	unsigned i = rec->index;
	const struct wait_spec *s;

	if (rec->state == REC_REFUSED) {
		w->refused = true;
		w->refusal.stage = rec->stage;
		w->refusal.err = rec->err;
		snprintf(w->refusal.what, sizeof(w->refusal.what), "%.*s",
			 (int)sizeof(rec->error), rec->error);
		return;
	}
	if (i >= w->n)
		return;
	s = &w->spec[i];
	w->checking[i] = rec->state == REC_BEGUN;
	if (rec->state == REC_HELD) {
		struct trace_field f = { "spec", s->text, 0 };

		w->held[i] = true;
		trace_event("dependency_ready", &f, 1);
	} else if (rec->state == REC_FAILED) {
		struct trace_field f[2] = { { "spec", s->text, 0 }, { "error", rec->error, 0 } };

		memcpy(w->error[i], rec->error, sizeof(w->error[i]));
		w->error[i][sizeof(w->error[i]) - 1] = '\0';
		trace_event("dependency_waiting", f, 2);
	}
}

/* Everything the checker wrote, then the pipe is done with. */
static void drain(struct waiter *w)
{
	struct record rec;

	while (read(w->rfd, &rec, sizeof(rec)) == (ssize_t)sizeof(rec))
		take(w, &rec);
	close(w->rfd);
	w->rfd = -1;
	w->checker = 0;
}

enum deps_result waiter_collect(struct waiter *w)
{
	bool all = true;

	drain(w);
	if (w->refused)
		return DEPS_REFUSED;
	for (unsigned i = 0; i < w->n; i++) {
		if (w->checking[i]) {
			/* The checker died inside a check (killed by someone). */
			w->checking[i] = false;
			snprintf(w->error[i], sizeof(w->error[i]), "the check ended without an answer");
		}
		all = all && w->held[i];
	}
	return all ? DEPS_READY : DEPS_PENDING;
}

void waiter_cancel(struct waiter *w)
{
	if (!w->checker)
		return;
	if (kill(w->checker, SIGKILL) < 0) {
		/* Dropped to another uid, and vigil lacks CAP_KILL (it warned
		 * at start). Not waited for, as a check may take seconds:
		 * vigil is leaving, and the checker ends at its next record
		 * when it finds the pipe closed (its parent-death signal is
		 * refused for want of CAP_KILL too). */
		if (errno == EPERM) {
			drain(w);
			return;
		}
		if (errno != ESRCH)
			log_errno(errno, "stop the dependency checker %d", (int)w->checker);
	}
	/* Reaped here: vigil may be about to leave the loop. */
	while (waitpid(w->checker, NULL, 0) < 0 && errno == EINTR)
		;
	drain(w);
}

uint64_t waiter_retry_ms(const struct waiter *w)
{
	unsigned shift = w->rounds > 4 ? 4 : (w->rounds ? w->rounds - 1 : 0);
	uint64_t ms = 100u << shift;

	return ms > 1000 ? 1000 : ms;
}

void waiter_timeout_line(const struct waiter *w, uint64_t timeout_ms, char *buf, size_t len)
{
	unsigned first = w->n, missing = 0;
	char after[32];

	for (unsigned i = 0; i < w->n; i++) {
		if (w->held[i])
			continue;
		if (first == w->n)
			first = i;
		missing++;
	}
	if (timeout_ms % 1000)
		snprintf(after, sizeof(after), "%llums", (unsigned long long)timeout_ms);
	else
		snprintf(after, sizeof(after), "%llus", (unsigned long long)(timeout_ms / 1000));
	if (first == w->n) {
		snprintf(buf, len, "--wait-for: not ready after %s", after);
		return;
	}
	snprintf(buf, len, "--wait-for %s: not ready after %s: %s%s", w->spec[first].text, after,
		 w->error[first][0] ? w->error[first] :
		 w->checking[first] ? "no answer yet" : "not checked yet",
		 missing > 1 ? " (and more not ready)" : "");
}
