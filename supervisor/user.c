/* user: the privilege drop, run in the forked child just before exec.
 * Any failed step fails the start: the command never runs as root after
 * a drop was asked for. The process is single-threaded here, so
 * libcap-ng's allocations are safe. */
#include "user.h"

#include <cap-ng.h>
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(struct spawn_error *e, int err, const char *what)
{
	e->stage = STAGE_PRIV;
	e->err = err ? err : EPERM;
	snprintf(e->what, sizeof(e->what), "drop privileges: %s", what);
	return -1;
}

/* libcap-ng returns its own negative codes; errno holds the reason. */
static int apply(capng_select_t set, struct spawn_error *e, const char *what)
{
	errno = 0;
	if (capng_apply(set) < 0)
		return fail(e, errno, what);
	return 0;
}

static void add_keeps(const struct drop_plan *p, capng_type_t types)
{
	for (size_t i = 0; i < p->nkeep; i++)
		capng_update(CAPNG_ADD, types, (unsigned)p->keep_caps[i]);
}

/* Inheritable can only grow while the bounding set still has the cap, so
 * the kept ones go into it before the bounding set is cleared. */
static int keep_inheritable(const struct drop_plan *p, struct spawn_error *e)
{
	if (!p->nkeep)
		return 0;
	add_keeps(p, CAPNG_INHERITABLE);
	return apply(CAPNG_SELECT_CAPS, e, "keep capabilities inheritable");
}

/* Clearing the bounding set needs CAP_SETPCAP. Without it (a hardened
 * container already started without capabilities) it is skipped, but only
 * under no_new_privs: without it a setuid-root or file-capability binary,
 * or exec as uid 0, would gain back everything the set still holds. */
static int clear_bounding(const struct drop_plan *p, struct spawn_error *e)
{
	if (!capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP) && p->no_new_privs)
		return 0;
	capng_clear(CAPNG_SELECT_BOUNDS);
	return apply(CAPNG_SELECT_BOUNDS, e, "clear the capability bounding set");
}

static int change_ids(const struct user_target *t, struct spawn_error *e)
{
	char what[64];
	bool same = getuid() == t->uid && geteuid() == t->uid &&
		    getgid() == t->gid && getegid() == t->gid;

	/* Already the target (started as that user): there is nothing to
	 * change and, without CAP_SETGID, setgroups would only fail. */
	if (same && !capng_have_capability(CAPNG_EFFECTIVE, CAP_SETGID))
		return 0;
	if (setgroups(t->ngroups, t->groups) < 0) {
		snprintf(what, sizeof(what), "setgroups to %zu group(s)", t->ngroups);
		return fail(e, errno, what);
	}
	if (setresgid(t->gid, t->gid, t->gid) < 0) {
		snprintf(what, sizeof(what), "setresgid %u", (unsigned)t->gid);
		return fail(e, errno, what);
	}
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return fail(e, errno, "prctl(PR_SET_KEEPCAPS)");
	if (setresuid(t->uid, t->uid, t->uid) < 0) {
		snprintf(what, sizeof(what), "setresuid %u", (unsigned)t->uid);
		return fail(e, errno, what);
	}
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return fail(e, errno, "prctl(PR_SET_KEEPCAPS off)");
	return 0;
}

static int final_caps(const struct drop_plan *p, struct spawn_error *e)
{
	capng_clear(CAPNG_SELECT_CAPS);
	add_keeps(p, CAPNG_EFFECTIVE | CAPNG_PERMITTED | CAPNG_INHERITABLE);
	if (apply(CAPNG_SELECT_CAPS, e, "set the kept capabilities") < 0)
		return -1;
	/* Ambient is what carries them across exec for a non-root user. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return fail(e, errno, "clear ambient capabilities");
	for (size_t i = 0; i < p->nkeep; i++) {
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (unsigned long)p->keep_caps[i], 0, 0) < 0) {
			char what[64];

			snprintf(what, sizeof(what), "raise ambient capability %d", p->keep_caps[i]);
			return fail(e, errno, what);
		}
	}
	return 0;
}

static int verify(const struct user_target *t, struct spawn_error *e)
{
	uid_t r, ef, s;
	gid_t gr, ge, gs;

	if (getresuid(&r, &ef, &s) < 0 || getresgid(&gr, &ge, &gs) < 0)
		return fail(e, errno, "read back ids");
	if (r != t->uid || ef != t->uid || s != t->uid || gr != t->gid || ge != t->gid || gs != t->gid)
		return fail(e, EPERM, "ids did not change");
	if (t->uid != 0 && setuid(0) == 0)
		return fail(e, EPERM, "could regain uid 0");
	return 0;
}

/* A uid without a passwd entry gets HOME=/ (as docker and runc do) and
 * no USER/LOGNAME: keeping vigil's own would point it at root's. */
static int set_env(const struct user_target *t, struct spawn_error *e)
{
	if (setenv("HOME", t->have_home ? t->home : "/", 1) < 0)
		return fail(e, errno, "set HOME");
	if (!t->name[0]) {
		unsetenv("USER");
		unsetenv("LOGNAME");
		return 0;
	}
	if (setenv("USER", t->name, 1) < 0 || setenv("LOGNAME", t->name, 1) < 0)
		return fail(e, errno, "set USER");
	return 0;
}

int user_drop(const struct drop_plan *p, struct spawn_error *e)
{
	/* Every decision below is made on the capabilities we really have. */
	if (capng_get_caps_process() < 0)
		return fail(e, errno, "read own capabilities");
	if (keep_inheritable(p, e) < 0 || clear_bounding(p, e) < 0)
		return -1;
	if (p->target && change_ids(p->target, e) < 0)
		return -1;
	if (final_caps(p, e) < 0)
		return -1;
	if (p->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return fail(e, errno, "prctl(PR_SET_NO_NEW_PRIVS)");
	if (p->target && (verify(p->target, e) < 0 || set_env(p->target, e) < 0))
		return -1;
	return 0;
}

int user_bounding_kept(void)
{
	int n = 0;

	if (capng_get_caps_process() < 0)
		return errno ? -errno : -EPERM;
	if (capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP))
		return 0;
	/* The kernel says where the list ends (EINVAL past the last cap). */
	for (unsigned long cap = 0; cap < 64; cap++) {
		int r = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);

		if (r < 0)
			break;
		n += r == 1;
	}
	return n;
}

int user_can_signal(uid_t target)
{
	if (target == geteuid())
		return 1;
	if (capng_get_caps_process() < 0)
		return errno ? -errno : -EPERM;
	return capng_have_capability(CAPNG_EFFECTIVE, CAP_KILL) ? 1 : 0;
}

int user_tty_handover(int fd, const struct user_target *t, struct tty_owner *before)
{
	struct stat st;

	before->changed = false;
	if (!isatty(fd))
		return 0;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (st.st_uid == t->uid && st.st_gid == t->gid)
		return 0;
	if (fchown(fd, t->uid, t->gid) < 0)
		return -errno;
	before->changed = true;
	before->uid = st.st_uid;
	before->gid = st.st_gid;
	before->mode = st.st_mode & 07777;
	return 0;
}

int user_tty_restore(int fd, const struct tty_owner *before)
{
	struct stat st;

	if (!before->changed)
		return 0;
	if (fstat(fd, &st) < 0)
		return -errno;
	if ((st.st_uid != before->uid || st.st_gid != before->gid) && fchown(fd, before->uid, before->gid) < 0)
		return -errno;
	if ((st.st_mode & 07777) != before->mode && fchmod(fd, before->mode) < 0)
		return -errno;
	return 0;
}
