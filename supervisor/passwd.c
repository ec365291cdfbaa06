/* passwd: read /etc/passwd and /etc/group by hand. A static binary cannot
 * load NSS modules, and a container's files are the only truth anyway. */
#include "passwd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	int r;

	if (count_fields(line) != 7)
		return -EINVAL;
	r = field(line, 0, e->name, sizeof(e->name));
	if (r || !e->name[0])
		return r ? r : -EINVAL;
	if (field(line, 2, buf, sizeof(buf)) || parse_id(buf, &id))
		return -EINVAL;
	e->uid = id;
	if (field(line, 3, buf, sizeof(buf)) || parse_id(buf, &id))
		return -EINVAL;
	e->gid = id;
	return field(line, 5, e->home, sizeof(e->home));
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
	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	char *line = NULL;
	size_t cap = 0;
	struct stat st;
	FILE *f;
	int r = 0;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		r = -errno;
	else if (!S_ISREG(st.st_mode))
		r = -PASSWD_ENOTREG;
	if (r) {
		close(fd);
		return r;
	}
	f = fdopen(fd, "r");
	if (!f) {
		r = -errno;
		close(fd);
		return r;
	}
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

/* Is this line, whose name or home is too long for us, the one asked for? */
static bool is_wanted(const char *line, const struct pw_find *q)
{
	char buf[32];
	unsigned id;

	if (q->name)
		return strncmp(line, q->name, strlen(q->name)) == 0 && line[strlen(q->name)] == ':';
	return field(line, 2, buf, sizeof(buf)) == 0 && parse_id(buf, &id) == 0 && id == q->uid;
}

static int pw_match(const char *line, void *ctx)
{
	struct pw_find *q = ctx;
	struct pw_entry e;
	int r = passwd_parse_line(line, &e);

	/* Saying "not found" for an entry that is there would mislead. */
	if (r == -ENAMETOOLONG && is_wanted(line, q))
		return r;
	if (r)
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
};

struct gid_at {
	gid_t gid;
	size_t at;
};

static int gid_at_cmp(const void *a, const void *b)
{
	const struct gid_at *x = a, *y = b;

	if (x->gid != y->gid)
		return x->gid < y->gid ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* Drop repeated gids, keeping the first of each in file order; sorting
 * keeps this fast with tens of thousands of groups. 0 or -ENOMEM. */
static int dedupe_groups(struct user_target *t)
{
	struct gid_at *a;
	size_t n = 0;

	if (t->ngroups < 2)
		return 0;
	a = malloc(t->ngroups * sizeof(*a));
	if (!a)
		return -ENOMEM;
	for (size_t i = 0; i < t->ngroups; i++)
		a[i] = (struct gid_at){ t->groups[i], i };
	qsort(a, t->ngroups, sizeof(*a), gid_at_cmp);
	/* Mark the repeats with an impossible position, then compact. */
	for (size_t i = 1; i < t->ngroups; i++)
		if (a[i].gid == a[i - 1].gid)
			t->groups[a[i].at] = (gid_t)-1;
	for (size_t i = 0; i < t->ngroups; i++)
		if (t->groups[i] != (gid_t)-1)
			t->groups[n++] = t->groups[i];
	t->ngroups = n;
	free(a);
	return 0;
}

/* The kernel's limit on supplementary groups: 65536 since Linux 2.6.4,
 * fixed (/proc/sys/kernel/ngroups_max is read-only). Not sysconf: musl
 * answers its own NGROUPS_MAX there, 32, which would refuse real users. */
static size_t groups_max(void)
{
	return 65536;
}

/* Append g; repeats are dropped when the list has grown past twice the
 * kernel's limit, and at the end. -E2BIG past the limit, or -ENOMEM. */
static int add_group(struct user_target *t, gid_t g)
{
	size_t max = groups_max();

	if (t->ngroups == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		gid_t *a;

		if (t->ngroups >= 2 * max) {
			if (dedupe_groups(t))
				return -ENOMEM;
			if (t->ngroups > max)
				return -E2BIG;
		}
		if (t->ngroups == t->cap) {
			a = realloc(t->groups, cap * sizeof(*a));
			if (!a)
				return -ENOMEM;
			t->groups = a;
			t->cap = cap;
		}
	}
	t->groups[t->ngroups++] = g;
	return 0;
}

void user_target_free(struct user_target *t)
{
	free(t->groups);
	t->groups = NULL;
	t->ngroups = t->cap = 0;
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
		return add_group(q->t, e.gid);
	return 0;
}

static const char *read_error(int r)
{
	return r == -PASSWD_ENOTREG ? "not a regular file" : strerror(-r);
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
	if (r == -ENAMETOOLONG) {
		snprintf(err, errlen, "the entry of \"%s\" in %s has a name over %d or a home over %d bytes",
			 user, passwd_path, VIGIL_NAME_MAX, VIGIL_HOME_MAX);
		return r;
	}
	if (r && !(numeric && r == -ENOENT)) {
		snprintf(err, errlen, "cannot read %s: %s", passwd_path, read_error(r));
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
	char user[VIGIL_NAME_MAX + 1], group[VIGIL_NAME_MAX + 1];
	struct gr_find g = { 0 };
	unsigned id;
	int r;

	memset(t, 0, sizeof(*t));
	r = user_spec_split(spec, user, sizeof(user), group, sizeof(group));
	if (r == -ENAMETOOLONG) {
		snprintf(err, errlen, "user or group name in \"%.40s...\" is over %d bytes", spec, VIGIL_NAME_MAX);
		return r;
	}
	if (r) {
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
	r = add_group(t, t->gid);
	if (!r && (g.name || g.member)) {
		r = each_line(group_path, gr_match, &g);
		if (r == -ENOENT && !g.name)
			r = 0;
		if (r && r != -E2BIG && r != -ENOMEM) {
			snprintf(err, errlen, "cannot read %s: %s", group_path, read_error(r));
			return r;
		}
	}
	if (!r && g.name && !g.found) {
		snprintf(err, errlen, "group \"%s\" not found in %s", group, group_path);
		return -ENOENT;
	}
	if (!r && g.name) {
		t->gid = g.gid;
		t->groups[0] = g.gid;
	}
	if (!r)
		r = dedupe_groups(t);
	if (!r && t->ngroups > groups_max())
		r = -E2BIG;
	if (r == -E2BIG)
		snprintf(err, errlen, "user \"%s\" is in more than %zu groups (the kernel's limit)", user, groups_max());
	else if (r)
		snprintf(err, errlen, "list the groups of \"%s\": %s", user, strerror(-r));
	return r;
}
