/* spawn_bench: start-up cost of an init. Each run is clone(CLONE_NEWPID) +
 * exec + wait, so plain /bin/true (the baseline) and every init alike start
 * as PID 1 of a namespace of their own; what differs is the init's share.
 * Runs are interleaved, the order rotated each round, and an init's
 * overhead is taken against the baseline of the same round, so slow drift
 * of the machine cancels out.
 * usage: spawn_bench ROUNDS label=INIT... */
#include "lib.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#define WARMUP 20
#define RUN_MS 2000

static char *true_argv[] = { "/bin/true", NULL };

/* One clone+exec+wait; returns its wall time in microseconds. */
static double run_once(const char *label, char *const argv[])
{
	struct nsproc p;
	int64_t t0 = now_ns();
	int status;

	ns_spawn(&p, argv, NS_MOUNT_PROC);
	if (ns_wait(&p, RUN_MS, &status) < 0) {
		ns_kill(&p);
		die_msg("%s: /bin/true under it did not finish within %d ms", label, RUN_MS);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die_msg("%s: wait status 0x%x, expected exit 0", label, status);
	return (double)(now_ns() - t0) / 1e3;
}

static void report(const char *metric, const char *label, double *v, size_t n)
{
	double med, p10, p90;

	sort_doubles(v, n);
	med = percentile(v, n, 50);
	p10 = percentile(v, n, 10);
	p90 = percentile(v, n, 90);
	result(metric, label, med, "%.0f (%.0f–%.0f)", med, p10, p90);
}

int main(int argc, char **argv)
{
	struct init_spec inits[MAX_INITS];
	char *argv_of[MAX_INITS + 1][MAX_ARGS + 4];
	const char *label_of[MAX_INITS + 1] = { "baseline" };
	double *t, *diff;
	int rounds, n, i, r;

	if (argc < 3 || (rounds = atoi(argv[1])) < 10 || rounds > 100000)
		die_msg("usage: spawn_bench ROUNDS(>=10) label=INIT...");
	n = parse_inits(argc - 2, argv + 2, inits);
	/* Slot 0 is the baseline, slots 1..n the inits running /bin/true. */
	argv_of[0][0] = true_argv[0];
	argv_of[0][1] = NULL;
	for (i = 0; i < n; i++) {
		build_argv(argv_of[i + 1], MAX_ARGS + 4, &inits[i], true_argv);
		label_of[i + 1] = inits[i].label;
	}
	t = calloc((size_t)(n + 1) * (size_t)rounds, sizeof(*t));
	diff = calloc((size_t)rounds, sizeof(*diff));
	if (!t || !diff)
		die("calloc");

	for (r = -WARMUP; r < rounds; r++) {
		for (i = 0; i <= n; i++) {
			int k = (i + (r > 0 ? r : 0)) % (n + 1);
			double us = run_once(label_of[k], argv_of[k]);

			if (r >= 0)
				t[(size_t)k * (size_t)rounds + (size_t)r] = us;
		}
	}
	for (i = 1; i <= n; i++) {
		for (r = 0; r < rounds; r++)
			diff[r] = t[(size_t)i * (size_t)rounds + (size_t)r] - t[r];
		report("startup_us", label_of[i], diff, (size_t)rounds);
	}
	report("baseline_us", "baseline", t, (size_t)rounds);
	return 0;
}
