/*
 * endpoint.h: a Redis node's address as the topology code passes it around.
 *
 * A ks_redis_endpoint is a value type: a host (a name, an IPv4 or an IPv6
 * literal, never with brackets) and a TCP port, copied by assignment.
 * Invariants after a successful parse: host is NUL-terminated and non-empty
 * unless the parser was told an empty host is allowed, and 0 < port < 65536.
 * Endpoints come from save paths and from servers' replies (CLUSTER SLOTS,
 * MOVED/ASK, SENTINEL get-master-addr-by-name), so every parser here treats
 * its input as untrusted and bounds every copy.
 */
#ifndef KS_REDIS_ENDPOINT_H
#define KS_REDIS_ENDPOINT_H

#include <stddef.h>

/* Longest DNS name is 253 bytes; IPv6 literals are far shorter. */
#define KS_REDIS_HOST_MAX 256

typedef struct ks_redis_endpoint {
	char host[KS_REDIS_HOST_MAX]; /* NUL-terminated, no brackets */
	int port;                     /* 1..65535 */
} ks_redis_endpoint;

/*
 * Parses "host:port", "[v6]:port" or "v6:port" (the port follows the last
 * colon, as Redis writes it in MOVED replies) from s[0..len). An empty host
 * (":7001") is accepted only when allow_empty_host is set: Redis sends it
 * when it does not know its own address, meaning "the node you asked".
 * Returns 0, or -1 with a reason in err (always NUL-terminated).
 */
int ks_redis_endpoint_parse(const char *s, size_t len, int allow_empty_host,
	ks_redis_endpoint *out, char *err, size_t errlen);

/*
 * Fills out from a host of hostlen bytes and a port. Returns 0, or -1 with a
 * reason in err when the host is too long or holds a NUL, or the port is out
 * of range. An empty host is stored as is: the caller decides what it means.
 */
int ks_redis_endpoint_set(ks_redis_endpoint *out, const char *host, size_t hostlen,
	long long port, char *err, size_t errlen);

/*
 * Ports and slots: 1 to 5 ASCII digits (no sign, no spaces) from s[0..len),
 * so the value is at most 99999; -1 when the text is anything else. Callers
 * apply their own range (1..65535 for a port, < 16384 for a slot).
 */
long ks_redis_parse_short_decimal(const char *s, size_t len);

/* 1 when both name the same host (byte for byte) and port, else 0. */
int ks_redis_endpoint_equal(const ks_redis_endpoint *a, const ks_redis_endpoint *b);

#endif
