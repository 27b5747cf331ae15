/*
 * conn.h: one logical link to one Redis host (conn.c).
 *
 * Lazy connect, AUTH/SELECT, an owner pid check, a pipeline buffer and
 * typed replies (reply.h). The transport (transport.h) moves the bytes;
 * commands are built with cmd.h and replies read with reply.h's reader, so
 * this header shows nothing of hiredis.
 *
 * Error model (hiredis style): every failure is sticky on the connection as
 * `err` (a ks_redis_status) plus `errstr` (already naming the host and the
 * cause, never a password). Every call returns early while `err` is set;
 * the caller reads the error, reports it once, then calls
 * ks_redis_conn_reset_error() (which also drops the socket if the error
 * left it in an unknown state). The transport, which knows nothing of the
 * connection, reports into `err`/`errstr` through an error sink
 * (ks_redis_err, status.h) that names the host by its description.
 *
 * Topology hooks: a connection knows nothing of the topology it serves. A
 * topology that must find its server before connecting (sentinel), follow
 * a reply elsewhere (cluster redirections) or learn of failures (to reload
 * a map) gives the connection a table of hooks (ks_redis_conn_hooks).
 *
 * Memory: a connection and everything it owns is malloc'd (pemalloc(...,1)
 * semantics: it may outlive a request, one per worker). Replies are
 * malloc'd and freed with ks_redis_reply_free().
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

#include "redis/status.h"
#include "redis/path.h"
#include "redis/transport.h"
#include "redis/endpoint.h"
#include "redis/reply.h"
#include "redis/cmd.h"

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

struct ks_redis_conn;

/* Builds the command an exec that times out sends behind what it sent
 * (ks_redis_conn_behind); ctx is the caller's. */
typedef void (*ks_redis_behind_fn)(const void *ctx, ks_redis_cmd *cmd);

/* What an on_error_reply hook may need of the exec in progress. */
typedef struct ks_redis_exec_info {
	const char *cmd;       /* the one command as sent (RESP bytes) */
	size_t cmdlen;
	int extra_wait_ms;     /* as given to ks_redis_exec */
	unsigned flags;        /* as given to ks_redis_exec */
	int64_t started;       /* ks_redis_now_ms() when the exec began */
	bool resend;           /* set by the hook: send the command again on this connection */
} ks_redis_exec_info;

/*
 * The hooks of the topology that owns a connection. Each may be NULL.
 *  - connect: opens the connection instead of the plain connect to c->host
 *    (a topology that discovers its server first); it calls
 *    ks_redis_conn_open() to connect to the address it found. Returns the
 *    status, with the error sticky on c.
 *  - on_error_reply: the one reply of an exec of one command is an error
 *    reply. The hook may replace *reply (following a redirection), set
 *    x->resend, or leave it. Returns KS_REDIS_OK, or an error made sticky
 *    on c (then *reply is freed by the caller).
 *  - on_failure: c's sticky error is about to be cleared (the caller has
 *    reported it): the topology may note the node as failed.
 */
typedef struct ks_redis_conn_hooks {
	ks_redis_status (*connect)(void *ctx, struct ks_redis_conn *c, int64_t deadline);
	ks_redis_status (*on_error_reply)(void *ctx, struct ks_redis_conn *c, ks_redis_exec_info *x,
		ks_redis_reply **reply);
	void (*on_failure)(void *ctx, struct ks_redis_conn *c);
} ks_redis_conn_hooks;

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
	ks_redis_reader *reader;       /* created with the socket, freed when it drops */
	pid_t owner_pid;
	bool used;                     /* a command went over this socket */
	bool checked;                  /* the socket was polled for staleness (or just opened)
	                                  since the last ks_redis_conn_recheck(): execs until
	                                  the next one skip the poll */
	ks_redis_status err;           /* sticky */
	char errstr[512];              /* names host and cause; never a password */
	char *obuf;                    /* pipeline buffer (malloc) */
	size_t olen, ocap;
	unsigned pending;              /* commands in obuf */
	ks_redis_counters *counters;   /* borrowed, never NULL (points to a dummy if none given) */
	char node[300];                /* the server actually connected ("tcp://10.0.0.5:6379";
	                                  a discovered master names itself), "" while not
	                                  connected; never holds a password */
	const ks_redis_conn_hooks *hooks;   /* the owning topology's, or NULL; borrowed */
	void *hooks_ctx;                    /* passed to every hook */
	char refusal[160];             /* the server's error reply that failed the last
	                                  handshake (AUTH or SELECT), "" otherwise: for a
	                                  connect hook that words its own message */
	bool drop_on_reset;            /* an error reply said this node is no longer a writable
	                                  master (READONLY, MASTERDOWN): reset closes the socket
	                                  so the next connect finds the master again */
	bool in_exec;                  /* an exec on this connection has not returned yet (a
	                                  hook may be following a redirection): a nested exec
	                                  here is refused, never appended to obuf mid-exchange */
	int64_t cap_deadline;          /* 0, or an absolute ks_redis_now_ms() time that no
	                                  connect or reply wait may pass (a caller's budget
	                                  shared over several nodes); see ks_redis_conn_cap */
	ks_redis_behind_fn behind;     /* NULL, or the builder of what each exec sends behind
	                                  its commands if it times out (borrowed with
	                                  behind_ctx; armed until disarmed, ks_redis_conn_behind) */
	const void *behind_ctx;
	bool sent_whole;               /* the last round trip wrote all of its commands: only
	                                  then may a command follow them on the socket (after a
	                                  half-written one Redis would read it as the rest) */
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
/* Gives c the hooks of the topology that owns it (both borrowed; NULL: none). */
void ks_redis_conn_set_hooks(ks_redis_conn *c, const ks_redis_conn_hooks *hooks, void *ctx);
/* True when two hosts are the same target with the same credentials,
 * database, timeouts and TLS settings (weight and prefix do not matter to
 * a socket), so a connection made for one serves the other. */
