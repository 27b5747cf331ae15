/*
 * ks_cache_store_info.h: introspection of the store, for keepsake_cache_info,
 * key_info, sma_info and the iterator: one entry's metadata, a shard's
 * snapshot of live entries, the summed counters and the arenas' free blocks.
 *
 * Snapshots are copies into process-local buffers (records of ks_cache_meta,
 * 8-byte aligned, each followed by its key and optionally its value), so the
 * caller decodes them with no lock held. Counters are summed without locks
 * (aligned word reads: a total may be slightly stale, never torn); the rest
 * takes each shard's lock read-only and changes nothing.
 */
#ifndef KS_CACHE_STORE_INFO_H
#define KS_CACHE_STORE_INFO_H

#include "cache/ks_cache_shard.h"

/* Fixed part of a snapshot record; followed by klen key bytes and, when
 * values were asked for, vlen value bytes; records are 8-byte aligned. */
typedef struct ks_cache_meta {
	uint32_t klen, vlen;
	uint32_t ctime, expire, atime, hits;
	uint32_t mem_size;       /* bytes of the entry's block */
	uint32_t has_value;
	uint32_t shard;          /* index of the shard holding it */
	uint32_t pad;
} ks_cache_meta;

/* The whole segment's counters (ks_cache_store_stats). */
typedef struct ks_cache_stats {
	ks_cache_shard_stats st;
	uint64_t entries, leases, buckets;
	uint64_t mem_used, mem_free, mem_total;
	uint64_t zc_live;         /* values in the immutable (zero-copy) form */
	uint64_t retired_blocks;  /* zero-copy blocks unlinked, waiting for readers to move on */
	uint64_t retired_bytes;   /* their bytes (counted in mem_used, not free yet) */
	uint64_t retired_freed;   /* retired blocks freed since start */
	uint64_t zc_slots;        /* epoch slots owned by processes */
	uint64_t zc_pinned;       /* of them, pinned in a request now */
	uint64_t zc_dead_reclaimed; /* slots freed from processes found dead */
	uint64_t zc_unmapped_reclaimed; /* slots freed from live processes that exec()ed (no longer map the segment) */
	uint64_t zc_sticky;       /* slots kept for fork children that have none (sticky) */
	uint64_t zc_fork_reserved; /* fork children given a slot of the reserve */
	uint64_t zc_fork_shared;  /* forks that left the child no slot: it read under its parent's */
} ks_cache_stats;

/* Bytes of the snapshot record m heads (header, key, value if present,
 * padding to 8). */
static inline size_t ks_cache_meta_record_size(const ks_cache_meta *m)
{
	size_t n = sizeof(ks_cache_meta) + m->klen + (m->has_value ? m->vlen : 0);
	return (n + 7) & ~(size_t) 7;
}

/* The metadata of k's live entry into *m (no statistics are touched):
 * KS_CACHE_OK, KS_CACHE_NOTFOUND (none, or a lease) or a lock failure. */
ks_cache_status ks_cache_store_meta(ks_cache_ctx *c, const ks_cache_key *k, ks_cache_meta *m);

/*
 * Appends a record (see ks_cache_meta) for each live entry of shard i to out.
 * slots != NULL: also appends, in the same walk under the same lock, one
 * u32 (bucket, count) pair for each bucket of shard i holding at least one
 * of those records (APCu's slot_distribution; the bucket is local to the
 * shard: its global slot is i * buckets per shard + bucket). KS_CACHE_OK,
 * KS_CACHE_NOTFOUND (i out of range), KS_CACHE_NOMEM (out and slots hold
 * what was appended) or a lock failure.
 */
ks_cache_status ks_cache_store_snapshot(ks_cache_ctx *c, uint32_t i, ks_cache_buf *out, int with_values,
	ks_cache_buf *slots);

/* Sums the counters of all shards into *s, without locks. */
void ks_cache_store_stats(const ks_cache_seg *seg, ks_cache_stats *s);

/* Adds every shard's free-block histogram to hist (takes each lock in
 * turn): KS_CACHE_OK, or the first lock failure (hist then partial). */
ks_cache_status ks_cache_store_histogram(ks_cache_ctx *c, uint64_t hist[KS_CACHE_ARENA_HIST]);

/* Replaces out's content with u32 (size, offset) pairs of shard i's free
 * blocks (i < nshards): KS_CACHE_OK, KS_CACHE_NOMEM or a lock failure. */
ks_cache_status ks_cache_store_free_blocks(ks_cache_ctx *c, uint32_t i, ks_cache_buf *out);

/* Arena bytes of one shard (all shards are the same size). */
uint32_t ks_cache_store_shard_arena(const ks_cache_seg *seg);

#endif
