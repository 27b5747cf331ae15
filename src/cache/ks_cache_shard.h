/*
 * ks_cache_shard.h: the shared segment's table and its locks, the layer the
 * store's other files (ks_cache_store*.c) are built on. Private to the store:
 * the PHP-facing files see these types only through ks_cache_store*.h.
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
 * Buckets chain ks_cache_entry records through `next`; every link is an
 * offset in the shard's arena (0 = end), never a pointer, so the segment can
 * be mapped at any address. An entry is one arena block: ks_cache_entry, the
 * key bytes, then the encoded value (ks_cache_value.h), whose first byte is a
 * KS_CACHE_VAL_* tag. A lease (entry(), ks_cache_store_evict.h) is an entry
 * with lease = 1 and no value.
 *
 * Lock coverage: everything inside a shard (table, sketch, arena, entries,
 * counters in `st` except hits, misses and lock_timeouts) is written only
 * with that shard's robust mutex held; hits, misses and lock_timeouts are
 * bumped atomically, with or without the lock. The segment header is written
 * once in MINIT (and debug_holder by the debug hook).
 *
 * The writer's side of the seqlock (the reader's side is in
 * ks_cache_store_read.h): a holder that changes anything a lock-free reader
 * looks at (bucket heads, chains, entry headers, keys, values, arena blocks)
 * makes `seq` odd before and even again after. ks_cache_shard_lock() does
 * that for the whole hold; holders that usually change nothing readers look
 * at (a fallback read, a lease poll, statistics) take ks_cache_shard_lock_ro()
 * and bracket only the change they happen to make with
 * ks_cache_shard_change_begin/end(), so they do not send the shard's other
 * readers to the lock.
 *
 * Crash repair: a shard whose lock comes back EOWNERDEAD is emptied (its
 * entries are counted as evictions by reason "recovery"); other shards are
 * untouched.
 *
 * No PHP headers: nothing here touches zvals or the Zend allocator, so no
 * bailout can happen while a shard lock is held. Process-local buffers use
 * malloc/realloc and fail with KS_CACHE_NOMEM.
 */
#ifndef KS_CACHE_SHARD_H
#define KS_CACHE_SHARD_H

#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <time.h>

#include "cache/ks_cache_defs.h"
#include "cache/ks_cache_arena.h"
#include "cache/ks_cache_lock.h"
#include "cache/ks_cache_sketch.h"
#include "cache/ks_cache_epoch.h"

/* Process slots of the epoch region: more than the processes of any pool;
 * and beyond them, slots that only pcntl_fork() children take (a reader
 * that finds no slot copies, a fork child cannot: ks_cache_epoch.h). */
#define KS_CACHE_EPOCH_NSLOTS 1024
#define KS_CACHE_EPOCH_RESERVE 64

#define KS_CACHE_SEG_MAGIC  0x6b736331u  /* "ksc1" */
/* Bytes of the segment header; a segment must be at least this +
 * nshards * KS_CACHE_SHARD_MIN. */
#define KS_CACHE_SEG_HDR    128
#define KS_CACHE_SHARD_MIN  (64 * 1024)
/* The most shards a segment may have: ks_cache_store_flush_reads sorts a
 * batch by shard in a u16 table of nshards + 1 counters. */
#define KS_CACHE_SHARDS_MAX 256
/* Longest key the entry's 31-bit klen can hold (a shard's arena usually
 * bounds it lower: ks_cache_store_max_key). */
#define KS_CACHE_KEY_MAX    0x7fffffffu

typedef struct ks_cache_entry {
	uint32_t next;       /* arena offset of the next entry in the chain, 0 = end */
	uint32_t hash;       /* low 32 bits of the key hash */
	uint32_t klen : 31;
	uint32_t lease : 1;  /* 1: a lease, no value (ks_cache_store_evict.h) */
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
	uint32_t ring_off;       /* from the shard start: the retire ring (ks_cache_epoch.h) */
	uint32_t pad0;
	int64_t epoch_rel;       /* the segment's epoch region, from the shard start */
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
	ks_cache_shard_stats st; /* hits and misses: atomic adds, with or without the lock */
	uint64_t quarantine;     /* crash repair with zero-copy blocks about: the arena is
	                          * reused only once this epoch is reclaimable; 0 = none */
	ks_cache_arena arena;
} ks_cache_shard;

