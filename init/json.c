/* json: append-only object writer. No allocation, so it is usable late in
 * shutdown and on error paths. */
#include "json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void put(struct json *j, const char *s, size_t n)
{
	if (j->overflow || j->len + n + 1 > j->cap) {
		j->overflow = true;
		return;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static void puts_(struct json *j, const char *s)
{
	put(j, s, strlen(s));
}

/* Length of the valid UTF-8 sequence at s, 0 when s starts an invalid one
 * (stray continuation, overlong form, surrogate, above U+10FFFF, cut short). */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	size_t n;
	unsigned lo = 0x80, hi = 0xbf;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;      /* overlong */
	else if (c == 0xed)
		hi = 0x9f;      /* UTF-16 surrogates */
	else if (c == 0xf0)
		lo = 0x90;      /* overlong */
	else if (c == 0xf4)
		hi = 0x8f;      /* above U+10FFFF */
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/* The escape of the character at s into tmp (at most 6 bytes); *used gets
 * how many input bytes it stands for. A byte that is not part of valid
 * UTF-8 becomes U+FFFD, so the output always parses as JSON text. */
static size_t escape_one(const unsigned char *s, char *tmp, size_t *used)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char c = *s;
	size_t k;

	*used = 1;
	switch (c) {
	case '"': memcpy(tmp, "\\\"", 2); return 2;
	case '\\': memcpy(tmp, "\\\\", 2); return 2;
	case '\n': memcpy(tmp, "\\n", 2); return 2;
	case '\r': memcpy(tmp, "\\r", 2); return 2;
	case '\t': memcpy(tmp, "\\t", 2); return 2;
	default:
		break;
	}
	if (c < 0x20 || c == 0x7f) {
		memcpy(tmp, "\\u00", 4);
		tmp[4] = hex[c >> 4];
		tmp[5] = hex[c & 15];
		return 6;
	}
	if (c < 0x80) {
		tmp[0] = (char)c;
		return 1;
	}
	k = utf8_len(s);
	if (!k) {
		memcpy(tmp, "\\ufffd", 6);
		return 6;
	}
	memcpy(tmp, s, k);
	*used = k;
	return k;
}

size_t json_escape(const char *s, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0, w = 0;   /* length needed, length written */

	while (*p) {
		char tmp[6];
		size_t used, k = escape_one(p, tmp, &used);

		/* n only grows: once an escape does not fit, none after it
		 * does, so out stays a prefix made of whole escapes (and
		 * whole UTF-8 characters). */
		if (n + k < cap) {
			memcpy(out + n, tmp, k);
			w += k;
		}
		n += k;
		p += used;
	}
	if (cap)
		out[w] = '\0';
	return n;
}

void json_begin(struct json *j, char *buf, size_t cap)
{
	j->buf = buf;
	j->cap = cap;
	j->len = 0;
	j->first = true;
	j->overflow = cap == 0;
	if (cap)
		buf[0] = '\0';
	puts_(j, "{");
}

static void key(struct json *j, const char *k)
{
	char tmp[256];
	size_t n = json_escape(k, tmp, sizeof(tmp));

	if (!j->first)
		puts_(j, ",");
	j->first = false;
	puts_(j, "\"");
	if (n >= sizeof(tmp))
		j->overflow = true;
	else
		put(j, tmp, n);
	puts_(j, "\":");
}

void json_str(struct json *j, const char *k, const char *val)
{
	char tmp[1024];
	size_t n;

	key(j, k);
	if (!val) {
		puts_(j, "null");
		return;
	}
	n = json_escape(val, tmp, sizeof(tmp));
	puts_(j, "\"");
	if (n >= sizeof(tmp))
		j->overflow = true;
	else
		put(j, tmp, n);
	puts_(j, "\"");
}

void json_str_max(struct json *j, const char *k, const char *val, size_t max)
{
	static const char mark[] = "...";
	char tmp[JSON_STR_MAX + 1];
	size_t n;

	if (max > JSON_STR_MAX)
		max = JSON_STR_MAX;
	if (max < sizeof(mark) - 1)
		max = sizeof(mark) - 1;
	key(j, k);
	if (!val) {
		puts_(j, "null");
		return;
	}
	n = json_escape(val, tmp, max + 1);
	if (n > max) {
		/* Cut on a whole escape, then say that it was cut. */
		json_escape(val, tmp, max - (sizeof(mark) - 1) + 1);
		n = strlen(tmp);
		memcpy(tmp + n, mark, sizeof(mark));
		n += sizeof(mark) - 1;
	}
	puts_(j, "\"");
	put(j, tmp, n);
	puts_(j, "\"");
}

void json_int(struct json *j, const char *k, long long val)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%lld", val);

	key(j, k);
	put(j, tmp, (size_t)n);
}

void json_double(struct json *j, const char *k, double val)
{
	char tmp[48];
	int n;

	key(j, k);
	if (!isfinite(val)) {
		/* %f would print nan or inf, which is not JSON. */
		puts_(j, "null");
		return;
	}
	n = snprintf(tmp, sizeof(tmp), "%.6f", val);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		j->overflow = true;
		return;
	}
	put(j, tmp, (size_t)n);
}

void json_bool(struct json *j, const char *k, bool val)
{
	key(j, k);
	puts_(j, val ? "true" : "false");
}

void json_null(struct json *j, const char *k)
{
	key(j, k);
	puts_(j, "null");
}

long json_end(struct json *j)
{
	puts_(j, "}");
	return j->overflow ? -1 : (long)j->len;
}
