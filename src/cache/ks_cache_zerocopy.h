/*
 * ks_cache_zerocopy.h: zero-copy fetch, the PHP-facing glue (cache_zerocopy.c)
 * between the store, the immutable layout (ks_cache_immutable.h) and epoch
 * reclamation (ks_cache_epoch.h). Issue 13.
 *
 * Store: a value that is pure data and worth it (an array, or a string of at
 * least KS_CACHE_ZC_MIN_STRING bytes) is written in the immutable form, in
 * place under the shard lock, holding a ticket of the shard's retire ring;
 * when the ring has no ticket left it is stored in the copying form as
 * before. Fetch: the first fetch of a request pins the process's epoch slot;
 * an immutable value is then handed out in place (an array or interned
 * string that lives in the segment: O(1), no request memory), any other
 * value is copied as before. The pin ends in post-deactivate, after every
 * variable of the request is gone.
 *
 * Off (everything is copied, immutable entries through the copy path) when
 * keepsake.cache.zero_copy=0, under ZTS (threads would need a slot each and
 * the atfork rules differ), when this process did not map the segment
 * before forking (it always does in MINIT; the check guards a future lazy
 * mapping), when no epoch slot is free, or once the request's pin is older
 * than keepsake.cache.zero_copy_max_pin seconds.
 */
#ifndef KS_CACHE_ZEROCOPY_H
#define KS_CACHE_ZEROCOPY_H

#include "php.h"
#include "cache/ks_cache_store.h"

/* Strings below this are copied: a copy of a few KB costs less than what an
 * immutable string costs its writers (every overwrite retires a block that
 * waits for the readers pinned at the time; with 64 bytes the 4-process
 * 10:1 mix ran at 0.6x APCu instead of 1.9x). */
#define KS_CACHE_ZC_MIN_STRING 4096

/* Whether this request may fetch without copying (INI, ZTS, segment). */
int ks_cache_zc_enabled(void);

/*
 * Tries to store value in the immutable form. 1: handled, *st is the
 * outcome (KS_CACHE_OK, KS_CACHE_EXISTS, or a failure to warn about);
 * 0: not pure data, not worth it, or the ring is full: store the copying
 * form. max: the largest value bytes the shard takes.
 */
int ks_cache_zc_put(ks_cache_ctx *c, const ks_cache_key *k, zval *value, uint32_t ttl, int exclusive,
	uint64_t max, ks_cache_status *st);

/*
 * Fetches k: an immutable value in place, any other decoded from a copy.
 * KS_CACHE_OK (rv set), KS_CACHE_NOTFOUND, KS_CACHE_REFUSED (undecodable
 * bytes) or a store failure. Without a pin (none to be had) it behaves as
 * the copying fetch.
 */
ks_cache_status ks_cache_zc_fetch(ks_cache_ctx *c, const ks_cache_key *k, zval *rv);

/* Ends the request's pin: post-deactivate, when nothing can read a block. */
void ks_cache_zc_request_end(void);
/* The process leaves (MSHUTDOWN): frees its slot and closes its descriptor of
 * the heir file. */
void ks_cache_zc_detach(void);
/* pthread_atfork hooks (fork hand-over of the pin, ks_cache_epoch.h). */
void ks_cache_zc_fork_prepare(void);
void ks_cache_zc_fork_parent(void);
void ks_cache_zc_fork_child(void);

#endif
