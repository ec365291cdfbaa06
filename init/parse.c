/* parse: option value parsers, pure functions over strings so they are
 * easy to unit-test and fuzz. */
#include "parse.h"

#include "signals.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int parse_uint_max(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_duration_ms(const char *s, uint64_t *ms)
{
	uint64_t whole = 0, frac = 0, frac_div = 1, mult;
	const char *p = s;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		uint64_t d = (uint64_t)(*p - '0');

		if (whole > (UINT64_MAX - d) / 10)
			return -ERANGE;
		whole = whole * 10 + d;
	}
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -EINVAL;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (frac_div < 1000000000) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				frac_div *= 10;
			}
		}
	}
	if (*p == '\0' || strcmp(p, "s") == 0)
		mult = 1000;
	else if (strcmp(p, "ms") == 0)
		mult = 1;
	else if (strcmp(p, "m") == 0 || strcmp(p, "min") == 0)
		mult = 60000;
	else if (strcmp(p, "h") == 0)
		mult = 3600000;
	else
		return -EINVAL;
	/* frac < frac_div <= 1e9, so frac * mult cannot overflow. */
	frac = frac * mult / frac_div;
	if (whole > (UINT64_MAX - frac) / mult)
		return -ERANGE;
	*ms = whole * mult + frac;
	return 0;
}

int parse_exit_code(const char *s, int *code)
{
	unsigned long v;
	int r = parse_uint_max(s, 255, &v);

	if (r)
		return r;
	*code = (int)v;
	return 0;
}

int parse_rewrite(const char *s, int *from, int *to)
{
	char buf[64];
	const char *colon = s ? strchr(s, ':') : NULL;
	size_t n;
	int f, t;

	if (!colon)
		return -EINVAL;
	n = (size_t)(colon - s);
	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	f = sig_parse(buf, 0);
	t = sig_parse(colon + 1, 1);
	if (f < 0 || t < 0)
		return -EINVAL;
	*from = f;
	*to = t;
	return 0;
}

int parse_restart(const char *s, enum restart_mode *mode, unsigned *max)
{
	static const char of[] = "on-failure";
	unsigned long v;

	if (!s)
		return -EINVAL;
	if (strcmp(s, "no") == 0 || strcmp(s, "never") == 0) {
		*mode = RESTART_NO;
		*max = 0;
		return 0;
	}
	if (strncmp(s, of, sizeof(of) - 1) != 0)
		return -EINVAL;
	s += sizeof(of) - 1;
	if (*s == '\0') {
		*mode = RESTART_ON_FAILURE;
		*max = 0;
		return 0;
	}
	if (*s != ':' || parse_uint_max(s + 1, 1000000, &v) || v == 0)
		return -EINVAL;
	*mode = RESTART_ON_FAILURE;
	*max = (unsigned)v;
	return 0;
}

int parse_fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}