typedef struct ks_cache_seg {
	uint32_t magic;
	uint32_t nshards;        /* a power of two, <= KS_CACHE_SHARDS_MAX */
	uint64_t size;           /* bytes mapped */
	uint64_t shard_bytes;
	uint64_t epoch_off;      /* the epoch region (ks_cache_epoch.h), after the shards */
	int64_t start_time;
	int32_t debug_holder;    /* debug builds: pid pausing with a lock held, else 0 */
} ks_cache_seg;

/* A key as the store sees it: bytes (not copied: the caller's for the
 * call) and a well-mixed 64-bit hash. */
typedef struct ks_cache_key {
	const char *s;
	uint32_t len;
	uint64_t h;
} ks_cache_key;

/* The caller's context for one operation (ks_cache_ctx_init fills it). */
typedef struct ks_cache_ctx {
	ks_cache_seg *seg;
	unsigned lock_timeout_ms;
	uint32_t now;            /* unix seconds; 0 = not read yet (the store reads it on first use) */
	int pid;
	uint32_t thread;         /* ks_cache_store_thread_tag() where pid is set: with it, a lease's owner */
	unsigned debug_pause_ms; /* debug builds: pause this long holding the lock in put */
} ks_cache_ctx;

/* A process-local, malloc-backed buffer; all zero is an empty one. */
typedef struct ks_cache_buf {
	char *data;
	size_t len, cap;
} ks_cache_buf;

/* Grows b to hold at least n bytes (content kept). 0, or -1 when realloc
 * fails (b unchanged). */
int ks_cache_buf_reserve(ks_cache_buf *b, size_t n);
/* Frees b's memory and leaves it empty; safe on an empty buffer. */
void ks_cache_buf_free(ks_cache_buf *b);

/* Describes a key from its bytes and a 64-bit hash the caller already has
 * (PHP's cached string hash, which every process computes the same way); the
 * hash is re-mixed here so every bit is usable for shard, bucket and sketch
 * selection. k keeps s, not a copy. */
void ks_cache_key_init(ks_cache_key *k, const char *s, size_t len, uint64_t h);

/* ---- layout ----------------------------------------------------------------- */

static inline ks_cache_shard *ks_cache_shard_at(const ks_cache_seg *seg, uint32_t i)
{
	return (ks_cache_shard *) ((char *) seg + KS_CACHE_SEG_HDR + (size_t) i * seg->shard_bytes);
}

/* Index of the shard that holds k. */
static inline uint32_t ks_cache_shard_index(const ks_cache_seg *seg, const ks_cache_key *k)
{
	return (uint32_t) (k->h >> 40) & (seg->nshards - 1);
}

/* The shard that holds k. */
static inline ks_cache_shard *ks_cache_shard_of(const ks_cache_seg *seg, const ks_cache_key *k)
{
	return ks_cache_shard_at(seg, ks_cache_shard_index(seg, k));
}

/* The parts of a shard and of an entry (offsets are from the arena base). */
static inline uint32_t *ks_cache_buckets(ks_cache_shard *sh) { return (uint32_t *) ((char *) sh + sh->buckets_off); }
static inline uint8_t *ks_cache_shard_sketch(ks_cache_shard *sh) { return (uint8_t *) sh + sh->sketch_off; }
static inline char *ks_cache_abase(ks_cache_shard *sh) { return (char *) sh + sh->arena_off; }
static inline ks_cache_entry *ks_cache_ent(ks_cache_shard *sh, uint32_t off) { return (ks_cache_entry *) (ks_cache_abase(sh) + off); }
static inline char *ks_cache_ent_key(ks_cache_entry *e) { return (char *) (e + 1); }
static inline char *ks_cache_ent_val(ks_cache_entry *e) { return (char *) (e + 1) + e->klen; }

