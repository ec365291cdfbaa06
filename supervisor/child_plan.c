/* child_plan: see child_plan.h. Every #if on libcap-ng or libseccomp in
 * supervisor mode lives here: a build without them refuses the flags that
 * need them, as a usage error, before anything runs. */
#include "child_plan.h"

#include "log.h"
#include "preflight.h"
#if HAVE_CAPNG
#include "caps.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int refuse(enum failure *f, enum failure why, char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int refuse(enum failure *f, enum failure why, char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	*f = why;
	return -1;
}

#if HAVE_CAPNG
static bool has_ctty(void)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* A dropped child in a session with a controlling terminal could TIOCSTI
 * into it (even with stdin redirected, through /dev/tty); in a session of
 * its own it has none. */
static void plan_terminal(struct child_plan *p)
{
	int r;

	if (!has_ctty())
		return;
	if (isatty(STDIN_FILENO)) {
		r = user_tty_handover(STDIN_FILENO, &p->user, &p->tty_before);
		if (r)
			log_errno(-r, "give the terminal to uid %u", (unsigned)p->user.uid);
	}
	p->own_session = true;
}

static void plan_bounding(struct child_plan *p)
{
	int r = user_bounding_kept();

	if (r < 0)
		log_errno(-r, "read own capabilities");
	else if (r > 0)
		warn_msg("cannot clear the capability bounding set without CAP_SETPCAP: %d capabilities stay in it "
			 "(no_new_privs keeps the command from gaining them)", r);
	p->bounding = r == 0 ? BOUNDING_CLEARED : r > 0 ? BOUNDING_KEPT : BOUNDING_NONE;
}
#endif

static int prepare_drop(struct child_plan *p, const struct sup_options *so,
			enum failure *f, char *err, size_t len)
{
	if (!so->user && !so->cap_keep)
		return 0;
#if HAVE_CAPNG
	char why[300];
	const char *bad = NULL;
	int r;

	if (so->cap_keep &&
	    caps_parse_list(so->cap_keep, p->drop.keep_caps, VIGIL_MAX_KEEP_CAPS, &p->drop.nkeep, &bad))
		return refuse(f, FAIL_USAGE, err, len, "invalid --cap-keep '%s' (at '%s')",
			      so->cap_keep, bad ? bad : "?");
	if (so->user) {
		r = user_resolve(so->user, "/etc/passwd", "/etc/group", &p->user, why, sizeof(why));
		if (r)
			return refuse(f, r == -EINVAL ? FAIL_USAGE : FAIL_PRIV, err, len,
				      "--user %s: %s", so->user, why);
		p->drop.target = &p->user;
		plan_terminal(p);
		if (user_can_signal(p->user.uid) == 0)
			warn_msg("--user %s: vigil lacks CAP_KILL, so it cannot forward signals to the dropped "
				 "child or stop it (add CAP_KILL to the container's capabilities)", so->user);
	}
	p->drop.no_new_privs = true;
	p->want_drop = true;
	plan_bounding(p);
	return 0;
#else
	(void)p;
	return refuse(f, FAIL_USAGE, err, len,
		      "--user/--cap-keep need vigil built with libcap-ng (this build has none)");
#endif
}

static int prepare_seccomp(struct child_plan *p, const struct sup_options *so,
			   enum failure *f, char *err, size_t len)
{
	if (!so->seccomp && !so->seccomp_deny)
		return 0;
#if HAVE_SECCOMP
	const char *bad = NULL;

	p->seccomp.use_default = so->seccomp != NULL;
	if (so->seccomp_deny &&
	    seccomp_parse_list(so->seccomp_deny, p->seccomp.extra, VIGIL_MAX_DENY, &p->seccomp.nextra, &bad))
		return refuse(f, FAIL_USAGE, err, len,
			      "invalid --seccomp-deny '%s' (no syscall of this architecture at '%s')",
			      so->seccomp_deny, bad ? bad : "?");
	p->want_seccomp = true;
	return 0;
#else
	(void)p;
	return refuse(f, FAIL_USAGE, err, len,
		      "--seccomp/--seccomp-deny need vigil built with libseccomp (this build has none)");
#endif
}

/* A raise vigil may not make is refused here, before anything runs,
 * rather than by the child's setrlimit after fork. */
