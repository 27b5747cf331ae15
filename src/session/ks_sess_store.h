/*
 * ks_sess_store.h: every Redis operation on a session's keys, including the
 * lock protocol of DESIGN.md. Built on ks_redis_conn; no PHP warnings here:
 * each function returns a status and leaves the cause sticky on the
 * connection (errstr names the operation, the host and Redis's message),
 * and the handler turns it into one warning.
 *
 * Lock protocol, in round trips (RT) and commands run inside Redis:
 *  - acquire+read, 1 RT, no Lua: SET lock token NX PX ttl and GETEX data
 *    EX ttl (EXISTS data for an id this worker just made), pipelined. The
 *    data counts only when the SET succeeded. Uncontended: 2 commands.
 *  - when the SET failed, the ACQUIRE script (1 RT): SET NX again (or take
 *    a lock reserved for us, below); on success, or when the lock already
 *    holds our token (a retried call), GETEX; otherwise enter the queue,
 *    mark the lock and return its PTTL. So a contended acquire costs one RT
 *    more than it did with the script alone; the uncontended one runs no Lua.
 *    A caller that expects the lock to be held (`contended`: it just waited
 *    for it) goes to the script first and saves that RT. A fresh id found
 *    to have data (a collision, by the Lua-free try or by the script once
 *    it holds the lock) gives the lock back with ks_sess_lock_drop (1 RT),
 *    which wakes the next waiter as a release does.
 *  - wait, per cycle 1 RT: BLPOP wake min(PTTL, budget left,
 *    KS_SESS_WAIT_RECHECK_MS), then ACQUIRE again (so a wait longer than a
 *    second costs one RT per second). The wake list is only a hint: the lock
 *    is always taken by SET NX or by a reservation, so a stale token costs
 *    one spurious retry,
 *    never a second holder. A releaser pushes its token and trims the list
 *    to one element, and the list expires after KS_SESS_WAKE_TTL_MS, so
 *    stale tokens cannot pile up. A holder that dies pushes nothing;
 *    waiters then wake when its TTL ends.
 *  - the hand-off: a release that finds the waiter mark and a waiter in the
 *    queue does not delete the lock but sets it to "wake:<its token>" for
 *    ks_sess_reserve_ms() (KS_SESS_RESERVE_MS, or the lock TTL when that
 *    is shorter), and pushes that token. The waiter whose BLPOP pops
 *    it passes it to its ACQUIRE, which takes a lock reserved for that
 *    token; everyone else finds the lock taken (a releaser coming straight
 *    back, a new request) and waits, so a woken waiter is never overtaken.
 *    A reservation is not in keepsake's token format, so it is never
 *    marked. A woken waiter that dies before its ACQUIRE pushes nothing
 *    more: the reservation ends after that time, and the waiters
 *    behind it find the lock free at their next look, within
 *    KS_SESS_WAIT_RECHECK_MS (without that bound, the PTTL of the lock they
 *    last saw: up to the whole lock TTL).
 *  - write/refresh/destroy + release, 1 RT: RELEASE script checks the lock
 *    still holds our token; only then it writes (or refreshes the TTL, or
 *    deletes), deletes (or reserves) the lock, leaves a receipt and, if the
 *    lock bears the waiter mark and a waiter is queued, pushes a wake
 *    token. Otherwise it changes
 *    nothing, and reports either "done before" (our receipt is there) or
 *    the lock as lost. Uncontended: 4 commands (GET lock, SET/EXPIRE data,
 *    DEL, SET receipt). With wait_replicas, WAIT rides in the same RT
 *    (ks_sess_wait).
 *
 * The receipt makes the release idempotent, so that it can be sent again
 * when its reply is lost (the connection dropped or the read timed out after
 * Redis may have run it): a second run with the same token answers "done
 * before" and changes nothing. It is a key of its own per token,
 * <prefix>{<sid>}:done:<token> (same hash tag, so same Cluster slot), value
 * "1", living ks_sess_receipt_ttl_ms(): long enough for the resend (see
 * there), short enough that receipts cost little memory (one small key per
 * release per that many ms). One key per token, not one per session, so
 * that a request that takes the lock and releases it between our first run
 * and our resend cannot hide our receipt and make an applied write look
 * lost. The receipt is only read when the lock is not ours, and only ever
 * leads to "done before": it can never make a write happen, so it cannot
 * overwrite a newer holder's data. A run that never happened leaves no
 * receipt, so "lost" stays exact: the write was not applied. Destroy leaves
 * its receipt too (its own resend needs it) and deletes none: a receipt
 * names one token, which no other request ever holds, so it only ever
 * answers that request's resend, and expires by itself.
 *
 * The queue and the waiter mark. Every request that waits is in the queue
 * (ks_sess_keys.h: a sorted set of tokens, each scored by a Redis time) from
 * the ACQUIRE that finds the lock taken until the ACQUIRE that takes it, or
 * its last one before giving up. Each ACQUIRE that refuses it scores it
 * again: the end of the BLPOP it is about to make (at most
 * KS_SESS_WAIT_RECHECK_MS) plus KS_SESS_QUEUE_GRACE_MS, so a blocked waiter
 * is always in the queue, and one killed or cut off in its wait leaves it
 * within about two seconds. The lock's
 * value is the holder's token, followed by one '+' when the queue may be
 * non-empty; the fence accepts our token with or without the mark. Only a
 * marked lock's release reads the queue, so an uncontended request never
 * touches the queue or the wake list. Two rules keep every queued waiter
 * woken:
 *  - mark: an ACQUIRE that finds the lock held, by a caller that will wait,
 *    enters the queue and appends the '+' (within the same script, so no
 *    release can slip in between the failed SET and the mark; a release
 *    before the BLPOP leaves its token in the list, and the BLPOP returns at
 *    once);
 *  - take: an ACQUIRE that takes the lock leaves the queue and sets the mark
 *    when the queue still holds someone, because the holder's release woke
 *    only one of them.
 * A marked lock's release drops the queue's expired entries and reserves
 * and pushes only when someone is left: the last request of a contended
 * spell (nobody queued behind it), or a holder whose only waiter gave up,
 * deletes its lock like an uncontended one, so no lock outlives the spell
 * and the next request takes it without Lua. Every wake token is so either
 * consumed by a waiter that then takes the lock reserved for it or marks
 * the lock that refused it, or left in the list for the next BLPOP (whose
 * waiter then takes the reservation, if it has not expired); a reservation
 * whose token nobody popped is taken by the next ACQUIRE. What the mark
 * cannot cover (a woken waiter killed between its BLPOP and its next
 * ACQUIRE) costs the remaining waiters at most their BLPOP timeout, which
 * is bounded by KS_SESS_WAIT_RECHECK_MS (and their budget). A lock in a
 * foreign format (not KS_SESS_TOKEN_HEX long) is never marked; its waiters
 * wake by that timeout. The queue's scores come from Redis's TIME, so the clocks of the
 * clients never meet.
 *
 * Needs Redis 6.2 or newer (GETEX); an older server fails ACQUIRE with an
 * error that says so, and the script drops the lock it just took.
 * Scripts go by EVALSHA; a NOSCRIPT reply costs one EVAL (1 more RT).
 */
