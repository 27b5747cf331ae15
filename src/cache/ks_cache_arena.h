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
 * a free block is in exactly the list of its size class and its class bit
 * is set in the bitmap iff that list is non-empty; `used` is the sum of the
 * sizes of used blocks (sentinel excluded).
 *
 * Classes: 32..1024 bytes in exact steps of 16 (63 classes), then four
 * classes per power of two. A request is served from the exact class, or by
 * first fit within its (inexact) large class, or from the next non-empty
 * class, splitting off the tail when at least 32 bytes remain.
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

typedef struct ks_cache_arena {
	uint32_t size;                  /* bytes of the region */
	uint32_t used;                  /* bytes in used blocks, headers included */
	uint32_t nfree;                 /* number of free blocks */
	uint32_t pad;
	uint64_t bitmap[3];             /* bit c set iff heads[c] != 0 */
	uint32_t heads[KS_CACHE_ARENA_NCLASS];/* first free block of each class, 0 = none */
} ks_cache_arena;

/* Lays out an empty arena over [base, base + size); size >= 128. */
void ks_cache_arena_init(ks_cache_arena *a, char *base, uint32_t size);

/* Returns the payload offset of a block of at least n bytes, or 0. */
uint32_t ks_cache_arena_alloc(ks_cache_arena *a, char *base, uint32_t n);

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