bool ks_redis_host_same(const ks_redis_host *a, const ks_redis_host *b);
/* The owner starts a new unit of work (a request): the next exec polls a
 * reused socket once for staleness (conn.c's retry essay); the execs after
 * it, within the same unit, do not. NULL-safe. */
void ks_redis_conn_recheck(ks_redis_conn *c);
/* Closes the socket, keeps the object (for persistent=0 at request end). NULL-safe. */
void ks_redis_conn_disconnect(ks_redis_conn *c);
/* Clears the sticky error (telling the owner's on_failure hook first); a
 * socket left in an unknown state (anything but a clean error reply) is
 * closed so the next exec reconnects. */
void ks_redis_conn_reset_error(ks_redis_conn *c);
/* Sets the sticky error (first one wins) with a printf-style message; the
 * host description is prepended by the caller's format if wanted. Returns st. */
ks_redis_status ks_redis_conn_set_error(ks_redis_conn *c, ks_redis_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Bounds every wait of the following execs on c by `deadline` (absolute
 * ks_redis_now_ms() time) on top of the connect and read timeouts; 0 lifts
 * the bound. For a caller that shares one time budget over several nodes. */
void ks_redis_conn_cap(ks_redis_conn *c, int64_t deadline);

/*
 * Arms every ks_redis_exec on c until the caller disarms (fn NULL): should
 * an exec's reply wait time out (the server may only be slow, and run the
 * commands after the client gave up), fn builds a command that goes out on
 * the same socket right behind them before the socket is dropped, so the
 * server runs it after them, in order; its reply is never read. Best
 * effort: a write that cannot go out at once is given up. Armed over
 * several execs, not one: a script is sent as EVALSHA and then, after
 * NOSCRIPT, as EVAL, and the EVAL's timeout needs it as much. ctx is
 * borrowed: disarm before it goes out of scope.
 */
void ks_redis_conn_behind(ks_redis_conn *c, ks_redis_behind_fn fn, const void *ctx);

/* The save_path's name of c's host ("tcp://h:p", never a password). */
const char *ks_redis_conn_desc(const ks_redis_conn *c);
/* The server c talks to: the node actually connected when it differs from
 * the host (a discovered master), else the host's description. */
const char *ks_redis_conn_node(const ks_redis_conn *c);
/* True while c has an open socket. */
bool ks_redis_conn_is_connected(const ks_redis_conn *c);
/* True when c sends AUTH on connect. */
bool ks_redis_conn_has_auth(const ks_redis_conn *c);

/* Appends one command to the pipeline (copied; the caller frees cmd). No
 * I/O. A command that ran out of memory is refused as KS_REDIS_ERR_OOM. */
ks_redis_status ks_redis_append_cmd(ks_redis_conn *c, const ks_redis_cmd *cmd);
/* Appends `ncmds` commands already encoded as RESP (a hook forwarding a
 * command it saw in ks_redis_exec_info). No I/O. */
ks_redis_status ks_redis_append_raw(ks_redis_conn *c, const char *buf, size_t len, unsigned ncmds);

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
 * On KS_REDIS_OK the caller owns the replies (ks_redis_reply_free each); an
 * error *reply* is still KS_REDIS_OK here (check reply->kind, and use
 * ks_redis_reply_error() to make it sticky). On failure every reply slot is
 * NULL and the error is sticky. Counts one round trip.
 */
ks_redis_status ks_redis_exec(ks_redis_conn *c, ks_redis_reply **replies, unsigned n,
	int extra_wait_ms, unsigned flags);

/* Makes an error reply sticky as KS_REDIS_ERR_REPLY, quoting Redis's message
 * after `what` (e.g. "EVALSHA on tcp://h:p"): `... replied "OOM command not
 * allowed ..."`. Returns KS_REDIS_ERR_REPLY. */
ks_redis_status ks_redis_reply_error(ks_redis_conn *c, const char *what, const ks_redis_reply *r);

/*
 * For a connect hook: opens c's transport to `addr` (NULL: c->host's own
 * address) within `deadline` and runs the handshake (AUTH, SELECT), with
 * `extra` (may be NULL) in the same round trip: its reply, whatever its
 * kind, goes to *extra_reply (the caller frees it). c keeps its host
 * description for messages; c->node names the address reached. On failure
 * the socket is closed, the error sticky on c, and *extra_reply NULL.
 */
ks_redis_status ks_redis_conn_open(ks_redis_conn *c, const ks_redis_endpoint *addr, int64_t deadline,
	const ks_redis_cmd *extra, ks_redis_reply **extra_reply);

#endif /* KS_REDIS_CONN_H */
