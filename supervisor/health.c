/* health: see health.h. The file is written by vigil only and read by
 * anyone: the reader looks for keys vigil wrote (a string value cannot
 * hold an unescaped quote, so `"status":` only matches the key). */
#include "health.h"

#include "json.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void health_record_init(struct health_record *h, uint64_t interval_ms, uint64_t timeout_ms)
{
	memset(h, 0, sizeof(*h));
	h->last_exit = -1;
	h->interval_ms = interval_ms;
	h->timeout_ms = timeout_ms;
}

void health_record_probe(struct health_record *h, const struct probe_outcome *o, double now_unix)
{
	h->last_exit = o->exit_code;
	snprintf(h->last_error, sizeof(h->last_error), "%s", o->error);
	snprintf(h->last_output, sizeof(h->last_output), "%s", o->output);
	h->last_check_unix = now_unix;
	h->last_duration_ms = o->duration_ms;
	h->total_duration_ms += o->duration_ms;
}

void health_record_sync(struct health_record *h, const struct health *m)
{
	h->status = m->status;
	h->fails = m->fails;
	h->checks = m->checks;
	h->failures = m->failures;
	h->unhealthy_restarts = m->unhealthy_restarts;
}

/* The output tail may escape beyond what json.h takes in one string: it
 * goes last, escaped straight into the buffer. */
static long add_output(char *buf, size_t len, long n, const char *out)
{
	static const char key[] = ",\"last_output\":";
	size_t at = (size_t)n - 1, need;

	if (at + sizeof(key) + 8 > len)
		return -1;
	memcpy(buf + at, key, sizeof(key) - 1);
	at += sizeof(key) - 1;
	if (!out) {
		memcpy(buf + at, "null", 4);
		at += 4;
	} else {
		buf[at++] = '"';
		need = json_escape(out, buf + at, len - at);
		if (need >= len - at)
			return -1;
		at += need;
		buf[at++] = '"';
	}
	if (at + 3 > len)
		return -1;
	buf[at++] = '}';
	buf[at++] = '\n';
	buf[at] = '\0';
	return (long)at;
}

long health_json(const struct health_record *h, double now_unix, char *buf, size_t len)
{
	struct json j;
	bool ran = h->checks > 0;
	long n;

	json_begin(&j, buf, len);
	/* status first: a reader finds it before any long field. */
	json_str(&j, "status", health_status_name(h->status));
	json_int(&j, "schema_version", HEALTH_SCHEMA_VERSION);
	json_int(&j, "consecutive_failures", h->fails);
	json_int(&j, "checks", (long long)h->checks);
	json_int(&j, "failures", (long long)h->failures);
	json_int(&j, "unhealthy_restarts", h->unhealthy_restarts);
	json_double(&j, "updated_unix", now_unix);
	json_int(&j, "interval_ms", (long long)h->interval_ms);
	json_int(&j, "timeout_ms", (long long)h->timeout_ms);
	if (ran) {
		json_double(&j, "last_check_unix", h->last_check_unix);
		json_int(&j, "last_duration_ms", (long long)h->last_duration_ms);
		json_double(&j, "mean_duration_ms", (double)h->total_duration_ms / (double)h->checks);
	} else {
		json_null(&j, "last_check_unix");
		json_null(&j, "last_duration_ms");
		json_null(&j, "mean_duration_ms");
	}
	if (ran && h->last_exit >= 0)
		json_int(&j, "last_exit_code", h->last_exit);
	else
		json_null(&j, "last_exit_code");
	json_str_max(&j, "last_error", ran && h->last_error[0] ? h->last_error : NULL, JSON_STR_MAX);
	n = json_end(&j);
	if (n < 2)
		return -1;
	return add_output(buf, len, n, ran ? h->last_output : NULL);
}

/* ---- reader ------------------------------------------------------------ */

static const char *find_key(const char *text, const char *key)
{
	char pat[64];
	const char *at;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	at = strstr(text, pat);
	return at ? at + strlen(pat) : NULL;
}

static int key_number(const char *text, const char *key, double *out)
{
	const char *v = find_key(text, key);
	char *end;

	if (!v || strncmp(v, "null", 4) == 0)
		return -1;
	*out = strtod(v, &end);
	return end == v ? -1 : 0;
}

/* A string value, unescaped only as far as a one-line message needs. */
static int key_string(const char *text, const char *key, char *out, size_t len)
{
	const char *v = find_key(text, key);
	size_t n = 0;

	if (!v || *v != '"')
		return -1;
	for (v++; *v && *v != '"' && n + 1 < len; v++) {
		if (*v == '\\' && v[1])
			v++;
		out[n++] = *v;
	}
	out[n] = '\0';
	return 0;
}

int health_verdict(const char *text, double now_unix, char *why, size_t len)
{
	char status[16], err[PROBE_ERROR_MAX];
	double updated, interval, timeout, fails = 0, limit;

	if (key_string(text, "status", status, sizeof(status)) || key_number(text, "updated_unix", &updated) ||
	    key_number(text, "interval_ms", &interval) || key_number(text, "timeout_ms", &timeout)) {
		snprintf(why, len, "invalid: not a vigil health file");
		return 1;
	}
	/* Nothing rewrote it for two probe rounds: vigil is gone or stuck. */
	limit = (2 * interval + timeout) / 1000.0;
	if (now_unix - updated > limit) {
		snprintf(why, len, "stale: last written %.0f s ago (limit %.0f s: two intervals and the timeout)",
			 now_unix - updated, limit);
		return 1;
	}
	if (strcmp(status, "healthy") == 0) {
		snprintf(why, len, "healthy");
		return 0;
	}
	if (key_string(text, "last_error", err, sizeof(err)))
		snprintf(err, sizeof(err), "none yet");
	(void)key_number(text, "consecutive_failures", &fails);
	if (strcmp(status, "starting") == 0)
		snprintf(why, len, "starting: no probe has passed yet (last error: %s)", err);
	else if (strcmp(status, "unhealthy") == 0)
		snprintf(why, len, "unhealthy: %.0f consecutive failures, last: %s", fails, err);
	else
		snprintf(why, len, "invalid: unknown status '%s'", status);
	return 1;
}

double health_now_unix(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The reader runs as anyone, in an exec probe: it must not block on a
 * FIFO someone put there, nor read a device. */
static int read_file(const char *path, char *buf, size_t cap, char *why, size_t len)
{
	struct stat st;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd < 0) {
		snprintf(why, len, "%s: %s: %s", errno == ENOENT ? "missing" : "unreadable", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, len, "invalid: %s: not a regular file", path);
		close(fd);
		return -1;
	}
	while (got < cap - 1) {
		ssize_t n = read(fd, buf + got, cap - 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(why, len, "unreadable: %s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	return 0;
}

int health_main(int argc, char **argv)
{
	static char text[HEALTH_JSON_MAX + 1];
	char why[PROBE_ERROR_MAX + 128];
	int r = 1;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: vigil health PATH (exit 0 when PATH says healthy, 1 otherwise)\n");
		return 64;
	}
	if (read_file(argv[1], text, sizeof(text), why, sizeof(why)) == 0)
		r = health_verdict(text, health_now_unix(), why, sizeof(why));
	printf("%s\n", why);
	return fflush(stdout) == 0 ? r : 1;
}
