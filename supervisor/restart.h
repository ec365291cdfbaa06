/* restart: the restart policy, its backoff, and the state file that makes
 * the policy hold across restarts done by the container runtime. */
#ifndef VIGIL_RESTART_H
#define VIGIL_RESTART_H

#include <stdbool.h>
#include <stdint.h>

#include "failure.h"
#include "parse.h"
#include "safefile.h"

/* A state file is a few lines; comments may make it longer, never this. */
#define RESTART_STATE_MAX 65536

#define RESTART_DELAY_CAP_MS 60000

struct run_state {
	unsigned runs;          /* vigil starts recorded, this one included */
	unsigned restarts;      /* child restarts, in-process and by the runtime */
	int last_exit;          /* -1: unknown (the previous run did not finish) */
};

/* Pure: parse / format the state file text ("runs=2\nrestarts=1\n..."). */
int restart_state_parse(const char *text, struct run_state *s);
int restart_state_format(const struct run_state *s, char *buf, unsigned long len);

/* Load the whole file (missing: zero state; larger than
 * RESTART_STATE_MAX: -EFBIG), 0 or -errno / -SF_*. Save atomically
 * (temporary file + rename, see safefile_write), 0 or -errno / -SF_*. */
int restart_state_load(const struct safe_dest *d, struct run_state *s);
int restart_state_save(const struct safe_dest *d, const struct run_state *s);

/* Admission at start: a run after the first one means the runtime
 * restarted the container. With --restart no that start is refused; with
 * on-failure:MAX it counts as a restart, refused once MAX are used up. An
 * admitted run is recorded (runs + 1, last exit unknown) before anything
 * runs, so a crash of vigil itself still counts. 0, or -1 with *f and a
 * one-line message in err (nothing printed); a refused start leaves the
 * file as it was. */
int restart_admit(const struct safe_dest *d, enum restart_mode mode, unsigned max,
		  struct run_state *s, enum failure *f, char *err, size_t errlen);

/* Delay before restart number n (0-based): base * 2^n, capped. */
uint64_t restart_backoff_ms(uint64_t base, unsigned n);

/* Should a child that ended with this exit code be restarted, given
 * restarts so far? */
bool restart_wanted(enum restart_mode mode, unsigned max, unsigned restarts, int exit_code);

#endif
