/* passwd: read /etc/passwd and /etc/group by hand. A static binary cannot
 * load NSS modules, and a container's files are the only truth anyway. */
#include "passwd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copy field number idx (0-based, ':'-separated) of line into out. */
static int field(const char *line, int idx, char *out, size_t len)
{
	const char *p = line;
	size_t n;

	for (int i = 0; i < idx; i++) {
		p = strchr(p, ':');
		if (!p)
			return -EINVAL;
		p++;
	}
	n = strcspn(p, ":\n");
	if (n + 1 > len)
		return -ENAMETOOLONG;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

static int count_fields(const char *line)
{
	int n = 1;

	for (const char *p = line; *p && *p != '\n'; p++)
		n += *p == ':';
	return n;
}

/* Ids are plain decimal below 2^32-1 ((uid_t)-1 means "no change"). */
static int parse_id(const char *s, unsigned *out)
{
	unsigned long long v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (unsigned)(*s - '0');
		if (v >= 4294967295ULL)
			return -ERANGE;
	}
	*out = (unsigned)v;
	return 0;
}

int user_spec_split(const char *spec, char *user, size_t ulen, char *group, size_t glen)
{
	const char *colon = strchr(spec, ':');
	size_t n = colon ? (size_t)(colon - spec) : strlen(spec);

	if (n == 0 || (colon && (colon[1] == '\0' || strchr(colon + 1, ':'))))
		return -EINVAL;
	if (n + 1 > ulen || (colon && strlen(colon + 1) + 1 > glen))
		return -ENAMETOOLONG;
	memcpy(user, spec, n);
	user[n] = '\0';
	snprintf(group, glen, "%s", colon ? colon + 1 : "");
	return 0;
}

int passwd_parse_line(const char *line, struct pw_entry *e)
{
	char buf[32];
	unsigned id;

	if (count_fields(line) != 7 || field(line, 0, e->name, sizeof(e->name)) || !e->name[0])
		return -EINVAL;
	if (field(line, 2, buf, sizeof(buf)) || parse_id(buf, &id))
		return -EINVAL;
	e->uid = id;
	if (field(line, 3, buf, sizeof(buf)) || parse_id(buf, &id))
		return -EINVAL;
	e->gid = id;
	if (field(line, 5, e->home, sizeof(e->home)))
		return -EINVAL;
	return 0;
}

/* Name and gid of a group line, and where its member list starts: the
 * list is left in place so membership is seen on lines of any length. */
static int group_head(const char *line, struct gr_entry *e, const char **members)
{
	char buf[32];
	unsigned id;

	if (count_fields(line) != 4 || field(line, 0, e->name, sizeof(e->name)) || !e->name[0])
		return -EINVAL;
	if (field(line, 2, buf, sizeof(buf)) || parse_id(buf, &id))
		return -EINVAL;
	e->gid = id;
	/* count_fields saw exactly three ':' before the end of the line */
	*members = line;
	for (int i = 0; i < 3; i++)
		*members = strchr(*members, ':') + 1;
	return 0;
}

int group_parse_line(const char *line, struct gr_entry *e)
{
	const char *members;

	if (group_head(line, e, &members) ||
	    field(members, 0, e->members, sizeof(e->members)))
		return -EINVAL;
	return 0;
}

/* members ends at NUL or '\n' */
static bool is_member(const char *members, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = members; *p && *p != '\n';) {
		size_t w = strcspn(p, ",\n");

		if (w == n && strncmp(p, name, n) == 0)
			return true;
		p += w;
		if (*p == ',')
			p++;
	}
	return false;
}

/* Walk a file calling fn on each well-formed line; comments and malformed
 * lines are skipped (one bad line must not lock every user out). Whole
 * lines only: the tail of a cut long line would parse as an entry of its
 * own, e.g. "wheel:x:0:alice" at the end of a long member list. */
static int each_line(const char *path, int (*fn)(const char *line, void *ctx), void *ctx)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	int r = 0;

	if (!f)
		return -errno;
	while (getline(&line, &cap, f) >= 0) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		r = fn(line, ctx);
		if (r)
			break;
	}
	if (!r && ferror(f))
		r = -EIO;
	free(line);
	fclose(f);
	return r > 0 ? 0 : r;
}

