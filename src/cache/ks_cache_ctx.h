/*
 * ks_cache_ctx.h: what every PHP-facing operation of the cache needs
 * (cache_api.c, cache_iter.c, cache_apcu.c, cache_module.c): the process's
 * view of the shared segment, a context for one store operation, the one
 * warning for a failed operation, and the flush of queued read statistics.
 * Private to src/cache. It depends on the store and on no other PHP-facing
 * file, so those files can all use it without including each other.
 *
 * ks_cache_segment is mapped in MINIT before the workers fork, and is NULL
 * when the cache is disabled (INI, or CLI without enable_cli). It is written
 * only by cache_module.c, in MINIT and MSHUTDOWN; every other file only
 * reads it.
 */
#ifndef KS_CACHE_CTX_H
#define KS_CACHE_CTX_H

#include "php.h"
#include "cache/ks_cache_store.h"

extern ks_cache_seg *ks_cache_segment;

/* Fills c for one store operation on ks_cache_segment: the lock timeout of
 * this request's INI, the clock left unread (the store reads it lazily), and
 * with need_pid (an operation that may own a lease) our pid and thread tag.
 * Debug builds also pass keepsake.cache.debug_lock_pause. */
void ks_cache_ctx_init(ks_cache_ctx *c, int need_pid);

/* Applies this process's queued read statistics: before reporting them
 * (wait = 1: takes the locks, bounded by lock_timeout) and at the end of
 * each request (wait = 0: busy shards only get their hit/miss counts).
 * Nothing when the cache is disabled or the queue is empty. */
void ks_cache_flush_reads(int wait);

/* Frees the per-process scratch buffer (values copied out of the segment
 * for decoding) when it grew past 1 MB; called once a copy is decoded (its
 * bytes are not needed any more) and at the end of each request. */
void ks_cache_scratch_trim(void);

/* The one E_WARNING for a failed operation op ("store", "fetch", ...) on a
 * key (its first 128 bytes are shown), naming the cause st. */
void ks_cache_warn(const char *op, const char *key, size_t klen, ks_cache_status st);

/* The same warning with a cause in words. Every warning about a key goes
 * through here, so a key is always cut to 128 bytes (a key of megabytes
 * must not become a warning of megabytes) and shown up to a NUL byte. */
void ks_cache_warn_cause(const char *op, const char *key, size_t klen, const char *cause);

#endif
