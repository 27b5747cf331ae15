/*
 * ks_cache_store_evict.h: making room in a shard, and entry()'s leases.
 *
 * Eviction: when the arena cannot serve an allocation, expired entries of
 * the shard are dropped first (a full sweep, only when the shard's earliest
 * expiry, next_expire, has passed), then victims are chosen by sampling: up
 * to KS_CACHE_SAMPLE entries from consecutive buckets at a random start, and
 * the one with the lowest access frequency is evicted (ties: the least
 * recently used, by the shard's logical clock). Frequencies come from the
 * shard's count-min sketch of reads (ks_cache_sketch.h), so a key evicted and
 * read again keeps its history: an approximate LFU with aging, which on
 * skewed (Zipf) workloads keeps more hits than LRU. Leases are never evicted.
 * Room for an immutable block is made only in the shard's zero-copy region
 * (ks_cache_shard.h): only the entries that lie there are candidates.
 *
 * Leases (entry()): an entry with lease = 1 has no value; `hits` holds the
 * owner pid, `atime` the owner thread's tag (ks_cache_store_thread_tag():
 * threads of one ZTS process share the pid) and `expire` the deadline
 * second. It reads as a miss. A lease whose owner process is gone
 * (kill(pid, 0) fails with ESRCH) or whose deadline has passed is taken over
 * by the next process or thread that asks; a thread that ended while holding
 * one (its process living on) cannot be detected, so its lease lasts until
 * the deadline. The owner itself asking again (a later request of the same
 * worker, after a fatal error) takes it back at once.
 *
 * Locking: the *_locked function runs with the shard's lock held and inside
 * a seqlock change; the lease functions take the lock themselves.
 */
#ifndef KS_CACHE_STORE_EVICT_H
#define KS_CACHE_STORE_EVICT_H

#include "cache/ks_cache_shard.h"

#define KS_CACHE_SAMPLE 8  /* entries compared per eviction */

/* Flags of ks_cache_insert_locked. */
#define KS_CACHE_INS_LEASE 1  /* a lease of ours: no value; in the zero-copy region when it has room */
#define KS_CACHE_INS_IMM   2  /* the value will be an immutable block: in the zero-copy region */

/*
 * Creates an entry for k (not yet present) holding vlen bytes of val (NULL:
 * left for the caller to fill), or a lease of ours with KS_CACHE_INS_LEASE
 * (val unused, vlen 0), and links it; ttl 0 = no expiry (for a lease: its
 * deadline in seconds). Makes room by expiry and eviction; with
 * KS_CACHE_INS_IMM the block is placed in the shard's zero-copy region
 * (ks_cache_shard.h) and only entries lying there are evicted for it.
 * KS_CACHE_TOOBIG when the entry could not fit even in an empty arena
 * (nothing is evicted for it); KS_CACHE_NOSPACE when eviction could not make
 * room (not counted in `nospace` for KS_CACHE_INS_IMM: the caller falls back
 * to the copying form). Lock held, inside a seqlock change.
 */
ks_cache_status ks_cache_insert_locked(ks_cache_ctx *c, ks_cache_shard *sh, const ks_cache_key *k,
	const char *val, uint32_t vlen, uint32_t ttl, int flags);

/*
 * entry(): KS_CACHE_OK with the value copied into out, KS_CACHE_LEASE_MINE
 * (we hold the lease now: compute, then ks_cache_store_put or
 * ks_cache_store_unlease), or KS_CACHE_LEASED (another live process or thread
 * computes: wait and ask again). lease_secs bounds how long we may hold it;
 * c->pid and c->thread name us. Also KS_CACHE_TOOBIG (no value could follow
 * the key), KS_CACHE_NOSPACE, KS_CACHE_NOMEM and the lock failures.
 */
ks_cache_status ks_cache_store_lease(ks_cache_ctx *c, const ks_cache_key *k, uint32_t lease_secs, ks_cache_buf *out);

/* Drops our lease on k (same pid and thread tag), if we still hold it:
 * KS_CACHE_OK, KS_CACHE_NOTFOUND (not ours, or gone) or a lock failure. */
ks_cache_status ks_cache_store_unlease(ks_cache_ctx *c, const ks_cache_key *k);

/* A nonzero number that tells the calling thread from the other threads of
 * its process (1, 2, ... in the order threads first ask); constant for the
 * thread's life. A fork child keeps its parent thread's tag, which is fine as
 * its pid differs. */
uint32_t ks_cache_store_thread_tag(void);

#endif
