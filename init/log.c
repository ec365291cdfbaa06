/* log: diagnostics and the event timeline. Everything goes to stderr with
 * a single write per line, so lines from vigil and its child do not mix. */
#include "log.h"
#include "json.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int log_verbosity = LOG_WARN;
enum log_format log_format = LOG_TEXT;
bool log_trace;
const char *log_prog = "vigil";

static struct timespec t0;
static bool t0_set;

void log_clock_start(void)
{
	clock_gettime(CLOCK_MONOTONIC, &t0);
	t0_set = true;
}

double log_uptime(void)
{
	struct timespec now;

	if (!t0_set)
		log_clock_start();
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9;
}

static void emit(const char *line, size_t len)
{
	/* Once nobody reads stderr nobody ever will (a pipe does not get
	 * its reader back): each further write would only queue one more
	 * SIGPIPE on vigil. */
	static bool broken;

	/* A failed write to stderr has nowhere to be reported. */
	while (len > 0 && !broken) {
		ssize_t n = write(STDERR_FILENO, line, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EPIPE)
			broken = true;
		if (n <= 0)
			return;
		line += n;
		len -= (size_t)n;
	}
}

static const char *const level_names[] = { "error", "warn", "info", "debug" };

static long json_line(char *line, size_t cap, int level, const char *msg, const char *suffix)
{
	struct json j;

	json_begin(&j, line, cap);
	json_double(&j, "ts", log_uptime());
	json_str(&j, "level", level_names[level < 0 ? 0 : level > LOG_DEBUG ? LOG_DEBUG : level]);
	json_str(&j, "msg", msg);
	if (suffix)
		json_str(&j, "error", suffix);
	return json_end(&j);
}

/* {"ts":..,"level":"warn","msg":"..."[,"error":"..."]}, in the trace's
 * style, so a JSON collector never sees a text line from vigil. */
static void vlog_json(int level, const char *suffix, const char *fmt, va_list ap)
{
	/* 160 bytes escape to at most 960, which always fits. */
	enum { SHORT = 160 };
	char msg[1024], line[2560];
	long l;

	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		return;
	l = json_line(line, sizeof(line) - 1, level, msg, suffix);
	if (l < 0) {
		/* Too long once escaped: cut on a UTF-8 boundary, never drop. */
		size_t cut = strnlen(msg, SHORT);

		while (cut > 0 && ((unsigned char)msg[cut] & 0xc0) == 0x80)
			cut--;
		memcpy(msg + cut, "...", 4);
		l = json_line(line, sizeof(line) - 1, level, msg, suffix && strlen(suffix) < SHORT ? suffix : NULL);
		if (l < 0)
			return;
	}
	line[l] = '\n';
	emit(line, (size_t)l + 1);
}

static void vlog(int level, const char *suffix, const char *fmt, va_list ap)
{
	char line[1024];
	int n, m;

	if (log_format == LOG_JSON) {
		vlog_json(level, suffix, fmt, ap);
		return;
	}
	n = snprintf(line, sizeof(line), "%s: ", log_prog);

	if (n < 0)
		return;
	m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	if (m < 0)
		return;
	n += m;
	if ((size_t)n >= sizeof(line) - 1)
		n = (int)sizeof(line) - 2;
	if (suffix) {
		int k = snprintf(line + n, sizeof(line) - (size_t)n, ": %s", suffix);

		if (k > 0)
			n += k;
		if ((size_t)n >= sizeof(line) - 1)
			n = (int)sizeof(line) - 2;
	}
	line[n++] = '\n';
	emit(line, (size_t)n);
}

void log_msg(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > log_verbosity)
		return;
	va_start(ap, fmt);
	vlog(level, NULL, fmt, ap);
	va_end(ap);
}

void log_errno(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, strerror(err), fmt, ap);
	va_end(ap);
}

void trace_event(const char *event, const struct trace_field *f, int n)
{
	char line[1536];
	int len;

	if (!log_trace)
		return;
	if (log_format == LOG_JSON) {
		struct json j;
		long l;

		json_begin(&j, line, sizeof(line) - 1);
		json_double(&j, "ts", log_uptime());
		json_str(&j, "event", event);
		for (int i = 0; i < n; i++) {
			if (f[i].str)
				json_str(&j, f[i].key, f[i].str);
			else
				json_int(&j, f[i].key, f[i].num);
		}
		l = json_end(&j);
		if (l < 0)
			return;
		line[l] = '\n';
		emit(line, (size_t)l + 1);
		return;
	}
	len = snprintf(line, sizeof(line), "%s: [%.6f] %s", log_prog, log_uptime(), event);
	for (int i = 0; i < n && len > 0 && (size_t)len < sizeof(line) - 1; i++) {
		int k;

		if (f[i].str)
			k = snprintf(line + len, sizeof(line) - (size_t)len, " %s=%s", f[i].key, f[i].str);
		else
			k = snprintf(line + len, sizeof(line) - (size_t)len, " %s=%lld", f[i].key, f[i].num);
		if (k < 0)
			return;
		len += k;
	}
	if (len < 0)
		return;
	if ((size_t)len >= sizeof(line) - 1)
		len = (int)sizeof(line) - 2;
	line[len++] = '\n';
	emit(line, (size_t)len);
}
