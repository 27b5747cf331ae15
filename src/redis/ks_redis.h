/*
 * ks_redis.h: the Redis client layer used by the session handler. It knows
 * nothing of sessions. Three concepts, each with its own .c file:
 *
 *   save_path (path.c)   a parsed save_path: a list of hosts, each with its
 *                        scheme, address and parameters. Pure: no I/O, no
 *                        PHP allocator, unit-testable by feeding it strings.
 *   transport (tcp.c)    byte I/O on one socket behind a small vtable
 *                        (connect/write_all/read_some/close). tcp:// and
 *                        unix:// live in tcp.c; tls.c adds the TLS ops
 *                        table without touching the rest.
 *   connection (conn.c)  one logical link to one Redis host: lazy connect,
 *                        AUTH/SELECT, owner pid check, a pipeline buffer and
 *                        RESP parsing (hiredis 0.14 redisFormatCommandArgv and
 *                        redisReader only; hiredis never touches the socket).
 *
 * Error model (hiredis style): every failure is sticky on the connection as
 * `err` (a ks_redis_status) plus `errstr` (already naming the host and the
 * cause, never a password). Every call returns early while `err` is set;
 * the caller reads the error, reports it once, then calls
 * ks_redis_conn_reset_error() (which also drops the socket if the error
 * left it in an unknown state). Nothing in this layer emits PHP warnings.
 *
 * Memory: a connection and everything it owns is malloc'd (pemalloc(…,1)
 * semantics: it may outlive a request, one per worker); save_path objects
 * too, so a parsed path can be cached per worker. hiredis replies are
 * malloc'd by hiredis and freed with freeReplyObject().
 *
 * Threads: none of these objects is shared. Under ZTS each thread owns its
 * connections through its module globals. Across fork(), a connection whose
 * owner pid differs from getpid() is never used: the child drops the
 * inherited fd (without sending anything) and connects again.
 */
#ifndef KS_REDIS_H
#define KS_REDIS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <sys/types.h>
#include <hiredis/hiredis.h>

#include "redis/endpoint.h"

/* ---------------------------------------------------------------------
 * Status codes. KS_REDIS_OK is 0; every error is a positive kind, so the
 * session layer can count errors by kind.
 * ------------------------------------------------------------------- */
typedef enum ks_redis_status {
	KS_REDIS_OK = 0,
	KS_REDIS_ERR_CONNECT,   /* connect failed: refused, unreachable, DNS, timeout */
	KS_REDIS_ERR_IO,        /* write/read failed or peer closed the connection */
	KS_REDIS_ERR_TIMEOUT,   /* a reply did not arrive within the read timeout */
	KS_REDIS_ERR_PROTOCOL,  /* the bytes were not valid RESP */
	KS_REDIS_ERR_AUTH,      /* AUTH (or SELECT) during the handshake was refused */
	KS_REDIS_ERR_REPLY,     /* the server answered with an error reply; errstr quotes it */
	KS_REDIS_ERR_CONFIG,    /* unusable parameters (scheme not compiled in, ...) */
	KS_REDIS_ERR_OOM,       /* allocation failed */
	KS_REDIS_STATUS_COUNT
} ks_redis_status;

/* A short stable name for a status ("connect", "io", ...), for stats keys. */
const char *ks_redis_status_name(ks_redis_status st);

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

/* ---------------------------------------------------------------------
 * Transport (tcp.c; tls.c later)
 *
 * A transport moves bytes for one connection. Deadlines are absolute
 * monotonic milliseconds (ks_redis_now_ms()); every wait is a poll() bounded
 * by the deadline, so nothing blocks past it. On failure a function sets the
 * connection's sticky error with ks_redis_conn_set_error() and returns that
 * status; the connection then closes the transport.
 * ------------------------------------------------------------------- */
struct ks_redis_conn;
typedef struct ks_redis_transport ks_redis_transport;

typedef struct ks_redis_transport_ops {
	const char *name;   /* "tcp", "unix", "tls" */
	/* Opens t->fd for c->host and completes any handshake (TLS), by `deadline`. */
	ks_redis_status (*connect)(struct ks_redis_conn *c, ks_redis_transport *t, int64_t deadline);
	/* Writes all `len` bytes by `deadline`. */
	ks_redis_status (*write_all)(struct ks_redis_conn *c, ks_redis_transport *t,
		const char *buf, size_t len, int64_t deadline);
	/* Reads 1..cap bytes into buf by `deadline`; EOF is KS_REDIS_ERR_IO. */
	ks_redis_status (*read_some)(struct ks_redis_conn *c, ks_redis_transport *t,
		char *buf, size_t cap, size_t *nread, int64_t deadline);
	/* True when the idle connection is known dead (peer closed it, or
	 * unread bytes wait): checked before a write, costs no round trip. */
	bool (*is_stale)(ks_redis_transport *t);
	/* Closes the fd and frees impl, WITHOUT any I/O (no TLS close_notify):
	 * after fork() the fd may still be in use by the parent. Safe on a
	 * closed transport; leaves ops NULL and fd -1. */
	void (*close)(ks_redis_transport *t);
} ks_redis_transport_ops;

