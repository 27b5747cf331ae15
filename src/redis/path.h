/*
 * path.h: a parsed save_path: a list of hosts, each with its scheme, address
 * and connection parameters (path.c).
 *
 * Pure: no I/O and no PHP allocator, so it is unit-testable by feeding it
 * strings (tests/unit/test_path.c). Everything is malloc'd (a parsed path may
 * be cached per worker, beyond a request) and owned by the struct that holds
 * it: ks_redis_path_dtor() and ks_redis_params_dtor() free it, and both are
 * safe on a zeroed or half-built object. Strings are NULL when not set.
 */
#ifndef KS_REDIS_PATH_H
#define KS_REDIS_PATH_H

#include <stddef.h>
#include <stdbool.h>

#include "redis/endpoint.h"

/* ---------------------------------------------------------------------
 * save_path (path.c)
 *
 * Syntax (phpredis-compatible): a list of URLs separated by commas and/or
 * white space. Each URL is
 *     tcp://host[:port][?query]      host may be [ipv6]; port default 6379
 *     unix:///abs/path.sock[?query]  (also unix:/abs/path)
 *     host[:port]                    bare form, means tcp://
 * with query parameters key=value joined by '&'. Only values are %-decoded
 * ('+' is a space; a '%' must start a %XX escape; %00 is refused); keys,
 * host names and socket paths are taken as written. A user:password@ part
 * is refused (the password goes in auth=), and so is a bare host after a
 * host with a query (it is most likely the tail of a value holding ','):
 *     timeout=<s>        connect timeout, seconds (float > 0, at most KS_REDIS_MAX_TIMEOUT_S)
 *     read_timeout=<s>   reply timeout, seconds (float > 0, at most KS_REDIS_MAX_TIMEOUT_S)
 *     database=<n>       SELECT n on connect (0..INT_MAX)
 *     auth=<pw>          AUTH pw;  auth[]=user&auth[]=pw is the ACL form
 *     user=<name>        ACL user (AUTH user pw)
 *     prefix=<str>       key prefix
 *     persistent=<0|1>   keep the connection across requests
 *     weight=<n>         ring weight (n >= 1) for several hosts (ring.c)
 *     persistent_id, retry_interval   phpredis parameters, accepted and ignored
 *   tls:// and cluster:// hosts only (on cluster://, any tls_* makes every
 *   node connection TLS; an error on other schemes):
 *     tls_ca=<file> tls_capath=<dir> tls_cert=<file> tls_key=<file>
 *     tls_sni=<name> tls_verify=<0|1>     (phpredis's stream[cafile], stream[capath],
 *     stream[local_cert], stream[local_pk], stream[peer_name], stream[verify_peer]
 *     are accepted as aliases)
 *   sentinel:// hosts only:
 *     master=<name>      the master the sentinels monitor (required once)
 *     sentinel_auth=<pw> AUTH sent to each sentinel (not to the master)
 *     sentinel_user=<u>  ACL user for sentinel_auth
 * A bare host after a sentinel:// (or cluster://) host takes that scheme, so
 * "sentinel://s1:26379,s2:26379?master=m" lists two sentinels; a save_path
 * lists sentinel:// hosts only, cluster:// hosts only, or any mix of tcp://,
 * tls:// and unix://. On cluster:// the prefix may not hold '{' or '}' (the
 * hash tag of every key is the session id). Any other key is an error. Several hosts are routed by the ring (ring.c),
 * cluster:// by the slot map (cluster.c), sentinel:// by master discovery
 * (sentinel.c); docs/topology.md describes them for users.
 * ------------------------------------------------------------------- */
typedef enum ks_redis_scheme {
	KS_REDIS_SCHEME_TCP = 0,
	KS_REDIS_SCHEME_UNIX,
	KS_REDIS_SCHEME_TLS,       /* tls:// and ssl:// */
	KS_REDIS_SCHEME_CLUSTER,   /* slot-map routing, cluster.c */
	KS_REDIS_SCHEME_SENTINEL   /* master discovery, sentinel.c */
} ks_redis_scheme;

/* The longest timeout a save_path (or an INI setting) may give, in seconds:
 * one day. In milliseconds it fits an int with room to spare, so no
 * conversion or sum of timeouts can overflow. */
#define KS_REDIS_MAX_TIMEOUT_S 86400

/* Bits of ks_redis_params.given: which parameters the save_path set
 * explicitly (the others hold the caller's defaults). */
