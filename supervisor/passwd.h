/* passwd: pure parsers for /etc/passwd, /etc/group lines and USER[:GROUP]
 * specs, plus resolution of a spec into a target identity. No NSS: a static
 * binary cannot load NSS modules, and containers rarely have them anyway. */
#ifndef VIGIL_PASSWD_H
#define VIGIL_PASSWD_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Longest user or group name, in bytes: glibc's LOGIN_NAME_MAX less the
 * NUL (useradd's own default limit is 32). */
#define VIGIL_NAME_MAX 255
/* Longest home directory: a path the kernel takes (PATH_MAX less the NUL). */
#define VIGIL_HOME_MAX 4095

/* user_resolve's error for a passwd or group path that is not a regular
 * file: a FIFO there would block the read for ever. */
#define PASSWD_ENOTREG EMEDIUMTYPE

struct pw_entry {
	char name[VIGIL_NAME_MAX + 1];
	uid_t uid;
	gid_t gid;
	char home[VIGIL_HOME_MAX + 1];
};

struct gr_entry {
	char name[VIGIL_NAME_MAX + 1];
	gid_t gid;
	/* members, comma separated, as in the file (copied, NUL-terminated) */
	char members[1024];
};

struct user_target {
	uid_t uid;
	gid_t gid;
	gid_t *groups;     /* allocated; as many as the kernel takes (NGROUPS_MAX) */
	size_t ngroups, cap;
	bool have_home;
	char home[VIGIL_HOME_MAX + 1];
	char name[VIGIL_NAME_MAX + 1]; /* empty when the user was given by number only */
};

/* "alice", "alice:staff", "1000", "1000:1000", ":staff" is invalid.
 * Copies the parts; group is "" when absent. 0 or -EINVAL / -ENAMETOOLONG. */
int user_spec_split(const char *spec, char *user, size_t ulen, char *group, size_t glen);

/* Parse one line (without or with trailing '\n'). 0, -EINVAL when
 * malformed, -ENAMETOOLONG when the name or home is over the limits. */
int passwd_parse_line(const char *line, struct pw_entry *e);
int group_parse_line(const char *line, struct gr_entry *e);

/* Resolve spec using the given files (normally /etc/passwd and /etc/group).
 * Numeric ids need no entry; a name that is not found is -ENOENT.
 * Supplementary groups: every group listing the user's name as a member,
 * plus the primary gid; none when the user has no name.
 * The files must be regular files (-PASSWD_ENOTREG otherwise).
 * On failure writes a one-line reason into err. Returns 0 or -errno:
 * -EINVAL only for a malformed spec. t->groups is allocated (also on
 * failure): user_target_free releases it. */
int user_resolve(const char *spec, const char *passwd_path, const char *group_path,
		 struct user_target *t, char *err, size_t errlen);

void user_target_free(struct user_target *t);

#endif