struct pw_find {
	const char *name;     /* NULL: find by uid */
	uid_t uid;
	struct pw_entry e;
	bool found;
};

static int pw_match(const char *line, void *ctx)
{
	struct pw_find *q = ctx;
	struct pw_entry e;

	if (passwd_parse_line(line, &e))
		return 0;
	if (q->name ? strcmp(e.name, q->name) == 0 : e.uid == q->uid) {
		q->e = e;
		q->found = true;
		return 1;
	}
	return 0;
}

struct gr_find {
	const char *name;     /* group to resolve, NULL: none */
	gid_t gid;
	bool found;
	const char *member;   /* collect groups listing this user, NULL: none */
	struct user_target *t;
	bool overflow;
};

static void add_group(struct user_target *t, gid_t g, bool *overflow)
{
	for (size_t i = 0; i < t->ngroups; i++)
		if (t->groups[i] == g)
			return;
	if (t->ngroups == VIGIL_MAX_GROUPS) {
		*overflow = true;
		return;
	}
	t->groups[t->ngroups++] = g;
}

static int gr_match(const char *line, void *ctx)
{
	struct gr_find *q = ctx;
	struct gr_entry e;
	const char *members;

	if (group_head(line, &e, &members))
		return 0;
	if (q->name && !q->found && strcmp(e.name, q->name) == 0) {
		q->gid = e.gid;
		q->found = true;
	}
	if (q->member && is_member(members, q->member))
		add_group(q->t, e.gid, &q->overflow);
	return 0;
}

static int resolve_user(const char *user, const char *passwd_path, struct user_target *t,
			char *err, size_t errlen)
{
	struct pw_find q = { 0 };
	unsigned id = 0;
	bool numeric = parse_id(user, &id) == 0;
	int r;

	q.name = numeric ? NULL : user;
	q.uid = numeric ? id : 0;
	r = each_line(passwd_path, pw_match, &q);
	if (r && !(numeric && r == -ENOENT)) {
		snprintf(err, errlen, "cannot read %s: %s", passwd_path, strerror(-r));
		return r;
	}
	if (!q.found && !numeric) {
		snprintf(err, errlen, "user \"%s\" not found in %s", user, passwd_path);
		return -ENOENT;
	}
	if (q.found) {
		t->uid = q.e.uid;
		t->gid = q.e.gid;
		snprintf(t->name, sizeof(t->name), "%s", q.e.name);
		snprintf(t->home, sizeof(t->home), "%s", q.e.home);
		t->have_home = true;
	} else {
		/* No entry: the group defaults to the uid's number, so a bare
		 * number never leaves the process in group 0 (root). */
		t->uid = id;
		t->gid = id;
	}
	return 0;
}

int user_resolve(const char *spec, const char *passwd_path, const char *group_path,
		 struct user_target *t, char *err, size_t errlen)
{
	char user[128], group[128];
	struct gr_find g = { 0 };
	unsigned id;
	int r;

	memset(t, 0, sizeof(*t));
	if (user_spec_split(spec, user, sizeof(user), group, sizeof(group))) {
		snprintf(err, errlen, "invalid user spec \"%s\" (want USER[:GROUP], names or numbers)", spec);
		return -EINVAL;
	}
	r = resolve_user(user, passwd_path, t, err, errlen);
	if (r)
		return r;
	if (group[0] && parse_id(group, &id) == 0) {
		t->gid = id;
	} else if (group[0]) {
		g.name = group;
	}
	g.member = t->name[0] ? t->name : NULL;
	g.t = t;
	add_group(t, t->gid, &g.overflow);
	if (g.name || g.member) {
		r = each_line(group_path, gr_match, &g);
		if (r && (g.name || r != -ENOENT)) {
			snprintf(err, errlen, "cannot read %s: %s", group_path, strerror(-r));
			return r;
		}
	}
	if (g.name && !g.found) {
		snprintf(err, errlen, "group \"%s\" not found in %s", group, group_path);
		return -ENOENT;
	}
	if (g.name) {
		t->gid = g.gid;
		t->groups[0] = g.gid;
	}
	if (g.overflow) {
		snprintf(err, errlen, "user \"%s\" is in more than %d groups", user, VIGIL_MAX_GROUPS);
		return -E2BIG;
	}
	return 0;
}
