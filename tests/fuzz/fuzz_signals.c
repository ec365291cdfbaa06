/* fuzz_signals: signal names and numbers (sig_parse). Whatever parses must
 * name back to the same number (sig_name), as the messages and the report
 * rely on. Byte 0 says whether "0" is allowed; the rest is the name. */
#include "fuzz_input.h"
#include "signals.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, name[32];
	int sig;

	if (size < 1)
		return 0;
	s = fuzz_string(data + 1, size - 1);
	if (!s)
		return 0;
	sig = sig_parse(s, data[0] & 1);
	if (sig > 0) {
		if (sig >= VIGIL_NSIG)
			abort();
		if (sig_parse(sig_name(sig, name, sizeof(name)), 0) != sig)
			abort();
		sig_is_forwarded(sig);
		sig_is_fault(sig);
	} else if (sig == 0 && !(data[0] & 1)) {
		abort();
	}
	free(s);
	return 0;
}
