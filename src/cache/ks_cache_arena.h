/*
 * ks_cache_arena.h: one shard's memory allocator (boundary tags + size-class
 * free lists), working on a region of the shared segment.
 *
 * Layout of the region [base, base + size):
 *   [0, 16)            reserved, so that offset 0 can mean "none"
 *   [16, size - 16)    blocks, each 16-byte aligned, back to back
 *   [size - 16, size)  a permanent "used" sentinel that stops coalescing
 * Every block starts with an 8-byte header: u32 size (bytes, header
 * included, multiple of 16) whose low bits are flags (USED, PREV_USED), and
 * a spare u32. The payload follows at +8. A free block also stores, in its
 * payload, the offsets of its free-list neighbours (u32 next, u32 prev) and
 * repeats its size in its last 4 bytes (the footer), so a freed block can be
 * merged with a free block before it.
 *
 * Invariants: no two free blocks are adjacent (they are merged on free);
 * a free block is in exactly one list, that of its size class in the part
 * where it starts (below), and a class bit is set in its part's bitmap iff
 * that list is non-empty; `used` is the sum of the sizes of used blocks
 * (sentinel excluded).
 *
 * Classes: 32..1024 bytes in exact steps of 16 (63 classes), then four
 * classes per power of two. A request is served from the exact class, or by
 * first fit within its (inexact) large class, or from the next non-empty
 * class, splitting off the tail when at least 32 bytes remain.
 *
 * The high part. An arena may be given a boundary `high` (0 = none): the
 * blocks that start at or above it form the high part, the others the low
 * part, and each part has its own free lists and bitmap (a free block is
 * listed by where it starts; coalescing ignores the boundary). At most one
 * free block can start below `high` and end above it; it is `straddle`
 * (0 = none). ks_cache_arena_alloc_high() serves only from the high part
 * (or from straddle's tail), so a block it returns lies wholly at or above
 * `high`; ks_cache_arena_alloc() prefers the low part and falls back to the
 * high one. Why (ks_cache_shard.h, KS_CACHE_ZC_SHARE): the shard puts the
 * blocks that pinned readers may hold, which nothing can free or move, in
 * the high part, so once every block that can be freed is freed the low
 * part is one free run, whatever the pinned blocks are.
 *
 * All offsets are relative to base, so the region may be mapped anywhere.
 * Locking: the caller holds the owning shard's lock for every call.
 */
#ifndef KS_CACHE_ARENA_H
#define KS_CACHE_ARENA_H

#include <stdint.h>

/* For readers that check an offset without the lock: a payload offset is
 * KS_CACHE_ARENA_HDR past a 16-aligned block start, and the u32 there, masked
 * with KS_CACHE_ARENA_SIZE_MASK, is the block's size (header included). */
#define KS_CACHE_ARENA_HDR       8u
#define KS_CACHE_ARENA_SIZE_MASK (~15u)

#define KS_CACHE_ARENA_NCLASS 152
#define KS_CACHE_ARENA_HIST   16

/* The two parts' free lists: [0] the low part, [1] the high part. */
#define KS_CACHE_ARENA_LOW  0
#define KS_CACHE_ARENA_HIGH 1

typedef struct ks_cache_arena {
	uint32_t size;                  /* bytes of the region */
	uint32_t used;                  /* bytes in used blocks, headers included */
	uint32_t nfree;                 /* number of free blocks */
	uint32_t high;                  /* first offset of the high part, 16-aligned; 0 = no high part */
	uint32_t straddle;              /* the free block that starts below high and ends above it, 0 = none */
	uint32_t pad;
	uint64_t bitmap[2][3];          /* per part: bit c set iff heads[part][c] != 0 */
	uint32_t heads[2][KS_CACHE_ARENA_NCLASS];/* per part: first free block of each class, 0 = none */
} ks_cache_arena;

/* Lays out an empty arena over [base, base + size); size >= 128. high: the
 * first offset of the high part (rounded down to 16), 0 for none; an
 * offset outside the blocks' range also means none. */
void ks_cache_arena_init(ks_cache_arena *a, char *base, uint32_t size, uint32_t high);

/* Returns the payload offset of a block of at least n bytes, or 0: from the
 * low part when it can, else from the high part. */
uint32_t ks_cache_arena_alloc(ks_cache_arena *a, char *base, uint32_t n);

/* The same, but only a block that lies wholly at or above `high`, or 0 (also
 * when the arena has no high part). */
uint32_t ks_cache_arena_alloc_high(ks_cache_arena *a, char *base, uint32_t n);

/* Frees the block whose payload is at off (as returned by ks_cache_arena_alloc). */
void ks_cache_arena_free(ks_cache_arena *a, char *base, uint32_t off);

/* Bytes a block serving n payload bytes occupies (header included). */
uint32_t ks_cache_arena_block_size(uint32_t n);

/* Largest payload that an empty arena of this size could serve. */
uint32_t ks_cache_arena_max_payload(const ks_cache_arena *a);

/* Bytes free (sum of free blocks). */
uint32_t ks_cache_arena_free_bytes(const ks_cache_arena *a);

/*
 * Adds the free blocks to hist: bucket i counts blocks of size in
 * [2^(i+5), 2^(i+6)), the last bucket everything larger. Walks the free lists.
 */
void ks_cache_arena_histogram(const ks_cache_arena *a, const char *base, uint64_t hist[KS_CACHE_ARENA_HIST]);

/* Writes (size, offset) pairs of at most max free blocks; returns the count. */
uint32_t ks_cache_arena_free_blocks(const ks_cache_arena *a, const char *base, uint32_t *pairs, uint32_t max);

#endif