static inline ks_cache_retire_ring *ks_cache_shard_ring(ks_cache_shard *sh) { return (ks_cache_retire_ring *) ((char *) sh + sh->ring_off); }
static inline ks_cache_epoch *ks_cache_shard_epoch(ks_cache_shard *sh) { return (ks_cache_epoch *) ((char *) sh + sh->epoch_rel); }
static inline ks_cache_epoch *ks_cache_seg_epoch(const ks_cache_seg *seg) { return (ks_cache_epoch *) ((char *) seg + seg->epoch_off); }

/* Bytes of the arena block whose payload is at off (header included). */
static inline uint32_t ks_cache_block_bytes(ks_cache_shard *sh, uint32_t off)
{
	return *(const uint32_t *) (ks_cache_abase(sh) + off - KS_CACHE_ARENA_HDR) & KS_CACHE_ARENA_SIZE_MASK;
}

/*
 * A shard's zero-copy region: its immutable blocks, live and retired, take at
 * most 1/KS_CACHE_ZC_SHARE of the arena, and they are all in the top
 * 1/KS_CACHE_ZC_SHARE of it (the arena's high part, ks_cache_arena.h: an
 * immutable block is only allocated there). Any of them may be held by a
 * pinned reader for as long as its request lasts; eviction cannot make room
 * from those, and nothing can move them. Leases, which nothing evicts
 * either, go there too while it has room for them (ks_cache_store_evict.c).
 * Everything else is copies, which eviction frees at once. So (a lease
 * that found the region full aside) once eviction has
 * removed every entry it can, the arena below the region is one free run:
 * a full shard under pinned readers still takes a copied value of up to
 * (1 - 1/KS_CACHE_ZC_SHARE) of the arena, however the pinned blocks lie
 * (the whole arena when no block is pinned). Copies use the region too, low
 * part first; an immutable value that finds no room in the region evicts
 * entries that lie there, and failing that takes the copying form (as it
 * does past the budget).
 */
#define KS_CACHE_ZC_SHARE 2

/* Bytes of the zero-copy region (the arena's high part, sentinel excluded):
 * the budget of the shard's immutable blocks, live and retired. */
static inline uint64_t ks_cache_zc_region_bytes(const ks_cache_shard *sh)
{
	return sh->arena.high ? (uint64_t) sh->arena.size - 16 - sh->arena.high : 0;
}

/* Whether e holds an immutable block (zero-copy readers may be using it). */
static inline int ks_cache_ent_is_imm(ks_cache_entry *e)
{
	return !e->lease && e->vlen > KS_CACHE_VAL_IMM_HEAD && ks_cache_ent_val(e)[0] == KS_CACHE_VAL_IMM;
}

/* Whether e's TTL has passed at unix second now. */
static inline int ks_cache_expired(const ks_cache_entry *e, uint32_t now)
{
	return e->expire && now > e->expire;
}

/* Whether an entry of klen + vlen bytes could fit in an empty arena (the
 * arena size is written once at init, so no lock is needed). */
static inline int ks_cache_fits(const ks_cache_shard *sh, const ks_cache_key *k, uint32_t vlen)
{
	return k->len <= KS_CACHE_KEY_MAX
		&& (uint64_t) sizeof(ks_cache_entry) + k->len + vlen <= ks_cache_arena_max_payload(&sh->arena);
}

/* The context's unix second, read on first use: most reads never need it
 * (only entries with a TTL do), and the coarse clock is enough for seconds. */
static inline uint32_t ks_cache_now(ks_cache_ctx *c)
{
	if (!c->now) {
		struct timespec ts;
		c->now = clock_gettime(CLOCK_REALTIME_COARSE, &ts) == 0 ? (uint32_t) ts.tv_sec : (uint32_t) time(NULL);
	}
	return c->now;
}

