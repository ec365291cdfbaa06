/* caps: capability names for --cap-keep, resolved through libcap-ng's
 * table so new kernel capabilities need no change here. */
#include "caps.h"

#include <cap-ng.h>
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

int caps_parse_list(const char *list, int *caps, size_t max, size_t *n, const char **bad)
{
	const char *p = list;

	*n = 0;
	*bad = NULL;
	if (!list || !*list) {
		*bad = list;
		return -EINVAL;
	}
	while (*p) {
		size_t w = strcspn(p, ",");
		char name[64];
		int cap;

		*bad = p;
		if (w == 0 || w >= sizeof(name))
			return -EINVAL;
		memcpy(name, p, w);
		name[w] = '\0';
		for (char *c = name; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		cap = capng_name_to_capability(strncmp(name, "cap_", 4) == 0 ? name + 4 : name);
		if (cap < 0)
			return -EINVAL;
		if (*n == max)
			return -E2BIG;
		caps[(*n)++] = cap;
		p += w;
		if (*p == ',' && *++p == '\0') {
			*bad = p;	/* the empty name after the comma */
			return -EINVAL;
		}
	}
	*bad = NULL;
	return 0;
}
