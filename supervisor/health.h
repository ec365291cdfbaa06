/* health: the health state others can read. The record behind
 * --health-file and the report's summary, its JSON form, and the reader
 * side: `vigil health PATH`, whose verdict needs nothing else in the image. */
#ifndef VIGIL_HEALTH_H
#define VIGIL_HEALTH_H

#include <stddef.h>
#include <stdint.h>

#include "machine.h"
#include "probe.h"

#define HEALTH_SCHEMA_VERSION 1
/* Every field bounded: the output tail (1 KiB) escapes to 6 KiB at worst,
 * the error (255 bytes) to 1.5 KiB. */
#define HEALTH_JSON_MAX 10240

struct health_record {
	/* From the machine. */
	enum health_status status;
	unsigned fails;
	unsigned long checks, failures;
	unsigned unhealthy_restarts;
	/* From the probes. */
	int last_exit;                        /* -1: none */
	char last_error[PROBE_ERROR_MAX];     /* "": the last probe passed */
	char last_output[PROBE_OUTPUT_MAX + 1];
	double last_check_unix;               /* end of the last probe; 0: none yet */
	uint64_t last_duration_ms, total_duration_ms;
	/* Settings the reader needs to tell a stale file. */
	uint64_t interval_ms;                 /* in effect for the next probe */
	uint64_t timeout_ms;
};

void health_record_init(struct health_record *h, uint64_t interval_ms, uint64_t timeout_ms);
void health_record_probe(struct health_record *h, const struct probe_outcome *o, double now_unix);
void health_record_sync(struct health_record *h, const struct health *m);

/* The file's JSON (one object and a newline), written at now_unix.
 * Returns its length, or -1 when it did not fit. */
long health_json(const struct health_record *h, double now_unix, char *buf, size_t len);

/* Pure verdict of a health file's text at now_unix: 0 healthy, 1 not,
 * with one line in why (healthy, starting, unhealthy, stale, invalid). */
int health_verdict(const char *text, double now_unix, char *why, size_t len);

/* CLOCK_REALTIME in seconds: the file is read by other processes. */
double health_now_unix(void);

/* `vigil health PATH`: argv[0] is "health". Exit 0 healthy, 1 otherwise,
 * 64 on a usage error. */
int health_main(int argc, char **argv);

#endif
