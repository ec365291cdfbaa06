/* wait_spec: the --wait-for SPEC parser, a pure function over a string:
 * tcp:HOST:PORT, unix:PATH, file:PATH, http://HOST[:PORT][/PATH] (the
 * network ones through netaddr, as the health probes). */
#ifndef VIGIL_WAIT_SPEC_H
#define VIGIL_WAIT_SPEC_H

#include "netaddr.h"

enum wait_kind { WAIT_TCP, WAIT_UNIX, WAIT_FILE, WAIT_HTTP };

struct wait_spec {
	enum wait_kind kind;
	const char *text;          /* the spec as given, for messages */
	struct netaddr net;        /* tcp, http */
	const char *path;          /* unix, file: the path; http: net.path */
};

/* 0, or -EINVAL (-EPROTONOSUPPORT for https://) with *why saying what is
 * wrong (a static string). */
int wait_parse(const char *spec, struct wait_spec *w, const char **why);

#endif