struct ks_redis_transport {
	const ks_redis_transport_ops *ops;   /* NULL while disconnected */
	int fd;                              /* -1 while disconnected */
	void *impl;                          /* per-transport state (SSL*), owned */
};

/* The plain socket transports (tcp.c). */
extern const ks_redis_transport_ops ks_redis_tcp_ops;    /* tcp:// */
extern const ks_redis_transport_ops ks_redis_unix_ops;   /* unix:// */
/* OpenSSL on TCP (tls_transport.c), when built with KEEPSAKE_TLS. */
extern const ks_redis_transport_ops ks_redis_tls_ops;    /* tls:// */
/* Master discovery through Sentinel, then plain TCP (sentinel_transport.c). */
extern const ks_redis_transport_ops ks_redis_sentinel_ops;   /* sentinel:// */

/*
 * Opens a non-blocking TCP socket to host:port (each resolved address in
 * turn) and waits for the connection with poll() until `deadline`; a host
 * name's lookup shares that deadline (resolve.h). For use
 * by transports layered on TCP (TLS). Returns the fd, or -1 with the
 * connection's error set ("connect to tcp://h:p: Connection refused").
 */
int ks_redis_tcp_connect_fd(struct ks_redis_conn *c, const char *host, int port, int64_t deadline);
/* Waits for `events` (POLLIN/POLLOUT) on fd until deadline: 1 ready, 0 timed
 * out, -1 error (errno set). Retries EINTR. */
int ks_redis_poll_fd(int fd, short events, int64_t deadline);
int64_t ks_redis_now_ms(void);   /* CLOCK_MONOTONIC, milliseconds */

/* ---------------------------------------------------------------------
 * Connection (conn.c)
 * ------------------------------------------------------------------- */

/*
 * Redis Cluster redirections (set by the pool on cluster:// connections).
 * When the one command of an exec is answered with MOVED or ASK, the
 * connection asks the redirector for the named node's connection and sends
 * the same command there (after ASKING for ASK); MOVED also updates the
 * slot map. The caller sees the final reply as if it came from the first
 * node; a failure there becomes the first connection's sticky error.
 */
struct ks_redis_conn;
typedef struct ks_redis_redirector {
	/* The connection to addr (made on first use), or NULL when out of memory. */
	struct ks_redis_conn *(*conn_for)(void *ctx, const ks_redis_endpoint *addr);
	/* MOVED: slot now lives at addr. */
	void (*moved)(void *ctx, unsigned slot, const ks_redis_endpoint *addr);
	/* A node failed (no answer, CLUSTERDOWN, READONLY): reload the slot map
	 * before the next routing. Called when the error is reset. */
	void (*failed)(void *ctx);
	void *ctx;
} ks_redis_redirector;

/* Counters a connection adds to. Owned by the caller (per worker), so they
 * survive a connection being replaced. */
typedef struct ks_redis_counters {
	uint64_t round_trips;   /* each ks_redis_exec write+read (a handshake counts as one) */
	uint64_t commands;      /* commands sent */
	uint64_t connects;      /* successful connects */
	uint64_t reconnects;    /* connects that replaced a previously used socket */
	struct ks_redis_counters *shared;   /* NULL, or a second set (e.g. in memory shared by
	                                       processes) that gets the same adds, atomically */
} ks_redis_counters;

/*
 * One link to one host.
 * Invariants:
 *  - tr.ops == NULL <=> tr.fd == -1 <=> not connected.
 *  - owner_pid is the pid that opened tr.fd; if it differs from getpid()
 *    the socket belongs to the parent and is closed without any I/O.
 *  - obuf holds `pending` complete, encoded commands not yet written;
 *    both are reset by every ks_redis_exec (success or failure).
 *  - err != KS_REDIS_OK makes every call return err without doing I/O.
 */
