/* fuzz_duration: --grace, --term-delay and --restart-delay values
 * (parse_duration_ms). A plain "<digits>ms" must parse to its own value. */
#include "fuzz_input.h"
#include "parse.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	uint64_t ms = 0, want = 0;
	size_t n;
	int r;

	if (!s)
		return 0;
	r = parse_duration_ms(s, &ms);
	if (r != 0 && r != -EINVAL && r != -ERANGE)
		abort();
	n = strspn(s, "0123456789");
	if (r == 0 && n > 0 && n < 19 && strcmp(s + n, "ms") == 0) {
		for (size_t i = 0; i < n; i++)
			want = want * 10 + (uint64_t)(s[i] - '0');
		if (ms != want)
			abort();
	}
	free(s);
	return 0;
}
