/*
 * ks_cache_store.h: the shared-memory store, seen from the PHP-facing files.
 *
 * The store is a segment of 2^n shards (n <= 8), each a hash table of
 * entries in its own arena under its own robust mutex (ks_cache_shard.h has
 * the layout, the lock coverage and the seqlock's writer side). It is split
 * by concept, one header each, and this one includes the others:
 *
 *   ks_cache_shard.h        table and locks (layout, chains, lock/repair)
 *   ks_cache_store_read.h   the seqlock read path: get, queued read statistics
 *   ks_cache_store_evict.h  making room (expiry, sampled LFU eviction), leases
 *   ks_cache_store_info.h   introspection: metadata, snapshots, counters
 *   ks_cache_store.h        this file: the segment, and writes
 *
 * Every operation takes a ks_cache_ctx (the segment, the lock timeout, the
 * caller's pid and thread when it may own a lease) and returns a
 * ks_cache_status (ks_cache_defs.h); only the PHP-facing layer turns a
 * status into a warning. Sizes are refused before any lock is taken, and
 * nothing here calls PHP, so no bailout can happen with a lock held.
 */
#ifndef KS_CACHE_STORE_H
#define KS_CACHE_STORE_H

#include "cache/ks_cache_shard.h"
#include "cache/ks_cache_store_read.h"
#include "cache/ks_cache_store_evict.h"
#include "cache/ks_cache_store_info.h"

/*
 * Lays out a segment in mem (size bytes, zeroed, as mmap gives it; 64-byte
 * aligned) with nshards shards of equal size, stamped with start time now.
 * Checks its own arguments rather than trusting the INI handler: 0, an
 * errno from initialising a shard's lock, or EINVAL when mem is NULL or
 * misaligned, nshards is not a power of two from 1 to KS_CACHE_SHARDS_MAX,
 * or a shard would be smaller than KS_CACHE_SHARD_MIN or too large for the
 * arena's 32-bit offsets (about 4 GB). On failure the segment is unusable.
 */
int ks_cache_store_init(void *mem, size_t size, uint32_t nshards, int64_t now);

/* Longest key: one that fits in a shard with the smallest value
 * (KS_CACHE_VAL_MIN_SIZE: no encoded value is empty), and in the entry's
 * 31-bit klen. Keys are checked against it where they are built. */
uint64_t ks_cache_store_max_key(const ks_cache_seg *seg);

/* Largest encoded value a key of klen bytes may have (one shard's arena). */
uint64_t ks_cache_store_max_value(const ks_cache_seg *seg, uint32_t klen);

/*
 * Stores vlen bytes of val (an encoded value) under k, replacing any entry
 * or lease; exclusive: only when no live entry exists, else KS_CACHE_EXISTS.
 * ttl 0 = no expiry. KS_CACHE_TOOBIG, before the lock and before anything is
 * evicted, when the key and value could not fit even in an empty shard;
 * KS_CACHE_NOSPACE when eviction could not make room; or a lock failure.
 */
ks_cache_status ks_cache_store_put(ks_cache_ctx *c, const ks_cache_key *k, const char *val, uint32_t vlen,
	uint32_t ttl, int exclusive);

/* Deletes k's entry, expired or not (as APCu does); a lease is left alone.
 * KS_CACHE_OK, KS_CACHE_NOTFOUND or a lock failure. */
/* The writer of an immutable value's bytes, called under the shard lock with
 * the vlen bytes to fill: it must not allocate, block or call PHP. */
typedef void (*ks_cache_fill_fn)(void *arg, char *dst, uint32_t vlen);
/* ks_cache_store_put for a value in the immutable form (KS_CACHE_VAL_IMM):
 * the bytes are written in place by fill, so the block's pointers are right
 * where it lives. Takes a ticket of the shard's retire ring first:
 * KS_CACHE_ZC_FULL when none is left, when the shard's zero-copy budget is
 * spent (nothing changed in either case), or when the zero-copy region has
 * no room even after evicting what lies there (the old value, if any, is
 * gone then): store the copying form instead. */
ks_cache_status ks_cache_store_put_fill(ks_cache_ctx *c, const ks_cache_key *k, uint32_t vlen,
	uint32_t ttl, int exclusive, ks_cache_fill_fn fill, void *arg);
ks_cache_status ks_cache_store_delete(ks_cache_ctx *c, const ks_cache_key *k);

/* Adds step (wrapping) to k's int value and puts the sum in *result (0 on
 * failure); a missing key (or a lease) becomes step with ttl.
 * KS_CACHE_NOTLONG when the value is not an int; KS_CACHE_TOOBIG,
 * KS_CACHE_NOSPACE or a lock failure. */
ks_cache_status ks_cache_store_incr(ks_cache_ctx *c, const ks_cache_key *k, int64_t step, uint32_t ttl,
	int64_t *result);

/* Sets k's int value to new_value if it is old: KS_CACHE_OK,
 * KS_CACHE_MISMATCH, KS_CACHE_NOTFOUND (never creates), KS_CACHE_NOTLONG or
 * a lock failure. */
ks_cache_status ks_cache_store_cas(ks_cache_ctx *c, const ks_cache_key *k, int64_t old, int64_t new_value);

/* Empties every shard (leases included): KS_CACHE_OK, or the last lock
 * failure (the shards that were locked are empty). */
ks_cache_status ks_cache_store_clear(ks_cache_ctx *c);

#endif
