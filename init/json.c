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

size_t json_escape(const char *s, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0, w = 0;   /* length needed, length written */

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char tmp[7];
		size_t k;

		switch (c) {
		case '"': memcpy(tmp, "\\\"", 2); k = 2; break;
		case '\\': memcpy(tmp, "\\\\", 2); k = 2; break;
		case '\n': memcpy(tmp, "\\n", 2); k = 2; break;
		case '\r': memcpy(tmp, "\\r", 2); k = 2; break;
		case '\t': memcpy(tmp, "\\t", 2); k = 2; break;
		default:
			if (c < 0x20 || c == 0x7f) {
				memcpy(tmp, "\\u00", 4);
				tmp[4] = hex[c >> 4];
				tmp[5] = hex[c & 15];
				k = 6;
			} else {
				tmp[0] = (char)c;
				k = 1;
			}
		}
		/* n only grows: once an escape does not fit, none after it
		 * does, so out stays a prefix made of whole escapes. */
		if (n + k < cap) {
			memcpy(out + n, tmp, k);
			w += k;
		}
		n += k;
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