typedef struct ks_redis_conn {
	ks_redis_host host;            /* deep copy of the target and its params */
	ks_redis_transport tr;
	redisReader *reader;           /* created with the connection, reset on reconnect */
	pid_t owner_pid;
	bool used;                     /* a command went over this socket */
	ks_redis_status err;           /* sticky */
	char errstr[512];              /* names host and cause; never a password */
	char *obuf;                    /* pipeline buffer (malloc) */
	size_t olen, ocap;
	unsigned pending;              /* commands in obuf */
	ks_redis_counters *counters;   /* borrowed, never NULL (points to a dummy if none given) */
	char node[300];                /* the server actually connected ("tcp://10.0.0.5:6379";
	                                  a sentinel:// connection names the discovered master),
	                                  "" while not connected; never holds a password */
	const ks_redis_redirector *redirector;   /* cluster:// only, borrowed; NULL otherwise */
	bool drop_on_reset;            /* an error reply said this node is no longer a writable
	                                  master (READONLY, MASTERDOWN): reset closes the socket
	                                  so the next connect finds the master again */
	bool in_exec;                  /* an exec on this connection has not returned yet (it
	                                  may be following a redirection): a redirection back
	                                  here is refused, never appended to obuf mid-exchange */
	size_t sentinel_first;         /* sentinel:// only: the index in params.sentinels of the
	                                  sentinel whose master worked last time, asked first
	                                  at the next connect (0 before any, and after its
	                                  master proved unreachable or not a master) */
	int64_t cap_deadline;          /* 0, or an absolute ks_redis_now_ms() time that no
	                                  connect or reply wait may pass (a caller's budget
	                                  shared over several nodes); see ks_redis_conn_cap */
} ks_redis_conn;

/*
 * Creates a connection object for `h` (deep-copied). No I/O: the socket is
 * opened by the first exec. `counters` is borrowed and may be NULL.
 * Returns NULL on OOM. Rejects nothing: an unsupported scheme is reported
 * by the first exec as KS_REDIS_ERR_CONFIG.
 */
ks_redis_conn *ks_redis_conn_new(const ks_redis_host *h, ks_redis_counters *counters);
/* Closes the socket (no I/O if another process owns it) and frees. NULL-safe. */
void ks_redis_conn_free(ks_redis_conn *c);
/* True when `c` talks to the same target with the same credentials, database
 * and timeouts as `h`, so it can be reused for `h`. */
bool ks_redis_conn_matches(const ks_redis_conn *c, const ks_redis_host *h);
/* The same test on two hosts: same target, credentials, database, timeouts
 * and TLS settings (weight and prefix do not matter to a socket). */
bool ks_redis_host_same(const ks_redis_host *a, const ks_redis_host *b);
/* Closes the socket, keeps the object (for persistent=0 at request end). */
void ks_redis_conn_disconnect(ks_redis_conn *c);
/* Clears the sticky error; a socket left in an unknown state (anything but a
 * clean error reply) is closed so the next exec reconnects. */
void ks_redis_conn_reset_error(ks_redis_conn *c);
/* Sets the sticky error (first one wins) with a printf-style message; the
 * host description is prepended by the caller's format if wanted. Returns st. */
ks_redis_status ks_redis_conn_set_error(ks_redis_conn *c, ks_redis_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Bounds every wait of the following execs on c by `deadline` (absolute
 * ks_redis_now_ms() time) on top of the connect and read timeouts; 0 lifts
 * the bound. For a caller that shares one time budget over several nodes. */
void ks_redis_conn_cap(ks_redis_conn *c, int64_t deadline);

/* Appends one command (binary-safe argv) to the pipeline. No I/O. */
ks_redis_status ks_redis_append(ks_redis_conn *c, int argc, const char **argv, const size_t *argvlen);

/* ks_redis_exec flags */
enum {
	/* The pipeline is safe to send twice: if a reused socket turns out to be
	 * dead (write fails, or EOF before the first reply byte), reconnect and
	 * send it once more. Without it the error is returned. */
	KS_REDIS_RETRY_SAFE = 1u << 0
};

/*
 * One round trip: connects if needed (lazy; pid-checked; AUTH and SELECT
 * first), writes every appended command in one write, then reads exactly
 * `n` replies (n must equal the number appended) into replies[0..n-1].
 * `extra_wait_ms` extends the read deadline beyond the read timeout (for a
 * blocking command such as BLPOP with a server-side timeout).
 * On KS_REDIS_OK the caller owns the replies (freeReplyObject each); an
 * error *reply* is still KS_REDIS_OK here (check reply->type, and use
 * ks_redis_reply_error() to make it sticky). On failure every reply slot is
 * NULL and the error is sticky. Counts one round trip.
 */
ks_redis_status ks_redis_exec(ks_redis_conn *c, redisReply **replies, unsigned n,
	int extra_wait_ms, unsigned flags);

/* Makes an error reply sticky as KS_REDIS_ERR_REPLY, quoting Redis's message
 * after `what` (e.g. "EVALSHA on tcp://h:p"): `... replied "OOM command not
 * allowed ..."`. Returns KS_REDIS_ERR_REPLY. */
ks_redis_status ks_redis_reply_error(ks_redis_conn *c, const char *what, const redisReply *r);

/*
 * Encodes "AUTH [user] pass" (user omitted when NULL or empty) into a
 * malloc'd RESP buffer at *out, as redisFormatCommandArgv does. Returns its
 * length, or -1 when out of memory (*out is then not set). The caller frees
 * it with redisFreeCommand(). Used for masters and sentinels alike.
 */
int ks_redis_format_auth(char **out, const char *user, const char *pass);

#endif /* KS_REDIS_H */
