/* report: why the container ended, for machines (JSON) and for people
 * (the first line of the termination log). */
#include "report.h"

#include "config.h"
#include "json.h"
#include "parse.h"
#include "signals.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Counts that can be unknown are -1 in the struct and null in the JSON. */
static void json_int_or_null(struct json *j, const char *key, long v)
{
	if (v >= 0)
		json_int(j, key, v);
	else
		json_null(j, key);
}

long report_json(const struct exit_report *r, char *buf, size_t len)
{
	char name[16], rname[16];
	struct json j;
	bool sig = r->have_status && WIFSIGNALED(r->status);

	json_begin(&j, buf, len);
	json_int(&j, "schema_version", REPORT_SCHEMA_VERSION);
	json_str(&j, "reason", r->reason);
	json_int(&j, "exit_code", r->exit_code);
	if (r->have_status && WIFEXITED(r->status))
		json_int(&j, "child_exit_code", WEXITSTATUS(r->status));
	else
		json_null(&j, "child_exit_code");
	json_str(&j, "signal", sig ? sig_name(WTERMSIG(r->status), name, sizeof(name)) : NULL);
	if (sig)
		json_int(&j, "signal_number", WTERMSIG(r->status));
	else
		json_null(&j, "signal_number");
	json_bool(&j, "core_dumped", sig && WCOREDUMP(r->status));
	if (r->received_signal) {
		json_str(&j, "received_signal", sig_name(r->received_signal, rname, sizeof(rname)));
		json_int(&j, "received_signal_number", r->received_signal);
		json_int(&j, "sender_pid", r->sender_pid);
		json_int(&j, "sender_uid", r->sender_uid);
	} else {
		json_null(&j, "received_signal");
		json_null(&j, "received_signal_number");
		json_null(&j, "sender_pid");
		json_null(&j, "sender_uid");
	}
	json_str(&j, "command", r->command);
	json_int(&j, "pid", r->pid);
	json_double(&j, "duration_s", r->duration_s);
	json_int(&j, "restarts", r->restarts);
	json_int(&j, "processes_reaped", (long long)r->reaped);
	json_int_or_null(&j, "leftovers_signaled", r->leftovers);
	json_int_or_null(&j, "leftovers_killed", r->killed);
	if (r->oom_kills >= 0)
		json_int(&j, "oom_kills", r->oom_kills);
	else
		json_null(&j, "oom_kills");
	if (r->bounding)
		json_bool(&j, "bounding_set_cleared", r->bounding == 1);
	else
		json_null(&j, "bounding_set_cleared");
	json_str(&j, "error", r->error);
	json_str(&j, "vigil_version", VIGIL_VERSION);
	return json_end(&j);
}

static void summary(const struct exit_report *r, char *buf, size_t len)
{
	char name[16];

	if (r->have_status && WIFSIGNALED(r->status))
		snprintf(buf, len, "vigil: %s killed by %s after %.3fs (reason %s, exit code %d)",
			 r->command, sig_name(WTERMSIG(r->status), name, sizeof(name)),
			 r->duration_s, r->reason, r->exit_code);
	else if (r->have_status)
		snprintf(buf, len, "vigil: %s exited with code %d after %.3fs (reason %s, exit code %d)",
			 r->command, WEXITSTATUS(r->status), r->duration_s, r->reason, r->exit_code);
	else
		snprintf(buf, len, "vigil: %s did not run: %s (reason %s, exit code %d)",
			 r->command, r->error ? r->error : "-", r->reason, r->exit_code);
}

long report_termination_text(const struct exit_report *r, char *buf, size_t len)
{
	char line[600];
	size_t cap = len < TERMINATION_LOG_MAX ? len : TERMINATION_LOG_MAX;
	size_t n;
	long j;

	summary(r, line, sizeof(line));
	n = strlen(line);
	if (n + 2 > cap)
		return -1;
	memcpy(buf, line, n);
	buf[n++] = '\n';
	/* The JSON goes in whole or not at all: half an object helps nobody. */
	j = report_json(r, buf + n, cap - n - 1);
	if (j < 0) {
		buf[n] = '\0';
		return (long)n;
	}
	n += (size_t)j;
	buf[n++] = '\n';
	buf[n] = '\0';
	return (long)n;
}

static int write_all(int fd, const char *text, size_t len)
{
	while (len) {
		ssize_t n = write(fd, text, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

int report_write(const char *dest, const char *text, size_t len)
{
	unsigned long fdnum;
	int fd, r;

	if (strcmp(dest, "-") == 0)
		return write_all(STDERR_FILENO, text, len);
	if (strncmp(dest, "fd:", 3) == 0) {
		if (parse_uint_max(dest + 3, 1 << 20, &fdnum))
			return -EBADF;
		return write_all((int)fdnum, text, len);
	}
	fd = open(dest, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	r = write_all(fd, text, len);
	if (close(fd) < 0 && !r)
		r = -errno;
	return r;
}
