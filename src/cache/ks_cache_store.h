/*
 * ks_cache_store.h: the shared segment, its shards and their entries.
 *
 * Segment layout (one MAP_SHARED|MAP_ANONYMOUS mapping made in MINIT):
 *
 *   ks_cache_seg header | shard 0 | shard 1 | ... | shard nshards-1
 *
 * Each shard is a fixed-size region, 64-byte aligned:
 *
 *   ks_cache_shard | buckets (u32 x nbuckets) | sketch (u8 x 4 x sketch width) | arena
 *
 * A key's 64-bit hash picks its shard (high bits) and its bucket (low bits).
 * Buckets chain ks_cache_entry records through `next`; every link is an offset in
 * the shard's arena (0 = end), never a pointer, so the segment can be mapped
 * at any address. An entry is one arena block: ks_cache_entry, the key bytes, then
 * the encoded value (ks_cache_value.h), whose first byte is a KS_CACHE_VAL_* tag.
 *
 * Lock coverage: everything inside a shard (table, sketch, arena, entries,
 * counters in `st` except hits, misses and lock_timeouts) is written only
 * with that shard's robust mutex held; hits, misses and lock_timeouts are
 * bumped atomically, with or without the lock.
 *
 * Lock-free reads (seqlock): fetch and exists first read without the lock.
 * A lock holder that changes anything such a reader looks at (bucket heads,
 * chains, entry headers, keys, values, arena blocks) makes `seq` odd before
 * and even again after. A reader samples an even `seq`, walks the chain with
 * every offset and length bounds-checked against the arena (so a torn read
 * can never leave the shard, every offset must be a payload offset, and key
 * and value lengths are bounded by the size in their block's header, so a
 * torn length never sizes a copy beyond one block), copies the value out,
 * and accepts the result only if `seq` did not change; otherwise it
 * retries, and after a few tries takes the lock. Holders that usually
 * change nothing readers look at (a fallback read, an entry() lease poll)
 * take the lock without touching `seq` and bracket only the change they
 * happen to make (dropping an expired entry, taking a lease over), so they
 * do not send the shard's other readers to the lock. A reader that finds `seq` odd spins about 1.5 us (by the
 * clock), yields the CPU once, and if `seq` is still odd (the holder was
 * preempted, or is paused or dead) goes to the lock at once, so it sleeps
 * instead of burning the CPU the holder needs. A holder that dies with `seq` odd sends readers to the
 * lock, whose EOWNERDEAD path repairs the shard. Readers write nothing
 * shared: their statistics (hits, misses, the entry's hits/atime/recency,
 * the frequency sketch) are queued per process (ks_cache_reads) and applied in
 * batches under the lock, with a try-lock, so a reader never waits.
 *
 * The segment header is written once in MINIT (and debug_holder by the
 * debug hook). Stats readers sum the shards' counters without the lock
 * (aligned word reads: a snapshot may be slightly stale, never torn).
 *
 * Crash repair: a shard whose lock comes back EOWNERDEAD is emptied (its
 * entries are counted as evictions by reason "recovery"); other shards are
 * untouched.
 *
 * Eviction: when the arena cannot serve an allocation, expired entries of
 * the shard are dropped first (a full sweep, only when the shard's earliest
 * expiry has passed), then victims are chosen by sampling: up to
 * KS_CACHE_SAMPLE entries from consecutive buckets at a random start, and the one
 * with the lowest access frequency is evicted (ties: the least recently used,
 * by the shard's logical clock).
 * Frequencies come from a per-shard count-min sketch of reads
 * (ks_cache_sketch.h: 4 rows of 8-bit counters, a key's four in one cache
 * line, conservative update, all halved every 8 x width reads), so a key
 * evicted and read again keeps its
 * history: an approximate LFU with aging, which on skewed (Zipf) workloads
 * keeps more hits than LRU.
 *
 * Leases (entry()): an entry with lease = 1 has no value; `hits` holds the
 * owner pid, `atime` the owner thread's tag (ks_cache_store_thread_tag(): threads
 * of one ZTS process share the pid) and `expire` the deadline second. It
 * reads as a miss. A lease whose owner process is gone (kill(pid, 0) fails
 * with ESRCH) or whose deadline has passed is taken over by the next process
 * or thread that asks; a thread that ended while holding one (its process
 * living on) cannot be detected, so its lease lasts until the deadline. The
 * owner itself asking again (a later request of the same worker, after a
 * fatal error) takes it back at once.
 *
 * No PHP headers: nothing here touches zvals or the Zend allocator, so no
 * bailout can happen while a shard lock is held. Process-local buffers use
 * malloc/realloc and fail with KS_CACHE_NOMEM.
 */
