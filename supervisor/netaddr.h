/* netaddr: the network targets users write, HOST:PORT and
 * http://HOST[:PORT][/PATH][?QUERY][#FRAGMENT], parsed by pure functions
 * with one set of rules for --health-tcp, --health-http and --wait-for. */
#ifndef VIGIL_NETADDR_H
#define VIGIL_NETADDR_H

#define NETADDR_HOST_MAX 253   /* a DNS name; an IPv6 literal and zone are shorter */
#define NETADDR_AUTHORITY_MAX (NETADDR_HOST_MAX + 8)   /* [HOST]:65535 */
#define NETADDR_PATH_MAX 1024

struct netaddr {
	char host[NETADDR_HOST_MAX + 1];           /* for the resolver: no brackets */
	char port[6];                              /* "1".."65535" */
	char authority[NETADDR_AUTHORITY_MAX + 1]; /* as written: the Host header */
	char path[NETADDR_PATH_MAX + 1];           /* http: "/...", no fragment */
};

/* "HOST:PORT" or "[IPV6]:PORT" ("[fe80::1%eth0]:PORT" with a zone);
 * with default_port the ":PORT" may be left out. 0, or -EINVAL with *why
 * a static string saying what is wrong. */
int netaddr_parse_hostport(const char *s, const char *default_port, struct netaddr *a, const char **why);

/* "http://HOST[:PORT][/PATH][?QUERY][#FRAGMENT]", the scheme in any case;
 * port 80 and path "/" by default. 0, or -EINVAL (-EPROTONOSUPPORT for
 * https://: there is no TLS) with *why a static string. */
int netaddr_parse_http(const char *url, struct netaddr *a, const char **why);

#endif
