/* teardown: the cost that grows with the leftovers. The main child
 * (leftovers) starts N processes that ignore SIGTERM, flat or in chains,
 * and exits; the time runs from its exit until the init under test is gone
 * (pid1: the init is PID 1 of the namespace) or has exited (sub: the init
 * is a subreaper under a stand-in PID 1). Inits that stop the tree with
 * TERM, a grace period and KILL (vigil's supervisor mode, the floor) have
 * GRACE_MS taken off; the others are reported as what happens instead:
 * as PID 1 they exit at once and the kernel KILLs the rest (no TERM), as a
 * subreaper they leave the rest running ("never").
 * usage: teardown pid1|sub N DEPTH GRACE_MS REPS LEFTOVERS STANDIN label=INIT...
 * An init with --grace among its words, or labelled "floor", has a grace. */
#include "lib.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CAP_MS 1000
#define MAX_REPS 20

static int64_t read_stamp(struct nsproc *p, char want, const char *label, int timeout_ms)
{
	char rec[9];
	int64_t t;

	if (read_timeout(p->from_child, rec, sizeof(rec), timeout_ms) < 0)
		die_msg("%s: no '%c' record within %d ms", label, want, timeout_ms);
	if (rec[0] != want && !(want == 'I' && rec[0] == 'N'))
		die_msg("%s: got record '%c', expected '%c'", label, rec[0], want);
	memcpy(&t, rec + 1, sizeof(t));
	return rec[0] == 'N' ? -1 : t;
}

/* One run: ms from the main child's exit to the init's end, or -1 when the
 * init left processes behind. */
static double run_once(bool sub, const struct init_spec *init, char *const child[],
		       const char *standin, int n)
{
	char *argv[2 * MAX_ARGS + 8], *inner[MAX_ARGS + 8];
	char cap[16];
	struct nsproc p;
	int64_t t_main, t_end;
	int status, spawn_ms = 5000 + n, i = 0;

	if (sub) {
		build_argv(inner, MAX_ARGS + 8, init, child);
		snprintf(cap, sizeof(cap), "%d", CAP_MS);
		argv[i++] = (char *)standin;
		argv[i++] = cap;
		argv[i++] = "--";
		for (int j = 0; inner[j]; j++)
			argv[i++] = inner[j];
		argv[i] = NULL;
	} else {
		build_argv(argv, MAX_ARGS + 8, init, child);
	}
	ns_spawn(&p, argv, NS_PIPE_OUT | NS_MOUNT_PROC);
	t_main = read_stamp(&p, 'M', init->label, spawn_ms);
	if (sub) {
		t_end = read_stamp(&p, 'I', init->label, CAP_MS + spawn_ms);
		if (ns_wait(&p, spawn_ms, &status) < 0)
			die_msg("%s: stand-in did not exit", init->label);
		if (t_end < 0)
			return -1;
	} else {
		if (ns_wait(&p, CAP_MS + spawn_ms, &status) < 0) {
			ns_kill(&p);
			return -1;
		}
		t_end = now_ns();
	}
	close(p.from_child);
	return (double)(t_end - t_main) / 1e6;
}

int main(int argc, char **argv)
{
	struct init_spec inits[MAX_INITS];
	char nbuf[16], dbuf[16], metric[64];
	char *child[4] = { NULL, nbuf, dbuf, NULL };
	double v[MAX_REPS];
	int n, depth, grace, reps, k;
	bool sub;

	if (argc < 9 || (strcmp(argv[1], "pid1") && strcmp(argv[1], "sub")) ||
	    (n = atoi(argv[2])) < 1 || (depth = atoi(argv[3])) < 1 ||
	    (grace = atoi(argv[4])) < 0 || (reps = atoi(argv[5])) < 1 || reps > MAX_REPS)
		die_msg("usage: teardown pid1|sub N DEPTH GRACE_MS REPS LEFTOVERS STANDIN label=INIT...");
	sub = strcmp(argv[1], "sub") == 0;
	child[0] = argv[6];
	snprintf(nbuf, sizeof(nbuf), "%d", n);
	snprintf(dbuf, sizeof(dbuf), "%d", depth);
	snprintf(metric, sizeof(metric), "td_%s_%d_%d", argv[1], n, depth);
	k = parse_inits(argc - 8, argv + 8, inits);
	for (int i = 0; i < k; i++) {
		const char *l = inits[i].label;
		bool graced = strcmp(l, "floor") == 0;
		int runs, got = 0;
		bool left = false;

		for (int a = 0; a < inits[i].argc; a++)
			graced = graced || strcmp(inits[i].argv[a], "--grace") == 0;
		runs = graced ? reps : 1;

		for (int r = 0; r < runs; r++) {
			double ms = run_once(sub, &inits[i], child, argv[7], n);

			if (ms < 0)
				left = true;
			else
				v[got++] = ms - (graced ? grace : 0);
		}
		if (left && sub)
			result(metric, l, NAN, "never");
		else if (left)
			result(metric, l, NAN, "never (>%d ms)", CAP_MS);
		else if (!graced)
			result(metric, l, NAN, "no TERM: exits, kernel KILLs");
		else {
			sort_doubles(v, (size_t)got);
			result(metric, l, percentile(v, (size_t)got, 50), got > 1 ? "%.0f (%.0f–%.0f)" : "%.0f",
			       percentile(v, (size_t)got, 50), v[0], v[got - 1]);
		}
	}
	return 0;
}
