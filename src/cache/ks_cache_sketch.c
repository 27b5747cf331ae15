/*
 * ks_cache_sketch.c: the count-min sketch of reads (see ks_cache_sketch.h).
 */
#include "cache/ks_cache_sketch.h"

#include <string.h>

/* Eight counters per step: shift the word right by one and clear the bit
 * each byte received from its upper neighbour. The sketch is a whole number
 * of 64-byte blocks, so there is no tail; memcpy keeps the word access free
 * of alignment and aliasing assumptions (it compiles to plain loads and
 * stores). */
void ks_cache_sketch_halve(uint8_t *s, uint32_t bits)
{
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7full;
	size_t n = ks_cache_sketch_bytes(bits), i;

	for (i = 0; i < n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		w = (w >> 1) & low7;
		memcpy(s + i, &w, 8);
	}
}
