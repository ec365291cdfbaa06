/* passwd: pure parsers for /etc/passwd, /etc/group lines and USER[:GROUP]
 * specs, plus resolution of a spec into a target identity. No NSS: a static
 * binary cannot load NSS modules, and containers rarely have them anyway. */
#ifndef VIGIL_PASSWD_H
#define VIGIL_PASSWD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define VIGIL_MAX_GROUPS 256

struct pw_entry {
	char name[64];
	uid_t uid;
	gid_t gid;
	char home[256];
};

struct gr_entry {
	char name[64];
	gid_t gid;
	/* members, comma separated, as in the file (copied, NUL-terminated) */
	char members[1024];
};

struct user_target {
	uid_t uid;
	gid_t gid;
	gid_t groups[VIGIL_MAX_GROUPS];
	size_t ngroups;
	bool have_home;
	char home[256];
	char name[64];     /* empty when the user was given by number only */
};

/* "alice", "alice:staff", "1000", "1000:1000", ":staff" is invalid.
 * Copies the parts; group is "" when absent. 0 or -EINVAL / -ENAMETOOLONG. */
int user_spec_split(const char *spec, char *user, size_t ulen, char *group, size_t glen);

/* Parse one line (without or with trailing '\n'). 0, or -EINVAL when malformed. */
int passwd_parse_line(const char *line, struct pw_entry *e);
int group_parse_line(const char *line, struct gr_entry *e);

/* Resolve spec using the given files (normally /etc/passwd and /etc/group).
 * Numeric ids need no entry; a name that is not found is -ENOENT.
 * Supplementary groups: every group listing the user's name as a member,
 * plus the primary gid; none when the user has no name.
 * On failure writes a one-line reason into err. Returns 0 or -errno. */
int user_resolve(const char *spec, const char *passwd_path, const char *group_path,
		 struct user_target *t, char *err, size_t errlen);

#endif
