/* preflight: checks that the temporary directory is usable before exec,
 * since many runtimes (e.g. Tokio's signal driver) crash at start otherwise. */
#ifndef VIGIL_PREFLIGHT_H
#define VIGIL_PREFLIGHT_H
#include <stdbool.h>
#include <stddef.h>

struct preflight_result {
	const char *check;   /* static name: "exists", "is_directory", "create_file",
	                        "remove_file", "sticky_bit", "unix_socket_bind",
	                        "socketpair", "noexec" */
	char path[512];
	int err;             /* errno, 0 for a non-errno finding (sticky, noexec) */
	bool fatal;          /* false for findings that are only reported (noexec) */
};

/* Runs every check on dir (NULL: $TMPDIR, else /tmp). Returns 0 when all
 * passed; otherwise -1 and *r describes the first fatal failure. Non-fatal
 * findings (noexec) are passed to warn(ctx, r) when warn is non-NULL.
 * Only async-signal-safe calls: it runs in the forked child. */
int preflight_run(const char *dir, struct preflight_result *r,
		  void (*warn)(void *ctx, const struct preflight_result *r), void *ctx);

/* "preflight <check> on <path>: <strerror>" into buf (or a plain text for
 * err == 0 findings); log_msg adds the "vigil: " prefix. Async-signal-safe. */
void preflight_format(const struct preflight_result *r, char *buf, size_t len);

#endif
