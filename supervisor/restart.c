/* restart: policy decisions are pure functions; the state file is the
 * only thing that outlives vigil, written through safefile (new file and
 * rename) so a crash or an OOM kill mid-write never leaves half a file. */
#include "restart.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int restart_state_parse(const char *text, struct run_state *s)
{
	const char *line = text;

	s->runs = 0;
	s->restarts = 0;
	s->last_exit = -1;
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		char key[32];
		long v;

		if (*line != '\n' && *line != '#') {
			if (sscanf(line, "%31[a-z_]=%ld", key, &v) != 2 || v < -1 || v > 1000000000)
				return -EINVAL;
			if (strcmp(key, "runs") == 0 && v >= 0)
				s->runs = (unsigned)v;
			else if (strcmp(key, "restarts") == 0 && v >= 0)
				s->restarts = (unsigned)v;
			else if (strcmp(key, "last_exit") == 0)
				s->last_exit = (int)v;
			else
				return -EINVAL;
		}
		line = nl ? nl + 1 : NULL;
	}
	return 0;
}

int restart_state_format(const struct run_state *s, char *buf, unsigned long len)
{
	int n = snprintf(buf, len, "# vigil run state: delete this file to allow a fresh start\n"
			 "runs=%u\nrestarts=%u\nlast_exit=%d\n", s->runs, s->restarts, s->last_exit);

	return n < 0 || (unsigned long)n >= len ? -ENOSPC : n;
}

int restart_state_load(const struct safe_dest *d, struct run_state *s)
{
	char buf[RESTART_STATE_MAX];
	size_t len;
	int r = safefile_read(d, buf, sizeof(buf), &len);

	if (r == -ENOENT)
		return restart_state_parse("", s);
	return r ? r : restart_state_parse(buf, s);
}

int restart_state_save(const struct safe_dest *d, const struct run_state *s)
{
	char buf[512];
	int n = restart_state_format(s, buf, sizeof(buf));

	return n < 0 ? n : safefile_write(d, buf, (size_t)n);
}

uint64_t restart_backoff_ms(uint64_t base, unsigned n)
{
	uint64_t d = base;

	for (unsigned i = 0; i < n && d < RESTART_DELAY_CAP_MS; i++)
		d *= 2;
	return d < RESTART_DELAY_CAP_MS ? d : RESTART_DELAY_CAP_MS;
}

bool restart_wanted(enum restart_mode mode, unsigned max, unsigned restarts, int exit_code)
{
	if (mode != RESTART_ON_FAILURE || exit_code == 0)
		return false;
	return max == 0 || restarts < max;
}

int restart_admit(const struct safe_dest *d, enum restart_mode mode, unsigned max,
		  struct run_state *s, enum failure *f, char *err, size_t errlen)
{
	int r = restart_state_load(d, s);

	if (r) {
		snprintf(err, errlen, "read state file %s: %s", d->shown, safefile_strerror(-r));
		*f = FAIL_INTERNAL;
		return -1;
	}
	if (s->runs > 0 && mode == RESTART_NO) {
		snprintf(err, errlen, "state file %s records %u earlier run(s) and --restart is no",
			 d->shown, s->runs);
		*f = FAIL_RESTART_REFUSED;
		return -1;
	}
	if (s->runs > 0 && max && s->restarts >= max) {
		snprintf(err, errlen, "state file %s records %u restart(s), the limit is %u",
			 d->shown, s->restarts, max);
		*f = FAIL_RESTART_LIMIT;
		return -1;
	}
	if (s->runs > 0)
		s->restarts++;
	s->runs++;
	s->last_exit = -1;
	r = restart_state_save(d, s);
	if (r) {
		snprintf(err, errlen, "write state file %s: %s", d->shown, safefile_strerror(-r));
		*f = FAIL_INTERNAL;
		return -1;
	}
	return 0;
}
