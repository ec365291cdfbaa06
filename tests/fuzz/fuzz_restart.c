/* fuzz_restart: the other option values of parse.c: --restart specs
 * (parse_restart), -r FROM:TO rewrites (parse_rewrite) and -e exit codes
 * (parse_exit_code). Byte 0 picks the parser. */
#include "fuzz_input.h"
#include "parse.h"
#include "signals.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum restart_mode mode;
	unsigned max;
	int from, to, code;
	char *s;

	if (size < 1)
		return 0;
	s = fuzz_string(data + 1, size - 1);
	if (!s)
		return 0;
	switch (data[0] % 3) {
	case 0:
		if (parse_restart(s, &mode, &max) == 0 &&
		    (mode == RESTART_NO ? max != 0 : max > 1000000))
			abort();
		break;
	case 1:
		if (parse_rewrite(s, &from, &to) == 0 &&
		    (from < 1 || from >= VIGIL_NSIG || to < 0 || to >= VIGIL_NSIG))
			abort();
		break;
	default:
		if (parse_exit_code(s, &code) == 0 && (code < 0 || code > 255))
			abort();
		break;
	}
	free(s);
	return 0;
}
