/* idlebench: what an init costs while nothing happens. All inits run at
 * once, each with a sleeping child, through one common window; reports
 * VmRSS and voluntary+nonvoluntary context switches scaled per minute.
 * An init labelled "NAME+KIND" with --health-file in its options runs a
 * health probe: it is sampled right after a probe ended (its health
 * file's "checks" moved) at both ends of the window, so the window holds
 * whole probe cycles, and its switches per minute, probes per minute and
 * switches per probe are reported as probe_KIND_* for NAME. "@PORT@" in
 * an init's options becomes the port of a TCP listener on 127.0.0.1 that
 * this driver holds (the kernel completes the connections; none is
 * accepted, the backlog outlasts the window).
 * usage: idlebench WINDOW_MS label=INIT... */
#define _GNU_SOURCE
#include "lib.h"

#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define SETTLE_MS 500
/* Bounds the wait for a probe to end; probes run every second or so. */
#define PROBE_WAIT_MS 5000
/* After the health file moved, vigil finishes its wake and sleeps. */
#define AFTER_PROBE_MS 20

struct sample {
	long rss_kib;
	long switches;
	long checks;
	int64_t at_ns;
};

/* VmRSS and both context-switch counters from /proc/PID/status. */
static struct sample read_status(pid_t pid)
{
	struct sample s = { -1, 0, 0, 0 };
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
	s.at_ns = now_ns();
	return s;
}

/* The health file's "checks", or -1 while it does not exist yet. */
static long read_checks(const char *path)
{
	char buf[2048];
	const char *p;
	size_t n;
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strstr(buf, "\"checks\":");
	return p ? atol(p + 9) : -1;
}

static const char *health_file(const struct init_spec *s)
{
	for (int i = 0; i + 1 < s->argc; i++)
		if (!strcmp(s->argv[i], "--health-file"))
			return s->argv[i + 1];
	return NULL;
}

/* Samples every probing init right after its next probe ended. */
static void sample_after_probe(int n, const struct init_spec *inits, const struct nsproc *p,
			       struct sample *out)
{
	long was[MAX_INITS];
	int left = 0, i;
	int64_t deadline = now_ns() + (int64_t)PROBE_WAIT_MS * 1000000;

	for (i = 0; i < n; i++) {
		was[i] = health_file(&inits[i]) ? read_checks(health_file(&inits[i])) : -2;
		left += was[i] != -2;
	}
	while (left > 0) {
		if (now_ns() > deadline)
			die_msg("no probe ended within %d ms", PROBE_WAIT_MS);
		sleep_ms(2);
		for (i = 0; i < n; i++) {
			long c;

			if (was[i] == -2)
				continue;
			c = read_checks(health_file(&inits[i]));
			if (c <= was[i])
				continue;
			sleep_ms(AFTER_PROBE_MS);
			out[i] = read_status(p[i].pid);
			out[i].checks = read_checks(health_file(&inits[i]));
			if (out[i].checks != c)
				die_msg("%s: probes every %d ms or less are too fast to sample",
					inits[i].label, AFTER_PROBE_MS);
			was[i] = -2;
			left--;
		}
	}
}

/* A listener for TCP probes; its port replaces @PORT@ in the arguments. */
static int listen_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 1024) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0)
		die("TCP listener on 127.0.0.1");
	return ntohs(a.sin_port);
}

static char *with_port(const char *arg, int *port)
{
	const char *at = strstr(arg, "@PORT@");
	char *out;

	if (!at)
		return (char *)arg;
	if (!*port)
		*port = listen_port();
	if (asprintf(&out, "%.*s%d%s", (int)(at - arg), arg, *port, at + 6) < 0)
		die("asprintf");
	return out;
}

static void report_probe(const struct init_spec *s, const struct sample *a, const struct sample *b)
{
	char metric[64], label[64];
	const char *plus = strchr(s->label, '+');
	double mins = (double)(b->at_ns - a->at_ns) / 60e9;
	long probes = b->checks - a->checks, sw = b->switches - a->switches;

	snprintf(label, sizeof(label), "%.*s", (int)(plus - s->label), s->label);
	snprintf(metric, sizeof(metric), "probe_%s_ctx", plus + 1);
	result(metric, label, (double)sw / mins, "%.0f (%.0f)", (double)sw / mins,
	       (double)probes / mins);
	snprintf(metric, sizeof(metric), "probe_%s_per", plus + 1);
	if (probes > 0)
		result(metric, label, (double)sw / (double)probes, "%.2f (%ld in %ld probes)",
		       (double)sw / (double)probes, sw, probes);
	else
		result(metric, label, (double)NAN, "no probe ended");
}

int main(int argc, char **argv)
{
	static char *child[] = { "/bin/sleep", "600", NULL };
	struct init_spec inits[MAX_INITS];
	struct nsproc p[MAX_INITS];
	struct sample before[MAX_INITS], after[MAX_INITS];
	char *args[MAX_ARGS + 4];
	int window, n, i, port = 0, left;
	double per_min;

	if (argc < 3 || (window = atoi(argv[1])) < 100 || window > 60000)
		die_msg("usage: idlebench WINDOW_MS label=INIT...");
	for (i = 2; i < argc; i++)
		argv[i] = with_port(argv[i], &port);
	n = parse_inits(argc - 2, argv + 2, inits);
	for (i = 0; i < n; i++) {
		if (health_file(&inits[i]) && !strchr(inits[i].label, '+'))
			die_msg("%s: a probing init is labelled NAME+KIND", inits[i].label);
		build_argv(args, MAX_ARGS + 4, &inits[i], child);
		ns_spawn(&p[i], args, 0);
	}
	/* Let every init finish starting up: only the steady state counts. */
	sleep_ms(SETTLE_MS);
	for (i = 0; i < n; i++)
		before[i] = read_status(p[i].pid);
	sample_after_probe(n, inits, p, before);
	left = window - (int)((now_ns() - before[0].at_ns) / 1000000);
	if (left > 0)
		sleep_ms(left);
	for (i = 0; i < n; i++)
		after[i] = read_status(p[i].pid);
	sample_after_probe(n, inits, p, after);
	for (i = 0; i < n; i++) {
		if (health_file(&inits[i])) {
			report_probe(&inits[i], &before[i], &after[i]);
			continue;
		}
		per_min = (double)(after[i].switches - before[i].switches) * 60e9 /
			  (double)(after[i].at_ns - before[i].at_ns);
		result("idle_rss", inits[i].label, (double)after[i].rss_kib, "%ld", after[i].rss_kib);
		result("idle_ctx", inits[i].label, per_min, "%.0f", per_min);
	}
	for (i = 0; i < n; i++)
		ns_kill(&p[i]);
	return 0;
}
