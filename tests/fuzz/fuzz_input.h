/* fuzz_input: the fuzzer's bytes as the C string the parsers take. */
#ifndef VIGIL_FUZZ_INPUT_H
#define VIGIL_FUZZ_INPUT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A malloc'd copy of data[0..size) with its NUL (embedded NULs end the
 * string early, as they would in argv), or NULL when out of memory. */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s) {
		memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

#endif
