/* rlimits: see rlimits.h. The names are the ones prlimit(1) and Docker's
 * --ulimit use, so a limit reads the same in a unit file, a compose file
 * and vigil's command line. */
#include "rlimits.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/syscall.h>
#include <unistd.h>

static const struct {
	const char *name;
	int resource;
} names[] = {
	{ "as", RLIMIT_AS }, { "core", RLIMIT_CORE }, { "cpu", RLIMIT_CPU },
	{ "data", RLIMIT_DATA }, { "fsize", RLIMIT_FSIZE }, { "locks", RLIMIT_LOCKS },
	{ "memlock", RLIMIT_MEMLOCK }, { "msgqueue", RLIMIT_MSGQUEUE },
	{ "nice", RLIMIT_NICE }, { "nofile", RLIMIT_NOFILE }, { "nproc", RLIMIT_NPROC },
	{ "rss", RLIMIT_RSS }, { "rtprio", RLIMIT_RTPRIO }, { "rttime", RLIMIT_RTTIME },
	{ "sigpending", RLIMIT_SIGPENDING }, { "stack", RLIMIT_STACK },
};

/* A decimal count or "unlimited"/"infinity", the whole of [s, end). */
static int parse_value(const char *s, const char *end, rlim_t *v)
{
	size_t n = (size_t)(end - s);
	uint64_t x = 0;

	if ((n == 9 && strncasecmp(s, "unlimited", 9) == 0) ||
	    (n == 8 && strncasecmp(s, "infinity", 8) == 0)) {
		*v = RLIM_INFINITY;
		return 0;
	}
	if (n == 0)
		return -EINVAL;
	for (; s < end; s++) {
		unsigned d = (unsigned)(*s - '0');

		if (d > 9 || x > (UINT64_MAX - d) / 10)
			return -EINVAL;
		x = x * 10 + d;
	}
	/* The all-ones value is the kernel's "unlimited": say it in words. */
	if ((rlim_t)x != x || (rlim_t)x == RLIM_INFINITY)
		return -EINVAL;
	*v = (rlim_t)x;
	return 0;
}

int rlimit_parse(const char *spec, struct rlimit_req *r, const char **bad)
{
	const char *eq = strchr(spec, '='), *colon;
	size_t n = eq ? (size_t)(eq - spec) : 0;
	size_t i;

	*bad = "name";
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (n == strlen(names[i].name) && strncasecmp(spec, names[i].name, n) == 0)
			break;
	if (!eq || i == sizeof(names) / sizeof(names[0]))
		return -EINVAL;
	r->name = names[i].name;
	r->resource = names[i].resource;
	*bad = "value";
	colon = strchr(eq + 1, ':');
	if (parse_value(eq + 1, colon ? colon : eq + 1 + strlen(eq + 1), &r->lim.rlim_cur))
		return -EINVAL;
	r->lim.rlim_max = r->lim.rlim_cur;
	if (colon && parse_value(colon + 1, colon + 1 + strlen(colon + 1), &r->lim.rlim_max))
		return -EINVAL;
	*bad = "order";
	if (r->lim.rlim_cur > r->lim.rlim_max)
		return -EINVAL;
	*bad = NULL;
	return 0;
}

bool rlimit_raise_refused(const struct rlimit_req *r, const struct rlimit *cur, bool can_raise)
{
	/* RLIM_INFINITY is the largest value, so "unlimited" compares right. */
	return r->lim.rlim_max > cur->rlim_max && !can_raise;
}

/* capget's ABI, spelled out: the musl build has no kernel headers. */
#define CAP_VERSION_3 0x20080522
#define CAP_SYS_RESOURCE_BIT 24

bool rlimit_can_raise(void)
{
	struct { uint32_t version; int pid; } h = { CAP_VERSION_3, 0 };
	struct { uint32_t effective, permitted, inheritable; } d[2];

	/* Without an answer, assume not: the child's setrlimit decides. */
	if (syscall(SYS_capget, &h, d) < 0)
		return false;
	return d[0].effective & (1u << CAP_SYS_RESOURCE_BIT);
}

int rlimit_apply(const struct rlimit_req *r, unsigned n, struct spawn_error *e)
{
	for (unsigned i = 0; i < n; i++) {
		if (setrlimit(r[i].resource, &r[i].lim) == 0)
			continue;
		e->stage = STAGE_RLIMIT;
		e->err = errno;
		/* snprintf is not async-signal-safe: build the text by hand. */
		memcpy(e->what, "set resource limit ", 19);
		memcpy(e->what + 19, r[i].name, strlen(r[i].name) + 1);
		return -1;
	}
	return 0;
}

void rlimit_format(rlim_t v, char *buf, size_t len)
{
	if (v == RLIM_INFINITY)
		snprintf(buf, len, "unlimited");
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
}
