/* probe_spec: what --health-cmd, --health-tcp and --health-http name,
 * parsed once at start by pure functions: the command's words (no shell);
 * HOST:PORT and plain http:// URLs go through netaddr. */
#ifndef VIGIL_PROBE_SPEC_H
#define VIGIL_PROBE_SPEC_H

#include <stddef.h>

#include "netaddr.h"
#include "options.h"

enum probe_kind { PROBE_NONE = 0, PROBE_CMD, PROBE_TCP, PROBE_HTTP };

#define PROBE_CMD_MAX 4096      /* bytes of the command's words */
#define PROBE_ARGV_MAX 64

struct probe_spec {
	enum probe_kind kind;
	const char *shown;                   /* the flag's value, for messages */
	char *argv[PROBE_ARGV_MAX + 1];      /* PROBE_CMD, into words */
	char words[PROBE_CMD_MAX];
	struct netaddr net;                  /* PROBE_TCP, PROBE_HTTP */
};

/* Split a command line into words: blanks separate them, '...' is
 * literal, "..." takes \" and \\, a backslash outside quotes escapes
 * the next byte. Nothing is expanded. 0, -EINVAL (unterminated quote,
 * no word), -E2BIG (too many words or bytes). */
int probe_split_words(const char *s, struct probe_spec *p);

/* All health flags together: exactly one probe, settings that make
 * sense with it. 0, or -EINVAL with a one-line message in err. */
int probe_spec_from_options(const struct sup_options *so, struct probe_spec *p, char *err, size_t errlen);

#endif