#ifndef KS_CACHE_STORE_H
#define KS_CACHE_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <pthread.h>

#include "cache/ks_cache_defs.h"
#include "cache/ks_cache_arena.h"

#define KS_CACHE_SEG_MAGIC 0x6b736331u  /* "ksc1" */
#define KS_CACHE_SAMPLE    8

typedef struct ks_cache_entry {
	uint32_t next;       /* arena offset of the next entry in the chain, 0 = end */
	uint32_t hash;       /* low 32 bits of the key hash */
	uint32_t klen : 31;
	uint32_t lease : 1;  /* 1: a lease, no value (see above) */
	uint32_t vlen;       /* encoded value bytes after the key */
	uint32_t ctime;      /* unix second of creation (also the mtime) */
	uint32_t expire;     /* unix second after which it is gone, 0 = never */
	uint32_t atime;      /* unix second of the last read; written only when it changes;
	                      * for a lease, the owner's thread tag */
	uint32_t hits;       /* reads that found it; for a lease, the owner pid */
	uint32_t tick;       /* the shard's clock at the last insert or read: exact recency */
} ks_cache_entry;

typedef struct ks_cache_shard_stats {
	uint64_t hits, misses, inserts, deletes;
	uint64_t evict_expired;   /* expired entries removed (sweep, read or sample) */
	uint64_t evict_capacity;  /* live entries evicted to make room */
	uint64_t evict_recovery;  /* entries dropped when repairing after a crash */
	uint64_t lock_waits;      /* acquisitions that found the lock taken */
	uint64_t lock_timeouts;   /* atomic: acquisitions that gave up */
	uint64_t recoveries;      /* EOWNERDEAD repairs of this shard */
	uint64_t nospace;         /* stores that failed for lack of room */
	uint64_t read_fallbacks;  /* lock-free reads that gave up and took the lock */
} ks_cache_shard_stats;

typedef struct ks_cache_shard {
	/* Written once at init; read by lock-free readers (own cache line). */
	uint32_t mask;           /* nbuckets - 1 (nbuckets is a power of two) */
	uint32_t buckets_off;    /* from the shard start */
	uint32_t sketch_off;     /* from the shard start */
	uint32_t sketch_bits;    /* log2 of the sketch width */
	uint32_t arena_off;      /* from the shard start, 16-aligned */
	uint32_t arena_size;     /* copy of arena.size for readers */
	pthread_mutex_t lock __attribute__((aligned(64)));
	/* Own line: readers load it on every fetch, so lock traffic that
	 * changes nothing they see (statistics batches) must not dirty it. */
	uint32_t seq __attribute__((aligned(64))); /* seqlock: odd while a holder changes what readers see */
	/* Under the lock. */
	uint32_t sketch_reads __attribute__((aligned(64))); /* reads since the last halving */
	uint32_t entries;        /* value entries (leases excluded) */
	uint32_t leases;
	uint32_t next_expire;    /* <= every entry's expire; 0 = no entry expires */
	uint32_t rng;            /* xorshift state for sampling */
	uint32_t clock;          /* bumped on every insert and counted read hit (wraps) */
	ks_cache_shard_stats st;       /* hits and misses: atomic adds, with or without the lock */
	ks_cache_arena arena;
} ks_cache_shard;

