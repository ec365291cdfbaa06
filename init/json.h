/* json: a tiny append-only JSON object writer into a fixed buffer; enough
 * for the trace lines and the exit report, with correct string escaping. */
#ifndef VIGIL_JSON_H
#define VIGIL_JSON_H

#include <stdbool.h>
#include <stddef.h>

struct json {
	char *buf;
	size_t cap;
	size_t len;
	bool first;        /* no member written yet in the current object */
	bool overflow;     /* something did not fit: the text is truncated */
};

void json_begin(struct json *j, char *buf, size_t cap);
void json_str(struct json *j, const char *key, const char *val); /* NULL val: null */
/* Like json_str, but a value whose escaped form is longer than max bytes
 * (capped at JSON_STR_MAX) is cut on a whole character and ends in "...":
 * the object never overflows because of it. */
#define JSON_STR_MAX 1023
void json_str_max(struct json *j, const char *key, const char *val, size_t max);
void json_int(struct json *j, const char *key, long long val);
void json_double(struct json *j, const char *key, double val);
void json_bool(struct json *j, const char *key, bool val);
void json_null(struct json *j, const char *key);
/* Closes the object; returns the length, or -1 on overflow. */
long json_end(struct json *j);

/* Escape s as a JSON string body into out (NUL-terminated); returns the
 * length that was needed, like snprintf. Bytes that are not valid UTF-8
 * become \ufffd (U+FFFD), one per byte, so the result is always valid. */
size_t json_escape(const char *s, char *out, size_t cap);

#endif
