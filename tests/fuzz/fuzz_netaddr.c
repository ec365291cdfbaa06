/* fuzz_netaddr: the HOST:PORT and http:// URL parser behind --health-tcp,
 * --health-http and --wait-for. The input is tried as HOST:PORT, as a URL
 * and as a URL after "http://"; whatever is taken must be safe to put in a
 * request line and a Host header, and must parse again to itself. */
#include "netaddr.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct netaddr a, again;

static void no_breaking_byte(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			abort();
}

static void check_taken(int is_url)
{
	unsigned long port;
	char *end, url[sizeof(a.authority) + sizeof(a.path) + 8];
	const char *why;

	if (!a.host[0] || strlen(a.host) > NETADDR_HOST_MAX || strpbrk(a.host, "[]/?#@"))
		abort();
	port = strtoul(a.port, &end, 10);
	if (*end || port < 1 || port > 65535 || a.port[0] == '0')
		abort();
	if (!a.authority[0] || strpbrk(a.authority, "/?#@"))
		abort();
	no_breaking_byte(a.host);
	no_breaking_byte(a.authority);
	no_breaking_byte(a.path);
	if (is_url ? a.path[0] != '/' || strchr(a.path, '#') : a.path[0] != '\0')
		abort();
	/* What was taken reads back the same. */
	snprintf(url, sizeof(url), "http://%s%s", a.authority, is_url ? a.path : "");
	if (netaddr_parse_http(url, &again, &why) != 0 || strcmp(again.host, a.host) ||
	    strcmp(again.authority, a.authority) || (is_url && strcmp(again.path, a.path)))
		abort();
}

static void try(int r, const char *why, int is_url)
{
	if (r == 0) {
		if (why)
			abort();
		check_taken(is_url);
		return;
	}
	if ((r != -EINVAL && r != -EPROTONOSUPPORT) || !why || !*why)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 8);
	const char *why = NULL;
	int r;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	r = netaddr_parse_hostport(s, NULL, &a, &why);
	try(r, why, 0);
	r = netaddr_parse_hostport(s, "80", &a, &why);
	try(r, why, 0);
	r = netaddr_parse_http(s, &a, &why);
	try(r, why, 1);
	memmove(s + 7, s, size + 1);
	memcpy(s, "http://", 7);
	r = netaddr_parse_http(s, &a, &why);
	try(r, why, 1);
	free(s);
	return 0;
}