/* ---- the frequency sketch (ks_cache_sketch.h); lock held ------------------- */

static inline uint32_t ks_cache_freq_estimate(ks_cache_shard *sh, uint32_t h)
{
	return ks_cache_sketch_estimate(ks_cache_shard_sketch(sh), sh->sketch_bits, h);
}

/* Counts a read; every 8 x width reads all counters are halved, so old
 * popularity fades. */
static inline void ks_cache_freq_add(ks_cache_shard *sh, uint32_t h)
{
	/* a local copy: the counter writes could alias sh, which would make
	 * the compiler load sketch_bits again */
	const uint32_t bits = sh->sketch_bits;
	uint8_t *s = ks_cache_shard_sketch(sh);

	ks_cache_sketch_add(s, bits, h);
	if (++sh->sketch_reads >= (8u << bits)) {
		sh->sketch_reads = 0;
		ks_cache_sketch_halve(s, bits);
	}
}

/* ---- setup ------------------------------------------------------------------ */

/* Lays out one shard of `bytes` bytes at sh (zeroed memory) and initialises
 * its lock. 0, an errno from ks_cache_lock_init, or EINVAL when the bytes
 * leave no arena of at least 4 KB or more than the arena's 32-bit offsets
 * can address. */
int ks_cache_shard_init(ks_cache_shard *sh, uint64_t bytes, uint32_t seed);
/* Empties the shard: table, sketch and arena (not its statistics). Lock
 * held and, where readers could be inside, a seqlock change open. Only for a
 * shard no zero-copy block of which can be in use (init, or see
 * ks_cache_shard_clear_locked). */
void ks_cache_shard_reset(ks_cache_shard *sh);
/* Empties the shard for clear(): like reset, but immutable blocks are
 * retired, not freed, while zero-copy readers may hold them. Inside a change. */
void ks_cache_shard_clear_locked(ks_cache_ctx *c, ks_cache_shard *sh);
/* Frees the retired blocks no pinned reader can hold any more, and lifts a
 * quarantine that has become safe. Lock held, inside a change. */
void ks_cache_reclaim_locked(ks_cache_ctx *c, ks_cache_shard *sh);

/* ---- locking ---------------------------------------------------------------- */

#define KS_CACHE_SHARD_WRITE 1  /* will change what readers see: bracket the hold with seq */
#define KS_CACHE_SHARD_TRY   2  /* do not wait: KS_CACHE_LOCK_TIMEOUT when busy */

/*
 * Takes sh's lock (flags: KS_CACHE_SHARD_*), waiting at most the context's
 * lock timeout. KS_CACHE_OK (held; a shard whose previous holder died is
 * repaired first), KS_CACHE_LOCK_TIMEOUT (counted in lock_timeouts unless
 * KS_CACHE_SHARD_TRY) or KS_CACHE_LOCK_BROKEN, both not held.
 */
ks_cache_status ks_cache_shard_lock_generic(ks_cache_ctx *c, ks_cache_shard *sh, int flags);

/* Seqlock brackets around changes that lock-free readers could observe:
 * begin makes seq odd (the release fence orders it before the change), end
 * makes it even again after the change. Lock held. */
