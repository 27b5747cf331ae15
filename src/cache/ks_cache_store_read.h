/*
 * ks_cache_store_read.h: the seqlock read path. fetch and exists read a
 * shard without its lock; their statistics are queued and applied later.
 *
 * A reader samples an even `seq` (the writer's side is in ks_cache_shard.h),
 * walks the chain with every offset and length bounds-checked against the
 * arena (so a torn read can never leave the shard: every offset must be a
 * payload offset, and key and value lengths are bounded by the size in their
 * block's header, so a torn length never sizes a copy beyond one block),
 * copies the value out, and accepts the result only if `seq` did not change;
 * otherwise it retries (KS_CACHE_RETRY inside this file), and after a few
 * tries takes the lock read-only. A reader that finds `seq` odd spins about
 * 1.5 us (by the clock), yields the CPU once, and if `seq` is still odd (the
 * holder was preempted, or is paused or dead) goes to the lock at once, so
 * it sleeps instead of burning the CPU the holder needs. A holder that dies
 * with `seq` odd sends readers to the lock, whose EOWNERDEAD path repairs
 * the shard.
 *
 * Readers write nothing shared: their statistics (hits, misses, the entry's
 * hits/atime/recency, the frequency sketch) are queued per process
 * (ks_cache_reads) and applied in batches under the lock, with a try-lock,
 * so a reader never waits; a batch applied to a busy shard only adds its
 * hit and miss counts (atomically).
 */
#ifndef KS_CACHE_STORE_READ_H
#define KS_CACHE_STORE_READ_H

#include "cache/ks_cache_shard.h"

/* Per-process queue of lock-free reads whose statistics are still to be
 * applied. Process-local (module globals), never in the segment. */
#define KS_CACHE_READS_MAX 64
typedef struct ks_cache_reads {
	uint32_t n;              /* a fork child must start at 0 (cache_module.c's atfork handler) */
	struct {
		uint32_t shard, off, hash, hit;
	} r[KS_CACHE_READS_MAX];
} ks_cache_reads;

/*
 * Looks k up. out == NULL: an existence check; otherwise the value is copied
 * into out (replacing its content). pend: queue the read's statistics there
 * (fetch, exists; a full queue is flushed without waiting), or NULL to leave
 * no trace (iterator). KS_CACHE_OK, KS_CACHE_NOTFOUND (also for a lease or
 * an expired entry), KS_CACHE_NOMEM, or a lock failure when readers kept
 * colliding with writers and the lock could not be had. Takes no lock
 * unless readers keep colliding with writers.
 */
ks_cache_status ks_cache_store_get(ks_cache_ctx *c, const ks_cache_key *k, ks_cache_buf *out, ks_cache_reads *pend);

/*
 * ks_cache_store_get for a caller pinned in the epoch scheme
 * (ks_cache_epoch_pin() done before this call): a value in the immutable
 * form (KS_CACHE_VAL_IMM) is not copied; *ref points at its bytes in the
 * segment, valid until the caller unpins. Any other value is copied into
 * out and *ref is NULL.
 */
ks_cache_status ks_cache_store_get_ref(ks_cache_ctx *c, const ks_cache_key *k, ks_cache_buf *out, ks_cache_reads *pend,
	const char **ref);

/* Applies queued read statistics and empties pend. wait = 0: shards whose
 * lock is busy only get their hit/miss counts (atomically); wait = 1: take
 * each lock (bounded by the context's lock timeout). */
void ks_cache_store_flush_reads(ks_cache_ctx *c, ks_cache_reads *pend, int wait);

#endif
