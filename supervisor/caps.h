/* caps: capability names <-> numbers, via libcap-ng's table. */
#ifndef VIGIL_CAPS_H
#define VIGIL_CAPS_H
#include <stddef.h>

/* "NET_BIND_SERVICE,cap_chown" -> numbers. Case-insensitive, CAP_ prefix
 * optional. 0, or -EINVAL with *bad pointing at the offending name's start,
 * or -E2BIG when more than max. */
int caps_parse_list(const char *list, int *caps, size_t max, size_t *n, const char **bad);

#endif