#ifndef KS_SESS_STORE_H
#define KS_SESS_STORE_H

#include "redis/conn.h"
#include "session/ks_sess_keys.h"

#define KS_SESS_WAKE_TTL_MS 2000
/* The longest BLPOP of a waiter before it looks at the lock again. */
#define KS_SESS_WAIT_RECHECK_MS 1000
/* A waiter's place in the queue lasts its next BLPOP and this much more (the
 * round trip to it); it is renewed at every look. */
#define KS_SESS_QUEUE_GRACE_MS 1000

/*
 * Synchronous replication, asked of one write (wait_replicas > 0): WAIT
 * <replicas> <timeout_ms> goes in the same round trip as the write, on the
 * same connection (so on cluster:// to the node that holds the slot), and
 * the read deadline is extended by timeout_ms. acked is what WAIT answered
 * (replicas that have everything this connection wrote), or -1 when it was
 * not sent or failed; err then says why ("" when it was not asked). A
 * shortfall never fails the write: the data is on the master.
 */
typedef struct ks_sess_wait {
	int replicas;        /* in: 0 = no WAIT */
	int timeout_ms;      /* in: >= 1 (0 would block Redis's WAIT for ever) */
	long long acked;     /* out */
	char err[200];       /* out */
} ks_sess_wait;

