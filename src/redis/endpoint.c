/*
 * endpoint.c: parsing and comparing node addresses. Pure: no I/O, no
 * allocation.
 */
#include <stdio.h>
#include <string.h>

#include "redis/endpoint.h"

int ks_redis_endpoint_set(ks_redis_endpoint *out, const char *host, size_t hostlen,
	long long port, char *err, size_t errlen)
{
	if (hostlen >= sizeof(out->host)) {
		snprintf(err, errlen, "host name longer than %d bytes", KS_REDIS_HOST_MAX - 1);
		return -1;
	}
	if (memchr(host, '\0', hostlen) != NULL) {
		snprintf(err, errlen, "host name contains a NUL byte");
		return -1;
	}
	if (port <= 0 || port > 65535) {
		snprintf(err, errlen, "port %lld out of range 1..65535", port);
		return -1;
	}
	memcpy(out->host, host, hostlen);
	out->host[hostlen] = '\0';
	out->port = (int)port;
	return 0;
}

long ks_redis_parse_short_decimal(const char *s, size_t len)
{
	long v = 0;
	size_t i;

	if (len == 0 || len > 5) {
		return -1;
	}
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9') {
			return -1;
		}
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int ks_redis_endpoint_parse(const char *s, size_t len, int allow_empty_host,
	ks_redis_endpoint *out, char *err, size_t errlen)
{
	const char *colon = NULL;
	const char *host = s;
	size_t hostlen, i;
	long long port;

	for (i = len; i > 0; i--) {
		if (s[i - 1] == ':') {
			colon = s + i - 1;
			break;
		}
	}
	if (colon == NULL) {
		snprintf(err, errlen, "address '%.*s' has no ':port'", (int)(len > 64 ? 64 : len), s);
		return -1;
	}
	hostlen = (size_t)(colon - s);
	port = ks_redis_parse_short_decimal(colon + 1, len - hostlen - 1);
	if (port < 0) {
		snprintf(err, errlen, "address '%.*s' has a bad port", (int)(len > 64 ? 64 : len), s);
		return -1;
	}
	/* "[::1]:6379": the brackets only delimit the literal. */
	if (hostlen >= 2 && host[0] == '[' && host[hostlen - 1] == ']') {
		host++;
		hostlen -= 2;
	}
	if (hostlen == 0 && !allow_empty_host) {
		snprintf(err, errlen, "address '%.*s' has no host", (int)(len > 64 ? 64 : len), s);
		return -1;
	}
	return ks_redis_endpoint_set(out, host, hostlen, port, err, errlen);
}

int ks_redis_endpoint_equal(const ks_redis_endpoint *a, const ks_redis_endpoint *b)
{
	return a->port == b->port && strcmp(a->host, b->host) == 0;
}