static inline void ks_cache_seq_begin(ks_cache_shard *sh)
{
	__atomic_store_n(&sh->seq, sh->seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

/* Closes the change ks_cache_seq_begin opened. */
static inline void ks_cache_seq_end(ks_cache_shard *sh)
{
	__atomic_store_n(&sh->seq, sh->seq + 1, __ATOMIC_RELEASE);
}

/* For holders that change what readers see: the whole hold is one change. */
static inline ks_cache_status ks_cache_shard_lock(ks_cache_ctx *c, ks_cache_shard *sh)
{
	return ks_cache_shard_lock_generic(c, sh, KS_CACHE_SHARD_WRITE);
}

/* Closes the hold's change and releases the lock ks_cache_shard_lock took. */
static inline void ks_cache_shard_unlock(ks_cache_shard *sh)
{
	ks_cache_seq_end(sh);
	ks_cache_lock_release(&sh->lock);
}

/* For holders that change nothing a lock-free reader looks at. */
static inline ks_cache_status ks_cache_shard_lock_ro(ks_cache_ctx *c, ks_cache_shard *sh)
{
	return ks_cache_shard_lock_generic(c, sh, 0);
}

/* Releases the lock ks_cache_shard_lock_ro took. */
static inline void ks_cache_shard_unlock_ro(ks_cache_shard *sh)
{
	ks_cache_lock_release(&sh->lock);
}

/* A holder that took the lock read-only (ks_cache_shard_lock_ro) and finds it
 * must change something readers look at brackets just that change. */
static inline void ks_cache_shard_change_begin(ks_cache_shard *sh) { ks_cache_seq_begin(sh); }
static inline void ks_cache_shard_change_end(ks_cache_shard *sh) { ks_cache_seq_end(sh); }

/* Debug builds: with c->debug_pause_ms set, sleeps that long (lock held) and
 * publishes our pid in debug_holder meanwhile, so a test can SIGKILL a lock
 * holder. Nothing in other builds. */
void ks_cache_shard_debug_pause(ks_cache_ctx *c);

/* ---- chains (lock held) ----------------------------------------------------- */

/* Finds k (lease or value, expired or not): its arena offset or 0. With
 * link != NULL, *link receives the address of the u32 that points at it. */
uint32_t ks_cache_find_locked(ks_cache_shard *sh, const ks_cache_key *k, uint32_t **link);
/* Unlinks the entry at off, whose predecessor link is *link, and frees its
 * block. Inside a seqlock change. */
void ks_cache_unlink_locked(ks_cache_shard *sh, uint32_t *link, uint32_t off);
/* Unlinks the entry at off, wherever it is in its chain. Inside a change. */
void ks_cache_remove_locked(ks_cache_shard *sh, uint32_t off);
/* Decides, with the lock held, whether ks_cache_remove_if unlinks the entry
 * e it found; a predicate that says yes may count the removal in sh->st. */
typedef int (*ks_cache_remove_pred)(const ks_cache_ctx *c, ks_cache_shard *sh, const ks_cache_entry *e);
/* Takes k's shard lock (ks_cache_shard_lock: the hold is one seqlock
 * change), finds k (expired or not) and unlinks it when pred says so:
 * KS_CACHE_OK, KS_CACHE_NOTFOUND (no entry, or pred said no), or a lock
 * failure (nothing done). The body of delete and unlease. */
ks_cache_status ks_cache_remove_if(ks_cache_ctx *c, const ks_cache_key *k, ks_cache_remove_pred pred);
/* Looks k up, dropping it (counted as expired) if its TTL passed. Leases are
 * returned as found. Inside a seqlock change (ks_cache_shard_lock). */
uint32_t ks_cache_lookup_locked(ks_cache_ctx *c, ks_cache_shard *sh, const ks_cache_key *k);
/* ks_cache_lookup_locked for a holder of ks_cache_shard_lock_ro: only the
 * removal of an expired entry is a change readers could see, so only it is
 * bracketed. */
uint32_t ks_cache_lookup_ro_locked(ks_cache_ctx *c, ks_cache_shard *sh, const ks_cache_key *k);
/* Counts a read of k under the lock: the sketch, and hit (e: its entry,
 * whose hits, tick and atime move) or miss (e == NULL). */
void ks_cache_count_read_locked(ks_cache_ctx *c, ks_cache_shard *sh, const ks_cache_key *k, ks_cache_entry *e);
/* Copies e's encoded value into out (replacing its content). KS_CACHE_OK,
 * or KS_CACHE_NOMEM with out unchanged. */
ks_cache_status ks_cache_copy_value_locked(ks_cache_entry *e, ks_cache_buf *out);

#endif
