/*
 * ks_sess_store.h: every Redis operation on a session's keys, including the
 * lock protocol of DESIGN.md. Built on ks_redis_conn; no PHP warnings here:
 * each function returns a status and leaves the cause sticky on the
 * connection (errstr names the operation, the host and Redis's message),
 * and the handler turns it into one warning.
 *
 * Lock protocol, in round trips (RT):
 *  - acquire+read, 1 RT: ACQUIRE script = SET lock token NX PX ttl; on
 *    success (or when the lock already holds our token: a retried call)
 *    GET data and slide its TTL; otherwise return the lock's PTTL.
 *  - wait, per cycle 1 RT: BLPOP wake min(PTTL, budget left), then ACQUIRE
 *    again. The wake list is only a hint: the lock is always taken by SET
 *    NX, so a stale token costs one spurious retry, never a second holder.
 *    A releaser pushes one token and trims the list to one element, and the
 *    list expires after KS_SESS_WAKE_TTL_MS, so stale tokens cannot pile up.
 *    A holder that dies pushes nothing; waiters then wake when its TTL ends.
 *  - write/refresh/destroy + release, 1 RT: RELEASE script checks the lock
 *    still holds our token; only then it writes (or refreshes the TTL, or
 *    deletes), deletes the lock and pushes a wake token. Otherwise it changes
 *    nothing and reports the lock as lost.
 * Scripts go by EVALSHA; a NOSCRIPT reply costs one EVAL (1 more RT).
 */
#ifndef KS_SESS_STORE_H
#define KS_SESS_STORE_H

#include "redis/ks_redis.h"
#include "session/ks_sess_keys.h"

#define KS_SESS_WAKE_TTL_MS 2000

/* Computes the scripts' SHA1s. Pure; called once from MINIT. */
void ks_sess_store_minit(void);

typedef enum ks_sess_acquire_result {
	KS_SESS_ACQ_OK,
	KS_SESS_ACQ_TIMEOUT,     /* budget spent; no error on the connection */
	KS_SESS_ACQ_COLLISION,   /* `fresh` id already has data; lock not kept */
	KS_SESS_ACQ_ERROR        /* error sticky on the connection */
} ks_sess_acquire_result;

typedef struct ks_sess_wait_info {
	bool waited;
	int64_t waited_ms;
} ks_sess_wait_info;

/*
 * Takes the lock with `token` (KS_SESS_TOKEN_HEX chars) for ttl_ms and reads
 * the data, waiting up to wait_ms for a holder to hand over. `fresh` marks an
 * id this worker just generated: existing data means a collision. On OK,
 * *data is the data reply (STRING, or NULL when the session is new); the
 * caller frees it with freeReplyObject.
 */
ks_sess_acquire_result ks_sess_lock_acquire(ks_redis_conn *c, const ks_sess_keys *k, const char *token,
	int64_t ttl_ms, int64_t wait_ms, long data_ttl_s, bool fresh, redisReply **data, ks_sess_wait_info *w);

typedef enum ks_sess_release_mode {
	KS_SESS_REL_WRITE = 'w',    /* SET data EX ttl */
	KS_SESS_REL_TOUCH = 't',    /* EXPIRE data ttl; SET it if it vanished */
	KS_SESS_REL_DESTROY = 'd',  /* DEL data */
	KS_SESS_REL_ONLY = 'r'      /* release only */
} ks_sess_release_mode;

/* Fenced write/refresh/destroy + release. On KS_REDIS_OK, *held tells whether
 * the lock still held our token (false: nothing was changed). */
ks_redis_status ks_sess_lock_release(ks_redis_conn *c, const ks_sess_keys *k, const char *token,
	ks_sess_release_mode mode, const char *val, size_t len, long data_ttl_s, bool *held);

/* Unlocked operations, 1 RT each. */
ks_redis_status ks_sess_get(ks_redis_conn *c, const ks_sess_keys *k, redisReply **data);  /* *data NULL if missing */
ks_redis_status ks_sess_set(ks_redis_conn *c, const ks_sess_keys *k, const char *val, size_t len, long ttl_s);
ks_redis_status ks_sess_touch(ks_redis_conn *c, const ks_sess_keys *k, const char *val, size_t len, long ttl_s);
ks_redis_status ks_sess_del(ks_redis_conn *c, const ks_sess_keys *k);
ks_redis_status ks_sess_exists(ks_redis_conn *c, const ks_sess_keys *k, bool *exists);

#endif