typedef struct ks_cache_seg {
	uint32_t magic;
	uint32_t nshards;        /* a power of two */
	uint64_t size;           /* bytes mapped */
	uint64_t shard_bytes;
	int64_t start_time;
	int32_t debug_holder;    /* debug builds: pid pausing with a lock held, else 0 */
} ks_cache_seg;

typedef struct ks_cache_key {
	const char *s;
	uint32_t len;
	uint64_t h;
} ks_cache_key;

/* The caller's context for one operation. */
typedef struct ks_cache_ctx {
	ks_cache_seg *seg;
	unsigned lock_timeout_ms;
	uint32_t now;            /* unix seconds; 0 = not read yet (the store reads it on first use) */
	int pid;
	uint32_t thread;         /* ks_cache_store_thread_tag() where pid is set: with it, a lease's owner */
	unsigned debug_pause_ms; /* debug builds: pause this long holding the lock in put */
} ks_cache_ctx;

/* Per-process queue of lock-free reads whose statistics are still to be
 * applied (see above). */
#define KS_CACHE_READS_MAX 64
typedef struct ks_cache_reads {
	uint32_t n;              /* a fork child must start at 0 (cache_module.c's atfork handler) */
	struct {
		uint32_t shard, off, hash, hit;
	} r[KS_CACHE_READS_MAX];
} ks_cache_reads;

/* A process-local, malloc-backed buffer. */
typedef struct ks_cache_buf {
	char *data;
	size_t len, cap;
} ks_cache_buf;

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

typedef struct ks_cache_stats {
	ks_cache_shard_stats st;
	uint64_t entries, leases, buckets;
	uint64_t mem_used, mem_free, mem_total;
} ks_cache_stats;

int ks_cache_buf_reserve(ks_cache_buf *b, size_t n);
void ks_cache_buf_free(ks_cache_buf *b);

/* Describes a key from its bytes and a 64-bit hash the caller already has
 * (PHP's cached string hash, which every process computes the same way); the
 * hash is re-mixed here so every bit is usable for shard, bucket and sketch
 * selection. */
void ks_cache_key_init(ks_cache_key *k, const char *s, size_t len, uint64_t h);

/* Bytes needed for the segment header; a segment must be at least this +
 * nshards * KS_CACHE_SHARD_MIN. */
#define KS_CACHE_SHARD_MIN (64 * 1024)
#define KS_CACHE_SEG_HDR   128

/*
 * Lays out a segment in mem (size bytes, zeroed by mmap) with nshards shards.
 * Returns 0, or an errno from ks_cache_lock_init, or EINVAL when a shard would be
 * smaller than KS_CACHE_SHARD_MIN or larger than 4 GB.
 */
int ks_cache_store_init(void *mem, size_t size, uint32_t nshards, int64_t now);

/* Longest key: one that fits in a shard with the smallest value
 * (KS_CACHE_VAL_MIN_SIZE: no encoded value is empty), and in the entry's 31-bit
 * klen. Keys are checked against it where they are built. */
#define KS_CACHE_KEY_MAX 0x7fffffffu
uint64_t ks_cache_store_max_key(const ks_cache_seg *seg);

/* Largest encoded value a key of klen bytes may have (one shard's arena). */
uint64_t ks_cache_store_max_value(const ks_cache_seg *seg, uint32_t klen);

/* out == NULL: an existence check. Otherwise the value is copied into out.
 * pend: queue the read's statistics there (fetch, exists), or NULL to leave
 * no trace (iterator). Lock-free unless readers keep colliding with writers. */
ks_cache_status ks_cache_store_get(ks_cache_ctx *c, const ks_cache_key *k, ks_cache_buf *out, ks_cache_reads *pend);
/* Applies queued read statistics. wait = 0: shards whose lock is busy only
 * get their hit/miss counts (atomically); wait = 1: take each lock (bounded
 * by the context's lock timeout). Empties pend. */
