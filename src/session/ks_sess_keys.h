/*
 * ks_sess_keys.h: pure helpers of the session layer: session id checks, key
 * names, lock tokens and the lock TTL rule. No I/O, no PHP state.
 *
 * Keys of one session (the hash tag keeps them on one Cluster slot):
 *   data  <prefix>{<sid>}        the serialized session, TTL gc_maxlifetime
 *   lock  <prefix>{<sid>}:lock   the lock, value = token (+ "+" once a waiter queued; see ks_sess_store.h), TTL = lock TTL
 *   wake  <prefix>{<sid>}:wake   hand-off list; at most one element, short TTL
 *   queue <prefix>{<sid>}:queue  the waiters: a sorted set of their tokens, each
 *                                scored by the end of its wait budget (Redis time,
 *                                ms); gone when nobody waits (see ks_sess_store.h)
 *   done  <prefix>{<sid>}:done:<token>   release receipt, value "1", a few seconds
 *                                TTL (one per release; see ks_sess_store.h)
 * A sid is only ever put into a key after ks_sess_sid_valid() accepted it.
 */
#ifndef KS_SESS_KEYS_H
#define KS_SESS_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KS_SESS_MAX_SID 256      /* PHP's PS_MAX_SID_LENGTH */
#define KS_SESS_TOKEN_BYTES 16   /* 128 random bits per acquisition */
#define KS_SESS_TOKEN_HEX (KS_SESS_TOKEN_BYTES * 2)
/* The longest lock TTL and lock wait, in ms (one day): keepsake.session.lock_ttl
 * and lock_wait refuse more, so a wait always fits an int of milliseconds. */
#define KS_SESS_MAX_MS 86400000

/* True when sid[0..len) uses only PHP's sid alphabet [a-zA-Z0-9,-], the
 * characters both ext/session (php_session_valid_key) and its files handler
 * (ps_files_valid_key) accept; says nothing of the length. The one
 * character rule of ks_sess_sid_valid and ks_sess_mig_files_sid_valid. */
bool ks_sess_sid_chars_valid(const char *sid, size_t len);

/* PHP's own sid alphabet [a-zA-Z0-9,-], 1..256 characters. */
bool ks_sess_sid_valid(const char *sid, size_t len);

/* The four key names of one session id, in one malloc'd buffer that a
 * later build reuses when it is large enough (so a request builds keys
 * with at most one malloc per buffer). Each name is NUL-terminated. A
 * zeroed struct is empty and valid. */
typedef struct ks_sess_keys {
	char *buf;
	size_t cap;               /* bytes allocated at buf */
	const char *data, *lock, *wake, *queue;
	size_t data_len, lock_len, wake_len, queue_len;
} ks_sess_keys;

/* Builds the keys of sid[0..slen) under prefix[0..plen) into k, which
 * may hold garbage (one malloc). Returns 0, or -1 on OOM (k zeroed). */
int ks_sess_keys_build(ks_sess_keys *k, const char *prefix, size_t plen, const char *sid, size_t slen);

/* The same into k, which must be zeroed or built before: its buffer is
 * reused when large enough, so a request that builds keys again and again
 * mallocs once. Returns 0, or -1 on OOM (k zeroed, buffer freed). */
int ks_sess_keys_rebuild(ks_sess_keys *k, const char *prefix, size_t plen, const char *sid, size_t slen);

/* Frees the buffer and zeroes k. Safe on a zeroed struct. */
void ks_sess_keys_free(ks_sess_keys *k);

/* The release receipt's key for `token` (KS_SESS_TOKEN_HEX chars): data key
 * + ":done:" + token, malloc'd into *out (NUL-terminated, length *len; the
 * caller frees it). Returns 0, or -1 on OOM (*out NULL). */
int ks_sess_keys_receipt(const ks_sess_keys *k, const char *token, char **out, size_t *len);

/* Lowercase hex of n bytes into out (2n+1 bytes, NUL-terminated). */
void ks_sess_hex(const unsigned char *raw, size_t n, char *out);

/* The lock TTL in ms: the INI value when > 0, else max_execution_time + 5 s,
 * at least 30 s. Always finite and > 0. */
int64_t ks_sess_lock_ttl_ms(int64_t ini_ttl_ms, int64_t max_execution_time_s);

/* The wait budget in ms: -1 means "the lock TTL". */
int64_t ks_sess_lock_wait_ms(int64_t ini_wait_ms, int64_t lock_ttl_ms);

/* How long a released lock stays reserved for the waiter it woke
 * (ks_sess_store.h, the hand-off), at most. */
#define KS_SESS_RESERVE_MS 500

/* The reservation a release of a lock with TTL lock_ttl_ms makes:
 * KS_SESS_RESERVE_MS, but never longer than the lock TTL, so that a woken
 * waiter that dies before taking it holds the others back no longer than a
 * lock would (a lock_ttl below 500 ms). At least 1 (PX 0 is an error). */
int64_t ks_sess_reserve_ms(int64_t lock_ttl_ms);

#endif
