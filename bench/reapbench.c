/* reapbench: zombie reaping. Each run starts "INIT -- orphans N" as PID 1
 * with its own /proc, lets the child make N orphans and wait until none is
 * left; reports time per orphan and the init's CPU time (utime+stime) per
 * 10,000 orphans. usage: reapbench TIMEOUT_MS ORPHANS N:REPS[,N:REPS...]
 * label=INIT... */
#include "lib.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SIZES 8
#define MAX_REPS 32

struct size {
	long n;
	int reps;
};

struct tally {
	double us_per[MAX_SIZES][MAX_REPS]; /* per orphan, per run */
	long cpu_ticks;
	long orphans;
	long zombies_left; /* worst run */
	bool never;        /* zombies were still there at the deadline */
};

static int parse_sizes(char *arg, struct size *s)
{
	char *save = NULL, *tok;
	int n = 0;

	for (tok = strtok_r(arg, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (n == MAX_SIZES || sscanf(tok, "%ld:%d", &s[n].n, &s[n].reps) != 2 ||
		    s[n].n <= 0 || s[n].reps <= 0 || s[n].reps > MAX_REPS)
			die_msg("sizes '%s': expected N:REPS (REPS <= %d)", tok, MAX_REPS);
		n++;
	}
	return n;
}

/* One run; returns microseconds per orphan and adds to the tally. */
static double run_once(const struct init_spec *init, const char *bin, long n,
		       long timeout_ms, struct tally *t)
{
	char count[32], timeout[32], *child[4], *argv[MAX_ARGS + 4];
	struct nsproc p;
	int64_t left, t0, elapsed;
	long cpu0;
	char ready;

	snprintf(count, sizeof(count), "%ld", n);
	snprintf(timeout, sizeof(timeout), "%ld", timeout_ms);
	child[0] = (char *)bin;
	child[1] = count;
	child[2] = timeout;
	child[3] = NULL;
	build_argv(argv, MAX_ARGS + 4, init, child);
	ns_spawn(&p, argv, NS_PIPE_IN | NS_PIPE_OUT | NS_MOUNT_PROC);
	if (read_timeout(p.from_child, &ready, 1, 5000) < 0 || ready != 'R')
		die_msg("%s: orphans did not start within 5 s", init->label);
	cpu0 = proc_cpu_ticks(p.pid);
	t0 = now_ns();
	write_all(p.to_child, "G", 1);
	/* The child bounds itself (fork retries + timeout); allow for both. */
	if (read_timeout(p.from_child, &left, sizeof(left), (int)timeout_ms + 15000) < 0)
		die_msg("%s: orphans gave no result", init->label);
	elapsed = now_ns() - t0;
	t->cpu_ticks += proc_cpu_ticks(p.pid) - cpu0;
	t->orphans += n;
	if (left > t->zombies_left)
		t->zombies_left = left;
	if (left > 0)
		t->never = true;
	ns_kill(&p);
	return (double)elapsed / 1e3 / (double)n;
}

static void report_size(const char *label, const struct tally *t, int k,
			const struct size *s)
{
	double v[MAX_REPS], med;
	char metric[32];

	snprintf(metric, sizeof(metric), "reap_%ld", s->n);
	if (t->never) {
		result(metric, label, NAN, "never reaps");
		return;
	}
	memcpy(v, t->us_per[k], sizeof(double) * (size_t)s->reps);
	sort_doubles(v, (size_t)s->reps);
	med = percentile(v, (size_t)s->reps, 50);
	if (s->reps == 1)
		result(metric, label, med, "%.1f", med);
	else
		result(metric, label, med, "%.1f (%.1f–%.1f)", med, v[0], v[s->reps - 1]);
}

static void report(const char *label, const struct tally *t,
		   const struct size *sizes, int nsizes)
{
	double ms;
	int k;

	for (k = 0; k < nsizes; k++)
		report_size(label, t, k, &sizes[k]);
	ms = (double)t->cpu_ticks * 1000.0 / (double)sysconf(_SC_CLK_TCK) *
	     10000.0 / (double)t->orphans;
	if (t->never)
		result("reap_cpu", label, NAN, "never reaps");
	else
		result("reap_cpu", label, ms, "%.1f", ms);
	result("zombies_left", label, (double)t->zombies_left, "%ld %s",
	       t->zombies_left, t->zombies_left ? "✗" : "✓");
}

int main(int argc, char **argv)
{
	static struct tally t[MAX_INITS];
	struct init_spec inits[MAX_INITS];
	struct size sizes[MAX_SIZES];
	int nsizes, n, k, r, i, j;
	long timeout;

	if (argc < 5 || (timeout = atol(argv[1])) < 100 || timeout > 120000)
		die_msg("usage: reapbench TIMEOUT_MS ORPHANS N:REPS[,...] label=INIT...");
	nsizes = parse_sizes(argv[3], sizes);
	n = parse_inits(argc - 4, argv + 4, inits);
	for (k = 0; k < nsizes; k++) {
		fprintf(stderr, "bench:   %ld orphans x %d\n", sizes[k].n, sizes[k].reps);
		for (r = 0; r < sizes[k].reps; r++) {
			for (j = 0; j < n; j++) {
				i = (r + j) % n;
				if (!t[i].never)
					t[i].us_per[k][r] = run_once(&inits[i], argv[2],
								     sizes[k].n, timeout, &t[i]);
			}
		}
	}
	for (i = 0; i < n; i++)
		report(inits[i].label, &t[i], sizes, nsizes);
	return 0;
}