void ks_cache_store_flush_reads(ks_cache_ctx *c, ks_cache_reads *pend, int wait);
/* Stores (exclusive: only when no live entry exists, else KS_CACHE_EXISTS).
 * KS_CACHE_TOOBIG, before the lock and before anything is evicted, when the key
 * and value could not fit even in an empty shard; KS_CACHE_NOSPACE when eviction
 * could not make room. incr and lease refuse sizes the same way. */
ks_cache_status ks_cache_store_put(ks_cache_ctx *c, const ks_cache_key *k, const char *val, uint32_t vlen,
	uint32_t ttl, int exclusive);
ks_cache_status ks_cache_store_delete(ks_cache_ctx *c, const ks_cache_key *k);
/* Adds step (wrapping); a missing key is created as 0 with ttl. */
ks_cache_status ks_cache_store_incr(ks_cache_ctx *c, const ks_cache_key *k, int64_t step, uint32_t ttl, int64_t *result);
ks_cache_status ks_cache_store_cas(ks_cache_ctx *c, const ks_cache_key *k, int64_t old, int64_t new_value);
/*
 * entry(): KS_CACHE_OK with the value in out, KS_CACHE_LEASE_MINE (we hold the lease
 * now: compute, then put or unlease), or KS_CACHE_LEASED (another live process
 * computes: wait and ask again). lease_secs bounds how long we may hold it.
 */
ks_cache_status ks_cache_store_lease(ks_cache_ctx *c, const ks_cache_key *k, uint32_t lease_secs, ks_cache_buf *out);
/* A nonzero number that tells the calling thread from the other threads of
 * its process (1, 2, ... in the order threads first ask); constant for the
 * thread's life. A fork child keeps its parent thread's tag, which is fine as
 * its pid differs. */
uint32_t ks_cache_store_thread_tag(void);
/* Drops our lease on k (same pid and thread tag), if we still hold it. */
ks_cache_status ks_cache_store_unlease(ks_cache_ctx *c, const ks_cache_key *k);
ks_cache_status ks_cache_store_clear(ks_cache_ctx *c);
/* The metadata of a live entry (no stats are touched). */
ks_cache_status ks_cache_store_meta(ks_cache_ctx *c, const ks_cache_key *k, ks_cache_meta *m);
/* Appends a record (see ks_cache_meta) for each live entry of shard i to out.
 * slots != NULL: also appends, in the same walk under the same lock, one
 * u32 (bucket, count) pair for each bucket of shard i holding at least one
 * of those records (APCu's slot_distribution; the bucket is local to the
 * shard: its global slot is i * buckets per shard + bucket). */
ks_cache_status ks_cache_store_snapshot(ks_cache_ctx *c, uint32_t i, ks_cache_buf *out, int with_values, ks_cache_buf *slots);
/* Index of the shard that holds k. */
uint32_t ks_cache_store_shard_index(const ks_cache_seg *seg, const ks_cache_key *k);
/* Sums counters of all shards without locks. */
void ks_cache_store_stats(const ks_cache_seg *seg, ks_cache_stats *s);
/* Adds every shard's free-block histogram (takes each lock in turn). */
ks_cache_status ks_cache_store_histogram(ks_cache_ctx *c, uint64_t hist[KS_CACHE_ARENA_HIST]);

/* Replaces out's content with u32 (size, offset) pairs of shard i's free blocks. */
ks_cache_status ks_cache_store_free_blocks(ks_cache_ctx *c, uint32_t i, ks_cache_buf *out);
/* Arena bytes of one shard. */
uint32_t ks_cache_store_shard_arena(const ks_cache_seg *seg);

static inline size_t ks_cache_meta_record_size(const ks_cache_meta *m)
{
	size_t n = sizeof(ks_cache_meta) + m->klen + (m->has_value ? m->vlen : 0);
	return (n + 7) & ~(size_t) 7;
}

#endif