static int prepare_rlimits(struct child_plan *p, const struct sup_options *so,
			   enum failure *f, char *err, size_t len)
{
	bool can_raise = so->nrlimit && rlimit_can_raise();
	char want[24], have[24];

	for (unsigned i = 0; i < so->nrlimit; i++) {
		struct rlimit_req *r = &p->rlimits[i];
		struct rlimit cur;
		const char *bad;

		if (rlimit_parse(so->rlimit[i], r, &bad))
			return refuse(f, FAIL_USAGE, err, len,
				      "invalid --rlimit '%s' (%s; want NAME=SOFT[:HARD], e.g. nofile=1024:4096)",
				      so->rlimit[i], strcmp(bad, "name") == 0 ? "unknown name" :
				      strcmp(bad, "order") == 0 ? "soft above hard" : "bad value");
		if (getrlimit(r->resource, &cur) < 0)
			return refuse(f, FAIL_INTERNAL, err, len, "read resource limit %s: %s",
				      r->name, strerror(errno));
		if (rlimit_raise_refused(r, &cur, can_raise)) {
			rlimit_format(r->lim.rlim_max, want, sizeof(want));
			rlimit_format(cur.rlim_max, have, sizeof(have));
			return refuse(f, FAIL_RLIMIT, err, len,
				      "--rlimit %s: hard limit %s is above vigil's own (%s) and raising it needs CAP_SYS_RESOURCE",
				      so->rlimit[i], want, have);
		}
	}
	p->nrlimits = so->nrlimit;
	return 0;
}

int child_plan_prepare(struct child_plan *p, const struct sup_options *so,
		       enum failure *f, char *err, size_t errlen)
{
	p->preflight = so->preflight;
	if (prepare_rlimits(p, so, f, err, errlen) < 0)
		return -1;
	if (prepare_drop(p, so, f, err, errlen) < 0)
		return -1;
	return prepare_seccomp(p, so, f, err, errlen);
}

/* Non-fatal findings (a noexec /tmp) are only worth a line. */
static void preflight_warn(void *ctx, const struct preflight_result *r)
{
	char line[700];

	(void)ctx;
	preflight_format(r, line, sizeof(line));
	warn_msg("%s", line);
}

/* As the target user, so it checks what the command will meet. */
static int run_preflight(enum preflight_mode mode, struct spawn_error *e)
{
	struct preflight_result r;
	char line[sizeof(e->what)];

	if (mode == PREFLIGHT_OFF || preflight_run(NULL, &r, preflight_warn, NULL) == 0)
		return 0;
	preflight_format(&r, line, sizeof(line));
	if (mode == PREFLIGHT_FAIL) {
		e->stage = STAGE_PREFLIGHT;
		e->err = r.err;
		snprintf(e->what, sizeof(e->what), "%s", line);
		return -1;
	}
	warn_msg("%s (continuing: --preflight warn)", line);
	return 0;
}

int child_plan_drop(void *ctx, struct spawn_error *e)
{
#if HAVE_CAPNG
	const struct child_plan *p = ctx;

	if (p->want_drop && user_drop(&p->drop, e) < 0)
		return -1;
#else
	(void)ctx;
	(void)e;
#endif
	return 0;
}

int child_plan_run(void *ctx, struct spawn_error *e)
{
	struct child_plan *p = ctx;

	/* First, while still root: raising a hard limit needs
	 * CAP_SYS_RESOURCE, which the drop takes away. */
	if (rlimit_apply(p->rlimits, p->nrlimits, e) < 0)
		return -1;
	if (child_plan_drop(p, e) < 0)
		return -1;
	if (run_preflight(p->preflight, e) < 0)
		return -1;
#if HAVE_SECCOMP
	/* Last: the filter would also apply to the drop's own calls. */
	if (p->want_seccomp && seccomp_apply(&p->seccomp, e) < 0)
		return -1;
#endif
	return 0;
}

void child_plan_finish(struct child_plan *p)
{
#if HAVE_CAPNG
	int r = user_tty_restore(STDIN_FILENO, &p->tty_before);

	if (r)
		log_errno(-r, "give the terminal back to uid %u", (unsigned)p->tty_before.uid);
#else
	(void)p;
#endif
}
