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
#include "redis/params.h"

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
 * tls:// and unix://. A caller may accept parameters of its own through an
 * extension (ks_redis_path_ext); any other key is an error. Several hosts
 * are routed by the ring (ring.c), cluster:// by the slot map (cluster.c),
 * sentinel:// by master discovery (sentinel.c); docs/topology.md describes
 * them for users. params.h is the table of the parameters above.
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
	KS_REDIS_P_WEIGHT       = 1u << 7,
	KS_REDIS_P_TLS          = 1u << 8,   /* any tls_* parameter */
	KS_REDIS_P_MASTER       = 1u << 9,   /* master= (sentinel://) */
	KS_REDIS_P_SENTINEL_AUTH = 1u << 10  /* sentinel_auth= / sentinel_user= */
};

/*
 * Connection parameters of one host: one field per row of params.h (in
 * its order), plus what the pool fills in. Strings are malloc'd and owned
 * by the struct (NULL = not set); copy with ks_redis_params_copy(), free
 * with ks_redis_params_dtor(). Invariants after a parse: the timeouts are
 * > 0 (a wait for a reply is always bounded), database >= 0 (0 means no
 * SELECT), weight >= 1, master non-empty when set; auth and sentinel_auth
 * are never printed; tls_verify is true unless the save_path says 0.
 */
#define KS_REDIS_PARAM_FIELD(name, field, kind, bit, lo, hi, def, ident) KS_REDIS_PK_CTYPE_##kind field;
typedef struct ks_redis_params {
	KS_REDIS_PARAM_TABLE(KS_REDIS_PARAM_FIELD)
	/* sentinel:// only, filled in by the pool (not by the parser): every
	 * sentinel of the save_path as "host:port,host:port". */
	char *sentinels;
	unsigned given;           /* KS_REDIS_P_* bits set by the save_path */
} ks_redis_params;
#undef KS_REDIS_PARAM_FIELD

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
 * An extension: parameters the caller parses itself (the parser knows only
 * the table of params.h). Each host's query keys are looked up in the
 * table first, then in `names`; a key found in neither is an error.
 *
 *   names, nnames  the caller's parameter names (quoted in messages, so
 *                  they must be constants, never text from the save_path)
 *   host_begin     called before a host's query is read (hostno is
 *                  1-based, in order); -1 means out of memory
 *   apply          one value of names[idx] for host hostno, %-decoded and
 *                  NUL-terminated, owned by the parser (copy what you keep).
 *                  Returns 0, or -1 with *want set to a constant that says
 *                  what the value should be ("0 or 1"), or -2 when out of
 *                  memory. The parser then fails with "bad value for
 *                  '<name>' in host <n> at offset <off> (want <want>)".
 *   host_end       called once the host is parsed (and checked): rules
 *                  between the caller's values and the host (its scheme,
 *                  ...). Returns 0, or -1 with a message in err that
 *                  quotes no save_path text.
 *   password_hint  appended to the message that refuses a user:password@
 *                  part, after "give the password as auth= (and user=)":
 *                  where else the caller takes one (", or in my.setting")
 *   ctx            passed to each callback
 * Any callback and the hint may be NULL. The caller frees what it stored, also when the
 * parse fails.
 */
typedef struct ks_redis_path_ext {
	const char *const *names;
	size_t nnames;
	int (*host_begin)(void *ctx, size_t hostno);
	int (*apply)(void *ctx, size_t hostno, size_t idx, const char *value, const char **want);
	int (*host_end)(void *ctx, size_t hostno, const struct ks_redis_host *h, char *err, size_t errlen);
	const char *password_hint;
	void *ctx;
} ks_redis_path_ext;

/*
 * Parses save_path `s` (`len` bytes, need not be NUL-terminated). Each
 * host's params start as a copy of `defaults`, then the URL's query
 * overrides them; `ext` (may be NULL) takes the caller's own parameters.
 * On success returns 0 and fills `*out` (free with ks_redis_path_dtor). On
 * failure returns -1, leaves `*out` empty, and writes into `err` a message
 * that names the offending part and its 1-based position, e.g. "bad value
 * for 'database' in host 1 at offset 34 (want an integer >= 0)". The
 * message never copies text from `s` (any part of it may hold a piece of a
 * password); it names only parameters of the table or of `ext`. Pure
 * function.
 */
int ks_redis_path_parse(const char *s, size_t len, const ks_redis_params *defaults,
	const ks_redis_path_ext *ext, ks_redis_path *out, char *err, size_t errlen);

/* Frees every host and empties p. Safe on a zeroed or half-built path and on NULL. */
void ks_redis_path_dtor(ks_redis_path *p);

/* Deep copy of src into dst (the name and the params duplicated). Returns
 * 0, or -1 on OOM with dst's name NULL and params zeroed (so
 * ks_redis_host_dtor is still safe on it). */
int ks_redis_host_copy(ks_redis_host *dst, const ks_redis_host *src);

/* Frees what a copy owns (name and params), not h itself; leaves the name
 * NULL and the params zeroed. Safe on a zeroed host and on a failed copy. */
void ks_redis_host_dtor(ks_redis_host *h);

/*
 * Seconds (> 0, at most KS_REDIS_MAX_TIMEOUT_S, as checked by the caller)
 * into whole milliseconds, rounded up so 0.0001 still waits, but not past
 * a binary rounding error (2.007 * 1000 is 2007.0000000000002: 2007 ms).
 * The save_path's timeout= and read_timeout= and the INI settings both go
 * through it, so one value means the same wherever it is written.
 */
int ks_redis_seconds_to_ms(double seconds);

/* Every field at its params.h `def` (strings NULL, given 0): where a
 * caller's defaults start. */
void ks_redis_params_init(ks_redis_params *p);

/* Deep copy of params (strings duplicated). Returns 0, or -1 on OOM with
 * `dst` zeroed. */
int ks_redis_params_copy(ks_redis_params *dst, const ks_redis_params *src);

/* Frees the strings and zeroes p. Safe on a zeroed struct and on NULL. */
void ks_redis_params_dtor(ks_redis_params *p);

/* True when a and b make the same connection: every field params.h marks
 * `ident` is equal, so is `sentinels`, and both or neither ask for TLS
 * (a cluster:// host is TLS by any tls_* parameter). Pure. */
bool ks_redis_params_same(const ks_redis_params *a, const ks_redis_params *b);

/* A boolean query value as the table's BOOL kind reads it: 1/true/on/yes
 * or 0/false/off/no/(empty), case-insensitive. False when it is neither.
 * For an extension's own flags, so they read like the table's. */
bool ks_redis_param_bool(const char *v, bool *out);

#endif /* KS_REDIS_PATH_H */
