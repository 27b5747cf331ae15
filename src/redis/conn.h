/*
 * conn.h: one logical link to one Redis host (conn.c).
 *
 * Lazy connect, AUTH/SELECT, an owner pid check, a pipeline buffer and RESP
 * parsing (hiredis 0.14 redisFormatCommandArgv and redisReader only; hiredis
 * never touches the socket, the transport does).
 *
 * Error model (hiredis style): every failure is sticky on the connection as
 * `err` (a ks_redis_status) plus `errstr` (already naming the host and the
 * cause, never a password). Every call returns early while `err` is set;
 * the caller reads the error, reports it once, then calls
 * ks_redis_conn_reset_error() (which also drops the socket if the error
 * left it in an unknown state).
 *
 * Memory: a connection and everything it owns is malloc'd (pemalloc(...,1)
 * semantics: it may outlive a request, one per worker). Replies are
 * malloc'd by hiredis and freed with freeReplyObject().
 *
 * Threads: a connection is never shared. Under ZTS each thread owns its
 * connections. Across fork(), a connection whose owner pid differs from
 * getpid() is never used: the child drops the inherited fd (without sending
 * anything) and connects again.
 */
#ifndef KS_REDIS_CONN_H
#define KS_REDIS_CONN_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <sys/types.h>
#include <hiredis/hiredis.h>

#include "redis/status.h"
#include "redis/path.h"
#include "redis/transport.h"
#include "redis/endpoint.h"

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

#endif /* KS_REDIS_CONN_H */
