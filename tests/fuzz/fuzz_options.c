/* fuzz_options: the three command-line front-ends (native, tini, dumb-init)
 * with an argv built from the input. Byte 0 picks the front-end and an
 * environment variable the first argument sets; the rest is split on NUL
 * bytes into arguments. options_parse must return, never exit or crash. */
#include "fuzz_input.h"
#include "options.h"

#include "log.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 64

static const char *const names[] = { "vigil", "/sbin/tini", "docker-init", "dumb-init" };
static const char *const envs[] = {
	"VIGIL_VERBOSITY", "VIGIL_GROUP", "VIGIL_SUBREAPER", "TINI_VERBOSITY",
	"TINI_SUBREAPER", "TINI_KILL_PROCESS_GROUP", "DUMB_INIT_SETSID",
};

static void clear_env(void)
{
	for (size_t i = 0; i < sizeof(envs) / sizeof(envs[0]); i++)
		unsetenv(envs[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct options o;
	char *argv[MAX_ARGS + 2], *buf, *p, *end, err[512];
	unsigned sel;
	int argc = 0, env_idx;

	if (size < 1)
		return 0;
	sel = data[0];
	/* The last argument ends at the end of the input: add its NUL. */
	buf = fuzz_string(data + 1, size - 1);
	if (!buf)
		return 0;
	end = buf + size - 1;
	clear_env();
	env_idx = (int)((sel >> 2) % 8) - 1;
	p = buf;
	if (env_idx >= 0) {
		setenv(envs[env_idx], p, 1);
		p += strlen(p) + 1;
	}
	argv[argc++] = (char *)names[sel & 3];
	while (p <= end && argc <= MAX_ARGS) {
		argv[argc++] = p;
		p += strlen(p) + 1;
	}
	argv[argc] = NULL;
	memset(&o, 0, sizeof(o));
	options_parse(&o, argc, argv, err, sizeof(err));
	/* The message is one line that fits: it is what vigil prints. */
	if (!memchr(err, '\0', sizeof(err)))
		abort();
	/* Parsing may set these for the whole process; start clean. */
	log_trace = false;
	log_format = LOG_TEXT;
	free(buf);
	return 0;
}
