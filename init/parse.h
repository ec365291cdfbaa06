/* parse: pure parsers for option values. They never print; the caller
 * names the flag in its message. All return 0 or -EINVAL / -ERANGE. */
#ifndef VIGIL_PARSE_H
#define VIGIL_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* "250ms", "5s", "1.5s", "2m", "1h", "0", plain number = seconds. */
int parse_duration_ms(const char *s, uint64_t *ms);

/* 0..255 */
int parse_exit_code(const char *s, int *code);

/* "TERM:QUIT", "15:3", "SIGHUP:0" (0 drops the signal). */
int parse_rewrite(const char *s, int *from, int *to);

/* "no", "on-failure", "on-failure:5". max 0 means unlimited. */
enum restart_mode { RESTART_NO = 0, RESTART_ON_FAILURE };
int parse_restart(const char *s, enum restart_mode *mode, unsigned *max);

/* What --on-unhealthy does once the probe failed --health-retries times. */
enum unhealthy_action { UNHEALTHY_LOG = 0, UNHEALTHY_STOP, UNHEALTHY_RESTART };

/* Non-negative decimal int up to max. */
int parse_uint_max(const char *s, unsigned long max, unsigned long *out);

/* Write a one-line message for a refused value into err; returns -EINVAL,
 * so a parser can `return parse_fail(err, len, "...", ...);`. */
int parse_fail(char *err, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
