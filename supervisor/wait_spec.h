/* wait_spec: the --wait-for SPEC parser, a pure function over a string:
 * tcp:HOST:PORT, unix:PATH, file:PATH, http://HOST[:PORT][/PATH]. */
#ifndef VIGIL_WAIT_SPEC_H
#define VIGIL_WAIT_SPEC_H

enum wait_kind { WAIT_TCP, WAIT_UNIX, WAIT_FILE, WAIT_HTTP };

#define WAIT_HOST_MAX 254      /* a DNS name, or an IPv6 literal with zone */

struct wait_spec {
	enum wait_kind kind;
	const char *text;          /* the spec as given, for messages */
	char host[WAIT_HOST_MAX];  /* tcp, http: without IPv6 brackets */
	char port[6];              /* tcp, http: "1".."65535" */
	const char *path;          /* unix, file: the path; http: "/..." */
	char authority[WAIT_HOST_MAX + 8]; /* http: the Host header, as written */
};

/* 0, or -EINVAL with *why saying what is wrong (a static string). */
int wait_parse(const char *spec, struct wait_spec *w, const char **why);

#endif