/* Computes the scripts' SHA1s. Pure; called once from MINIT. */
void ks_sess_store_minit(void);

typedef enum ks_sess_acquire_result {
	KS_SESS_ACQ_OK,
	KS_SESS_ACQ_TIMEOUT,     /* budget spent; no error on the connection */
	KS_SESS_ACQ_COLLISION,   /* `fresh` id already has data; lock given back (ks_sess_lock_drop) */
	KS_SESS_ACQ_ERROR        /* error sticky on the connection */
} ks_sess_acquire_result;

typedef struct ks_sess_wait_info {
	bool waited;
	int64_t waited_ms;
	bool drop_resent;    /* COLLISION: the lock's drop was sent a second time (ks_sess_sent) */
} ks_sess_wait_info;

/*
 * Takes the lock with `token` (KS_SESS_TOKEN_HEX chars) for ttl_ms and reads
 * the data, waiting up to wait_ms for a holder to hand over. `fresh` marks an
 * id this worker just generated: existing data means a collision.
 * `contended`: the caller expects the lock to be held (it waited for it
 * moments ago), so the Lua-free try, which would be refused, is skipped and
 * the ACQUIRE script goes first: a contended acquisition then costs one
 * round trip less, and a wrong guess costs only the script's Lua. On OK,
 * *data is the data reply (STRING, or NULL when the session is new); the
 * caller frees it with ks_redis_reply_free.
 */
ks_sess_acquire_result ks_sess_lock_acquire(ks_redis_conn *c, const ks_sess_keys *k, const char *token,
	int64_t ttl_ms, int64_t wait_ms, long data_ttl_s, bool fresh, bool contended, ks_redis_reply **data,
	ks_sess_wait_info *w);

/*
 * The Lua-free acquire alone, 1 RT: SET lock token NX PX ttl_ms and GETEX
 * data EX data_ttl_s pipelined, no waiting. Strict mode's id check uses it,
 * so that checking that the id exists and taking its lock cost the one
 * round trip the read would have cost anyway. Returns 1 locked (*data the
 * data, NULL when there is none: the caller then holds a lock on a
 * session that does not exist), 0 not taken (held, or a reply the
 * contended path must handle), -1 error sticky on c. *exists: 1 the data
 * is there, 0 it is not (whether or not the lock was taken), -1 not known.
 */
int ks_sess_lock_try(ks_redis_conn *c, const ks_sess_keys *k, const char *token, int64_t ttl_ms, long data_ttl_s,
	ks_redis_reply **data, int *exists);

typedef enum ks_sess_release_mode {
	KS_SESS_REL_WRITE = 'w',    /* SET data EX ttl */
	KS_SESS_REL_TOUCH = 't',    /* EXPIRE data ttl; SET it if it vanished */
	KS_SESS_REL_DESTROY = 'd',  /* DEL data */
	KS_SESS_REL_ONLY = 'r'      /* release only */
} ks_sess_release_mode;

typedef enum ks_sess_release_result {
	KS_SESS_REL_LOST,         /* the lock was not ours, and no run with our token was done: nothing changed */
	KS_SESS_REL_DONE,         /* done by this run */
	KS_SESS_REL_DONE_BEFORE   /* done by an earlier run with our token (a resend): nothing changed now */
} ks_sess_release_result;

/* The shortest life of a release receipt, ms: a floor for small timeouts on a loaded box. */
#define KS_SESS_RECEIPT_MIN_MS 5000

