/* idlebench: what an init costs while nothing happens. All inits run at
 * once, each with a sleeping child, through one common window; reports
 * VmRSS and voluntary+nonvoluntary context switches scaled per minute.
 * usage: idlebench WINDOW_MS label=INIT... */
#include "lib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SETTLE_MS 500

struct sample {
	long rss_kib;
	long switches;
};

/* VmRSS and both context-switch counters from /proc/PID/status. */
static struct sample read_status(pid_t pid)
{
	struct sample s = { -1, 0 };
	char path[64], line[256];
	int found = 0;
	long v;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		die(path);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "VmRSS: %ld", &v) == 1) {
			s.rss_kib = v;
			found++;
		} else if (sscanf(line, "voluntary_ctxt_switches: %ld", &v) == 1 ||
			   sscanf(line, "nonvoluntary_ctxt_switches: %ld", &v) == 1) {
			s.switches += v;
			found++;
		}
	}
	fclose(f);
	if (found != 3)
		die_msg("%s: VmRSS or ctxt_switches missing", path);
	return s;
}

int main(int argc, char **argv)
{
	static char *child[] = { "/bin/sleep", "600", NULL };
	struct init_spec inits[MAX_INITS];
	struct nsproc p[MAX_INITS];
	struct sample before[MAX_INITS], after;
	char *args[MAX_ARGS + 4];
	int window, n, i;
	double per_min;

	if (argc < 3 || (window = atoi(argv[1])) < 100 || window > 60000)
		die_msg("usage: idlebench WINDOW_MS(100..60000) label=INIT...");
	n = parse_inits(argc - 2, argv + 2, inits);
	for (i = 0; i < n; i++) {
		build_argv(args, MAX_ARGS + 4, &inits[i], child);
		ns_spawn(&p[i], args, 0);
	}
	/* Let every init finish starting up: only the steady state counts. */
	sleep_ms(SETTLE_MS);
	for (i = 0; i < n; i++)
		before[i] = read_status(p[i].pid);
	sleep_ms(window);
	for (i = 0; i < n; i++) {
		after = read_status(p[i].pid);
		per_min = (double)(after.switches - before[i].switches) * 60000.0 / window;
		result("idle_rss", inits[i].label, (double)after.rss_kib, "%ld", after.rss_kib);
		result("idle_ctx", inits[i].label, per_min, "%.0f", per_min);
	}
	for (i = 0; i < n; i++)
		ns_kill(&p[i]);
	return 0;
}
