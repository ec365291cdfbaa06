/* user: drop from root to the target identity with libcap-ng, in the child
 * just before exec. Refuses (returns -1) rather than continue as root. */
#ifndef VIGIL_USER_H
#define VIGIL_USER_H

#include "passwd.h"
#include "spawn.h"

#include <stdbool.h>
#include <sys/types.h>

#define VIGIL_MAX_KEEP_CAPS 64

struct drop_plan {
	const struct user_target *target;   /* NULL: keep identity, still drop caps if asked */
	int keep_caps[VIGIL_MAX_KEEP_CAPS]; /* capability numbers kept as ambient */
	size_t nkeep;
	bool no_new_privs;
};

/* Child side. Sets groups (skipped when already the target ids and not
 * privileged), gid, uid, keeps nkeep caps as ambient, clears the bounding
 * set, sets no_new_privs, HOME. Returns 0 or -1 with e->stage = STAGE_PRIV. */
int user_drop(const struct drop_plan *p, struct spawn_error *e);

/* Parent side, before fork: how many capabilities the child's drop will
 * leave in the bounding set. Clearing it needs CAP_SETPCAP; without it
 * (runc's default set, rootless, --cap-drop ALL) user_drop leaves it as it
 * is, under no_new_privs. 0 when it will be empty, or -errno. */
int user_bounding_kept(void);

/* Parent side, before fork: can vigil still signal a child running as
 * target? Another uid takes CAP_KILL, which a tight capability set (a
 * Kubernetes securityContext that drops ALL) may have removed. 1 yes,
 * 0 no, or -errno. */
int user_can_signal(uid_t target);

/* A terminal's owner and mode before the hand-over. */
struct tty_owner {
	bool changed;       /* handed over: give it back at exit */
	uid_t uid;
	gid_t gid;
	mode_t mode;
};

/* Parent side, before fork: when fd is a terminal, hand it to the target
 * user (fchown) so the dropped child can use it; *before gets what to give
 * back. Returns 0 or -errno. */
int user_tty_handover(int fd, const struct user_target *t, struct tty_owner *before);

/* At exit: give the terminal its owner and mode back (the child, as its
 * owner, may have changed the mode). Returns 0 or -errno. */
int user_tty_restore(int fd, const struct tty_owner *before);

#endif