enum {
	KS_REDIS_P_TIMEOUT      = 1u << 0,
	KS_REDIS_P_READ_TIMEOUT = 1u << 1,
	KS_REDIS_P_DATABASE     = 1u << 2,
	KS_REDIS_P_AUTH         = 1u << 3,
	KS_REDIS_P_USER         = 1u << 4,
	KS_REDIS_P_PREFIX       = 1u << 5,
	KS_REDIS_P_PERSISTENT   = 1u << 6,
	KS_REDIS_P_WEIGHT       = 1u << 7,
	KS_REDIS_P_TLS          = 1u << 8,   /* any tls_* parameter */
	KS_REDIS_P_MASTER       = 1u << 9,   /* master= (sentinel://) */
	KS_REDIS_P_SENTINEL_AUTH = 1u << 10  /* sentinel_auth= / sentinel_user= */
};

/*
 * Connection parameters of one host. Strings are malloc'd and owned by the
 * struct (NULL = not set); copy with ks_redis_params_copy(), free with
 * ks_redis_params_dtor().
 */
typedef struct ks_redis_params {
	int connect_timeout_ms;   /* > 0 */
	int read_timeout_ms;      /* > 0: bounds every wait for a reply */
	long database;            /* >= 0; 0 means no SELECT */
	char *auth;               /* password; NULL or "" = no AUTH. Never printed. */
	char *user;               /* ACL user; only used with auth */
	char *prefix;             /* key prefix; NULL = caller's default */
	bool persistent;          /* keep the socket across requests */
	int weight;               /* >= 1 */
	/* tls:// and cluster:// (see docs/topology.md). Strings NULL = not set. */
	char *tls_ca;             /* CA bundle (PEM); NULL and no tls_capath: system store */
	char *tls_capath;         /* hashed CA directory */
	char *tls_cert;           /* client certificate chain (PEM), for mutual TLS */
	char *tls_key;            /* its private key (PEM); NULL: read from tls_cert */
	char *tls_sni;            /* name to send and verify instead of the host */
	bool tls_verify;          /* verify chain and name (default true) */
	/* sentinel:// only: the monitored master's name, and (filled in by the
	 * pool, not by the parser) every sentinel of the save_path as
	 * "host:port,host:port". */
	char *master;
	char *sentinels;
	/* sentinel:// only: the sentinels' own login (AUTH [user] pw), distinct
	 * from auth/user, which go to the master. Never printed. */
	char *sentinel_auth;
	char *sentinel_user;
	unsigned given;           /* KS_REDIS_P_* bits set by the save_path */
} ks_redis_params;

typedef struct ks_redis_host {
	ks_redis_scheme scheme;
	char *host;               /* hostname / IP (no brackets); unix: socket path */
	int port;                 /* 1..65535; 0 for unix */
	ks_redis_params params;
	char desc[300];           /* "tcp://127.0.0.1:6379" / "unix:///run/r.sock":
	                             for messages; never contains the query */
} ks_redis_host;

typedef struct ks_redis_path {
	ks_redis_host *hosts;     /* malloc'd array of nhosts (>= 1 after a successful parse) */
	size_t nhosts;
} ks_redis_path;

/*
 * Parses save_path `s` (`len` bytes, need not be NUL-terminated). Each
 * host's params start as a copy of `defaults`, then the URL's query
 * overrides them. On success returns 0 and fills `*out` (free with
 * ks_redis_path_dtor). On failure returns -1, leaves `*out` empty, and
 * writes into `err` a message that names the offending part and its
 * 1-based position, e.g. "bad value for 'database' in host 1 at offset 34
 * (want an integer >= 0)". The message never copies text from `s` (any
 * part of it may hold a piece of a password); it names only parameters
 * keepsake knows. Pure function.
 */
int ks_redis_path_parse(const char *s, size_t len, const ks_redis_params *defaults,
	ks_redis_path *out, char *err, size_t errlen);
void ks_redis_path_dtor(ks_redis_path *p);   /* safe on a zeroed or half-built path */

/*
 * Seconds (> 0, at most KS_REDIS_MAX_TIMEOUT_S, as checked by the caller)
 * into whole milliseconds, rounded up so 0.0001 still waits, but not past
 * a binary rounding error (2.007 * 1000 is 2007.0000000000002: 2007 ms).
 * The save_path's timeout= and read_timeout= and the INI settings both go
 * through it, so one value means the same wherever it is written.
 */
int ks_redis_seconds_to_ms(double seconds);

/* Deep copy of params (strings duplicated). Returns 0, or -1 on OOM with
 * `dst` zeroed. */
int ks_redis_params_copy(ks_redis_params *dst, const ks_redis_params *src);
void ks_redis_params_dtor(ks_redis_params *p);

#endif /* KS_REDIS_PATH_H */
