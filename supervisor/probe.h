/* probe: one health probe at a time, as a child of vigil in a session of
 * its own, run as the dropped user under the same seccomp filter as the
 * service. Its stdout and stderr go to a pipe vigil reads (the last
 * PROBE_OUTPUT_MAX bytes are kept); stdin is /dev/null. TCP and HTTP
 * probes run in a forked process too: the loop never blocks on a
 * connect, and a timeout is a SIGKILL like for a command. */
#ifndef VIGIL_PROBE_H
#define VIGIL_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "child_plan.h"
#include "machine.h"
#include "probe_spec.h"

#define PROBE_OUTPUT_MAX 1024
#define PROBE_ERROR_MAX 256

struct probe_run {
	pid_t pid;                    /* 0: none running */
	int out_fd;                   /* read end of its output pipe, -1: closed */
	/* vigil's own copy of the write end while the probe runs: the pipe
	 * never reaches EOF, so a probe's end wakes vigil once (SIGCHLD),
	 * not once more for the pipe. */
	int out_hold;
	/* A command's exec-status pipe (CLOEXEC), read when it is reaped:
	 * a failure record there means it never ran. vigil does not wait
	 * for the exec at start. -1: none. */
	int status_fd;
	char tail[PROBE_OUTPUT_MAX];
	size_t tail_len;
	uint64_t started_ns;
	bool timed_out;               /* killed at its timeout */
	bool abandoned;               /* killed because the service is gone: no result */
	bool net;                     /* a TCP or HTTP check: its line says what failed */
};

struct probe_outcome {
	enum probe_result result;
	int exit_code;                /* -1: none (signal, spawn failure) */
	uint64_t duration_ms;
	char error[PROBE_ERROR_MAX];  /* "" when it passed */
	char output[PROBE_OUTPUT_MAX + 1];
};

void probe_run_init(struct probe_run *r);

/* Start the probe. cwd: where the service runs (NULL: vigil's own). 0, or
 * -1 with the outcome (a failure, the reason in o->error) already known:
 * nothing was left running. */
int probe_start(struct probe_run *r, const struct probe_spec *p, struct child_plan *plan,
		const char *cwd, uint64_t now_ns, struct probe_outcome *o);

/* The pipe to poll while the probe runs, or -1: a network probe's output
 * is vigil's own single line, far below the pipe's capacity, so it is
 * read only when the probe is reaped. */
int probe_poll_fd(const struct probe_run *r);

/* The output pipe is readable: keep its tail. */
void probe_read(struct probe_run *r);

/* SIGKILL the probe's whole session; timed_out says whether it timed out
 * (its result is then PR_TIMEOUT) or is abandoned (no result). */
void probe_kill(struct probe_run *r, bool timed_out);

/* pid was reaped: true when it was the probe, with *o filled (unless the
 * probe was abandoned: *abandoned set). Whatever its group left behind is
 * killed. */
bool probe_reaped(struct probe_run *r, pid_t pid, int status, uint64_t now_ns,
		  uint64_t timeout_ms, struct probe_outcome *o, bool *abandoned);

/* The network check itself, in the forked probe process: 0 healthy, or
 * -1; one line saying what happened in msg either way. */
int probe_net_check(const struct probe_spec *p, char *msg, size_t len);

/* Healthy (0) for a 2xx or 3xx status line, else -1; *code is the status,
 * or -1 when line is no status line. */
int probe_http_status(const char *line, int *code);

#endif
