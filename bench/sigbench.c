/* sigbench: signal forwarding latency. Every init runs sigrecv as its child;
 * SIGUSR1 goes to the init (PID 1 of its namespace) and the latency is the
 * child's receipt time minus the send time. Inits take turns, one signal in
 * flight at a time. usage: sigbench COUNT SIGRECV label=INIT... */
#include "lib.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#define WARMUP 20
#define WAIT_MS 1000

struct target {
	const char *label;
	struct nsproc p;
	double *lat;
	int n;
	bool lost; /* a signal did not arrive in WAIT_MS: stop sending */
};

static void start(struct target *t, const struct init_spec *init,
		  char *const child[])
{
	char *argv[MAX_ARGS + 4];
	char ready;

	build_argv(argv, MAX_ARGS + 4, init, child);
	t->label = init->label;
	ns_spawn(&t->p, argv, NS_PIPE_OUT);
	if (read_timeout(t->p.from_child, &ready, 1, 5000) < 0 || ready != 'R')
		die_msg("%s: sigrecv did not start within 5 s", t->label);
}

/* Send one SIGUSR1; returns the latency in microseconds, or -1 if lost. */
static double one_signal(struct target *t)
{
	int64_t sent, got;

	sent = now_ns();
	if (kill(t->p.pid, SIGUSR1) < 0)
		die("kill(init, SIGUSR1)");
	if (read_timeout(t->p.from_child, &got, sizeof(got), WAIT_MS) < 0)
		return -1;
	return (double)(got - sent) / 1e3;
}

static void step(struct target *t, int round)
{
	double us;

	if (t->lost)
		return;
	us = one_signal(t);
	if (us < 0) {
		fprintf(stderr, "bench: %s: SIGUSR1 not received within %d ms\n",
			t->label, WAIT_MS);
		t->lost = true;
	} else if (round >= WARMUP) {
		t->lat[t->n++] = us;
	}
}

static void report(struct target *t)
{
	double med, p10, p90, p99;

	if (t->lost) {
		result("sig_median", t->label, NAN, "not forwarded");
		result("sig_p99", t->label, NAN, "not forwarded");
		return;
	}
	sort_doubles(t->lat, (size_t)t->n);
	med = percentile(t->lat, (size_t)t->n, 50);
	p10 = percentile(t->lat, (size_t)t->n, 10);
	p90 = percentile(t->lat, (size_t)t->n, 90);
	p99 = percentile(t->lat, (size_t)t->n, 99);
	result("sig_median", t->label, med, "%.1f (%.1f–%.1f)", med, p10, p90);
	result("sig_p99", t->label, p99, "%.1f", p99);
}

int main(int argc, char **argv)
{
	struct init_spec inits[MAX_INITS];
	struct target t[MAX_INITS] = { 0 };
	char count[32];
	char *child[3];
	int n, i, r, total;

	if (argc < 4 || (total = atoi(argv[1])) < 10 || total > 100000)
		die_msg("usage: sigbench COUNT(>=10) SIGRECV label=INIT...");
	n = parse_inits(argc - 3, argv + 3, inits);
	snprintf(count, sizeof(count), "%d", total + WARMUP);
	child[0] = argv[2];
	child[1] = count;
	child[2] = NULL;
	for (i = 0; i < n; i++) {
		if (!(t[i].lat = calloc((size_t)total, sizeof(double))))
			die("calloc");
		start(&t[i], &inits[i], child);
	}
	for (r = 0; r < total + WARMUP; r++)
		for (i = 0; i < n; i++)
			step(&t[(r + i) % n], r);
	for (i = 0; i < n; i++) {
		ns_kill(&t[i].p);
		report(&t[i]);
	}
	return 0;
}
