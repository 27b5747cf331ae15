/*
 * ks_cache_sketch.h: the count-min sketch of reads that eviction uses to
 * estimate how often a key is read (see ks_cache_store_evict.h).
 *
 * Data structure: 4 rows of `width` 8-bit saturating counters (width = 1 <<
 * bits, at least 64), stored as 4 x width bytes split into 64-byte blocks.
 * A key's four counters sit in one block (one cache line per update): the
 * block comes from one hash of the key, and within it row r uses the 16-byte
 * quarter r, at a slot from a per-row hash. Invariants: a counter never
 * wraps (it stops at 255); an estimate is the minimum of the key's four
 * counters and never underestimates the reads added since the last halving,
 * divided by 2 per halving.
 *
 * Locking: none here. The sketch lives in its shard and is read and written
 * only with that shard's lock held (the caller's job). Pure logic: no I/O,
 * no PHP, so it is unit-tested alone (tests/unit/test_cache_sketch.c).
 */
#ifndef KS_CACHE_SKETCH_H
#define KS_CACHE_SKETCH_H

#include <stddef.h>
#include <stdint.h>

/* Bytes of a sketch of 1 << bits counters per row. */
static inline size_t ks_cache_sketch_bytes(uint32_t bits)
{
	return (size_t) 4 << bits;
}

/* The byte index of row's counter for a key whose 32-bit hash is h (bits >= 6:
 * a shard's sketch has at least 64 counters per row).
 * This and the next two are inline: every statistics batch runs them. */
static inline uint32_t ks_cache_sketch_idx(uint32_t bits, uint32_t h, int row)
{
	uint32_t block_bits = bits + 2 - 6;   /* 4 x width bytes in 64-byte blocks */
	uint32_t block = (h * 0x7feb352du) >> (32 - block_bits);
	static const uint32_t seeds[4] = { 0x9e3779b1u, 0x85ebca77u, 0xc2b2ae3du, 0x27d4eb2fu };
	uint32_t slot = ((h * seeds[row]) >> 28) & 15;

	return (block << 6) | ((uint32_t) row << 4) | slot;
}

/* Estimated reads of h: the smallest of its four counters. */
static inline uint32_t ks_cache_sketch_estimate(const uint8_t *s, uint32_t bits, uint32_t h)
{
	uint32_t m = 255;
	int r;

	for (r = 0; r < 4; r++) {
		uint32_t v = s[ks_cache_sketch_idx(bits, h, r)];
		m = v < m ? v : m;
	}
	return m;
}

/* Counts one read of h (conservative update: only the counters at the
 * minimum grow, none past 255). */
static inline void ks_cache_sketch_add(uint8_t *s, uint32_t bits, uint32_t h)
{
	uint32_t idx[4], m = 255;
	int r;

	for (r = 0; r < 4; r++) {
		idx[r] = ks_cache_sketch_idx(bits, h, r);
		m = s[idx[r]] < m ? s[idx[r]] : m;
	}
	if (m < 255) {
		for (r = 0; r < 4; r++) {
			if (s[idx[r]] == m) {
				s[idx[r]]++;
			}
		}
	}
}

/* Halves every counter, so old popularity fades. */
void ks_cache_sketch_halve(uint8_t *s, uint32_t bits);

#endif
