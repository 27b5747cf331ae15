/*
 * test_cache_sketch.c: a standalone check of the count-min sketch
 * (ks_cache_sketch.h/.c), built and run by scripts/unit. Pure logic, no PHP:
 * - halving 8 counters per word gives exactly what halving each byte gives,
 *   on random sketches and on the edge bytes (0, 1, 0x80, 0xfe, 0xff), and
 *   writes nothing past the sketch;
 * - a key's four counters are in one 64-byte block, one per 16-byte quarter;
 * - counting saturates at 255 and an estimate never undercounts;
 * - a halving halves the estimate of a key that is alone in the sketch.
 */
#include "cache/ks_cache_sketch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXBITS 14
#define GUARD   64

static uint8_t mem[(4u << MAXBITS) + GUARD] __attribute__((aligned(64)));
static uint8_t ref[4u << MAXBITS];
static unsigned long long rng = 88172645463325252ull;

static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t) rng;
}

static int fail(const char *what, uint32_t bits, size_t at)
{
	printf("FAIL %s (bits %u, byte %zu)\n", what, bits, at);
	return 1;
}

static int check_halve(uint32_t bits, int edges)
{
	static const uint8_t edge[5] = { 0, 1, 0x80, 0xfe, 0xff };
	size_t n = ks_cache_sketch_bytes(bits), i;

	for (i = 0; i < n; i++) {
		mem[i] = edges ? edge[i % 5] : (uint8_t) next_rand();
		ref[i] = (uint8_t) (mem[i] >> 1);
	}
	memset(mem + n, 0xa5, GUARD);
	ks_cache_sketch_halve(mem, bits);
	for (i = 0; i < n; i++) {
		if (mem[i] != ref[i]) {
			return fail("halved counter differs from a per-byte halving", bits, i);
		}
	}
	for (i = n; i < n + GUARD; i++) {
		if (mem[i] != 0xa5) {
			return fail("halving wrote past the sketch", bits, i);
		}
	}
	return 0;
}

static int check_layout(uint32_t bits)
{
	size_t n = ks_cache_sketch_bytes(bits);
	int k, r;

	for (k = 0; k < 10000; k++) {
		uint32_t h = next_rand(), block = ks_cache_sketch_idx(bits, h, 0) >> 6;
		for (r = 0; r < 4; r++) {
			uint32_t i = ks_cache_sketch_idx(bits, h, r);
			if (i >= n || i >> 6 != block || ((i >> 4) & 3) != (uint32_t) r) {
				return fail("counter outside its key's block or row quarter", bits, i);
			}
		}
	}
	return 0;
}

static int check_counting(uint32_t bits)
{
	size_t n = ks_cache_sketch_bytes(bits);
	uint32_t h = next_rand(), k;

	memset(mem, 0, n);
	for (k = 1; k <= 300; k++) {
		ks_cache_sketch_add(mem, bits, h);
		if (ks_cache_sketch_estimate(mem, bits, h) != (k < 255 ? k : 255)) {
			return fail("a lone key's estimate is not its read count (saturating at 255)", bits, k);
		}
	}
	ks_cache_sketch_halve(mem, bits);
	if (ks_cache_sketch_estimate(mem, bits, h) != 127) {
		return fail("a halving did not halve the estimate", bits, 0);
	}
	/* many keys: estimates never undercount (count-min) */
	memset(mem, 0, n);
	{
		uint32_t keys[64], counts[64];
		int i;
		for (i = 0; i < 64; i++) {
			keys[i] = next_rand();
			counts[i] = 0;
		}
		for (k = 0; k < 5000; k++) {
			i = (int) (next_rand() % 64);
			ks_cache_sketch_add(mem, bits, keys[i]);
			counts[i]++;
		}
		for (i = 0; i < 64; i++) {
			uint32_t want = counts[i] < 255 ? counts[i] : 255;
			if (ks_cache_sketch_estimate(mem, bits, keys[i]) < want) {
				return fail("an estimate undercounts", bits, (size_t) i);
			}
		}
	}
	return 0;
}

int main(void)
{
	uint32_t bits;
	int round;

	for (bits = 6; bits <= MAXBITS; bits++) {
		if (check_halve(bits, 1) || check_layout(bits) || check_counting(bits)) {
			return 1;
		}
		for (round = 0; round < 20; round++) {
			if (check_halve(bits, 0)) {
				return 1;
			}
		}
	}
	puts("ok");
	return 0;
}
