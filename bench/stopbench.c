/* stopbench: shutdown. SIGTERM goes to the init (PID 1 of its namespace)
 * and the time runs until the init is gone, which the kernel only allows
 * once every process of the namespace is gone. "exit": the child dies on
 * TERM; "ignore": it ignores TERM, capped at CAP_MS, "never" beyond.
 * usage: stopbench exit|ignore ROUNDS CAP_MS TERMCHILD label=INIT... */
#include "lib.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROUNDS 1000

struct target {
	const struct init_spec *init;
	struct nsproc p;
	int64_t sent;
	double ms[MAX_ROUNDS];
	int n;
	bool never;
};

static void start(struct target *t, char *const child[])
{
	char *argv[MAX_ARGS + 4];
	char ready;

	build_argv(argv, MAX_ARGS + 4, t->init, child);
	ns_spawn(&t->p, argv, NS_PIPE_OUT | NS_MOUNT_PROC);
	if (read_timeout(t->p.from_child, &ready, 1, 5000) < 0 || ready != 'R')
		die_msg("%s: termchild did not start within 5 s", t->init->label);
}

static void send_term(struct target *t)
{
	t->sent = now_ns();
	if (kill(t->p.pid, SIGTERM) < 0)
		die("kill(init, SIGTERM)");
}

/* The init is gone: record the time since its SIGTERM and reap it. */
static void gone(struct target *t)
{
	int status;

	t->ms[t->n++] = (double)(now_ns() - t->sent) / 1e6;
	if (ns_wait(&t->p, 0, &status) < 0)
		die_msg("%s: pidfd readable but init not reapable", t->init->label);
	ns_kill(&t->p);
}

/* Wait for every started init at once, so each exit is timed when it
 * happens; whatever still runs cap_ms after the first SIGTERM of the
 * round (all are sent within microseconds) is "never". */
static void wait_all(struct target **live, int n, int cap_ms)
{
	struct pollfd pfd[MAX_INITS];
	int64_t deadline = live[0]->sent + (int64_t)cap_ms * 1000000;
	int i, r, left = n;

	while (left > 0 && now_ns() < deadline) {
		for (i = 0; i < n; i++) {
			pfd[i].fd = live[i] ? live[i]->p.pidfd : -1;
			pfd[i].events = POLLIN;
		}
		r = poll(pfd, (nfds_t)n, (int)((deadline - now_ns()) / 1000000) + 1);
		if (r < 0 && errno != EINTR)
			die("poll(pidfds)");
		for (i = 0; r > 0 && i < n; i++) {
			if (live[i] && (pfd[i].revents & POLLIN)) {
				gone(live[i]);
				live[i] = NULL;
				left--;
			}
		}
	}
	for (i = 0; i < n; i++) {
		if (live[i]) {
			live[i]->never = true;
			ns_kill(&live[i]->p);
		}
	}
}

/* "exit": one init at a time, so no shutdown competes with another. */
static void round_serial(struct target *t, int n, int r, int cap_ms, char *const child[])
{
	struct target *live;
	int j, i;

	for (j = 0; j < n; j++) {
		i = (r + j) % n;
		if (t[i].never)
			continue;
		start(&t[i], child);
		live = &t[i];
		send_term(live);
		wait_all(&live, 1, cap_ms);
	}
}

/* "ignore": all at once, so the inits that never stop share one cap. */
static void round_parallel(struct target *t, int n, int cap_ms, char *const child[])
{
	struct target *live[MAX_INITS];
	int i, k = 0;

	for (i = 0; i < n; i++)
		if (!t[i].never)
			start(&t[i], child);
	for (i = 0; i < n; i++)
		if (!t[i].never)
			live[k++] = &t[i];
	for (i = 0; i < k; i++)
		send_term(live[i]);
	if (k > 0)
		wait_all(live, k, cap_ms);
}

/* scale: 1000 reports microseconds, 1 milliseconds. */
static void report(const char *metric, struct target *t, int cap_ms, double scale)
{
	double med, p10, p90;
	size_t n = (size_t)t->n;

	if (t->never) {
		result(metric, t->init->label, NAN, "never (>%d ms)", cap_ms);
		return;
	}
	sort_doubles(t->ms, n);
	med = percentile(t->ms, n, 50) * scale;
	p10 = percentile(t->ms, n, 10) * scale;
	p90 = percentile(t->ms, n, 90) * scale;
	result(metric, t->init->label, med, "%.0f (%.0f–%.0f)", med, p10, p90);
}

int main(int argc, char **argv)
{
	static struct target t[MAX_INITS];
	struct init_spec inits[MAX_INITS];
	char *child[3];
	int rounds, cap, n, r, i;
	bool ignore;

	if (argc < 6 || (strcmp(argv[1], "exit") && strcmp(argv[1], "ignore")) ||
	    (rounds = atoi(argv[2])) < 1 || rounds > MAX_ROUNDS ||
	    (cap = atoi(argv[3])) < 10 || cap > 60000)
		die_msg("usage: stopbench exit|ignore ROUNDS CAP_MS TERMCHILD label=INIT...");
	ignore = strcmp(argv[1], "ignore") == 0;
	child[0] = argv[4];
	child[1] = argv[1];
	child[2] = NULL;
	n = parse_inits(argc - 5, argv + 5, inits);
	for (i = 0; i < n; i++)
		t[i].init = &inits[i];
	for (r = 0; r < rounds; r++) {
		if (ignore)
			round_parallel(t, n, cap, child);
		else
			round_serial(t, n, r, cap, child);
	}
	for (i = 0; i < n; i++)
		report(ignore ? "stop_ignore" : "stop_exit", &t[i], cap,
		       ignore ? 1 : 1000);
	return 0;
}