/*
 * How long a release receipt lives on connection c: 2 x connect timeout +
 * 8 x read timeout, at least KS_SESS_RECEIPT_MIN_MS (defaults: 18 s). That
 * bounds the time from the first run to a resend's run that the client can
 * still see: the rest of the first read timeout (r), finding the master
 * again (sentinel:// or cluster://: about c + r), the reconnect with its
 * AUTH/SELECT (c + 2r: its write and its read each have a deadline), the
 * resend's own write and read (2r), and an EVAL after a NOSCRIPT (2r). A
 * resend that runs later than that has timed out at the client, which warns
 * anyway; it then finds neither lock nor receipt and changes nothing.
 * Memory: one small key (about 100-190 bytes in Redis 7.0) per release, for
 * that long, so it grows with the timeouts: docs/session.md gives figures.
 */
int64_t ks_sess_receipt_ttl_ms(const ks_redis_conn *c);

/*
 * How a give-back (ks_sess_lock_release, ks_sess_lock_drop) went out. Both
 * are sent a second time, on a fresh connection, when the first send's
 * reply was lost (the script may have run: the receipt, or for a drop the
 * fence, makes the second run safe) or the node answered READONLY or
 * MASTERDOWN (demoted: nothing was written, and the resend finds the
 * current master); a MOVED or ASK answer is followed by the connection
 * itself. Never more than twice.
 */
typedef struct ks_sess_sent {
	bool resent;       /* sent a second time */
	bool maybe_ran;    /* a send whose reply was lost may have run (meaningful when the call failed) */
} ks_sess_sent;

/* Fenced write/refresh/destroy + release, sent once more as ks_sess_sent
 * says. lock_ttl_ms is the lock's TTL: a lock reserved for a woken waiter
 * lives no longer (ks_sess_reserve_ms). On KS_REDIS_OK, *res says what
 * happened (see ks_sess_release_result); otherwise the error is sticky. */
ks_redis_status ks_sess_lock_release(ks_redis_conn *c, const ks_sess_keys *k, const char *token,
	ks_sess_release_mode mode, const char *val, size_t len, long data_ttl_s, int64_t lock_ttl_ms, ks_sess_wait *w,
	ks_sess_release_result *res, ks_sess_sent *sent);

/*
 * Gives back a lock taken with `token` on an id that turns out to have no
 * session (strict mode's refused id) or one that must not be shared (a
 * fresh id's collision, ks_sess_lock_acquire), 1 RT: the release alone,
 * fenced, and waking a waiter as any release does, but leaving no receipt,
 * so that a refused id leaves no key behind (the lock's SET NX and this DEL
 * are all it writes). Sent once more as the release is (ks_sess_sent),
 * which is safe without a receipt: it writes only while the lock holds
 * `token`, so a resend after the first ran finds the lock gone, reserved
 * for a waiter or someone else's, and does nothing. KS_REDIS_OK also when
 * the lock was not ours; otherwise the error is sticky.
 */
ks_redis_status ks_sess_lock_drop(ks_redis_conn *c, const ks_sess_keys *k, const char *token, int64_t lock_ttl_ms,
	ks_sess_sent *sent);

/* Unlocked operations, 1 RT each; w (may be NULL) as for the release. */
ks_redis_status ks_sess_get(ks_redis_conn *c, const ks_sess_keys *k, ks_redis_reply **data);  /* *data NULL if missing */
ks_redis_status ks_sess_set(ks_redis_conn *c, const ks_sess_keys *k, const char *val, size_t len, long ttl_s,
	ks_sess_wait *w);
ks_redis_status ks_sess_touch(ks_redis_conn *c, const ks_sess_keys *k, const char *val, size_t len, long ttl_s,
	ks_sess_wait *w);
ks_redis_status ks_sess_del(ks_redis_conn *c, const ks_sess_keys *k, ks_sess_wait *w);
ks_redis_status ks_sess_exists(ks_redis_conn *c, const ks_sess_keys *k, bool *exists);

#endif
