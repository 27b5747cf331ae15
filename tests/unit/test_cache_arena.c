/*
 * test_cache_arena.c: a standalone check of the shard allocator
 * (ks_cache_arena.c), built and run by scripts/unit. Pure logic,
 * no PHP: random allocations and frees against a shadow list of live blocks,
 * checking after every step that blocks never overlap, stay inside the arena,
 * keep their contents, that `used` matches, that free neighbours are always
 * merged, and that freeing everything gives back one block as large as at the
 * start.
 */
#include "cache/ks_cache_arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA (1u << 20)
#define MAXLIVE 4096

static char mem[ARENA] __attribute__((aligned(16)));
static uint32_t live_off[MAXLIVE], live_len[MAXLIVE];
static unsigned nlive;
static unsigned long long rng = 88172645463325252ull;

static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t) rng;
}

static int fail(const char *what, unsigned step)
{
	printf("FAIL at step %u: %s\n", step, what);
	return 1;
}

/* Walks all blocks by their headers: checks tiling, flags and merging. */
static int check_walk(const ks_cache_arena *a, unsigned step)
{
	uint32_t b = 16, used = 0, nfree = 0, prev_free = 0;

	while (b < a->size - 16) {
		uint32_t h = *(uint32_t *) (mem + b), s = h & ~15u;
		if (s < 32 || b + s > a->size - 16) {
			return fail("a block runs past the arena", step);
		}
		if (h & 1u) {
			used += s;
			prev_free = 0;
		} else {
			if (prev_free) {
				return fail("two free blocks are adjacent", step);
			}
			if (*(uint32_t *) (mem + b + s - 4) != s) {
				return fail("a free block's footer is wrong", step);
			}
			nfree++;
			prev_free = 1;
		}
		b += s;
	}
	if (b != a->size - 16) {
		return fail("blocks do not tile the arena", step);
	}
	if (used != a->used) {
		return fail("used bytes do not match the blocks", step);
	}
	if (nfree != a->nfree) {
		return fail("free block count does not match", step);
	}
	return 0;
}

int main(void)
{
	ks_cache_arena a;
	unsigned step, i;
	uint32_t first_free;

	ks_cache_arena_init(&a, mem, ARENA, 0);
	first_free = ks_cache_arena_free_bytes(&a);
	for (step = 0; step < 200000; step++) {
		int do_alloc = nlive == 0 || (nlive < MAXLIVE && next_rand() % 100 < 55);
		if (do_alloc) {
			/* mostly small, sometimes large sizes */
			uint32_t n = next_rand() % 100 < 90 ? 1 + next_rand() % 1200 : 1 + next_rand() % 60000;
			uint32_t off = ks_cache_arena_alloc(&a, mem, n);
			if (!off) {
				continue;  /* full: fine, frees will follow */
			}
			if (off < 24 || off + n > ARENA - 16 || (off & 7)) {
				return fail("a block is outside the arena or misaligned", step);
			}
			for (i = 0; i < nlive; i++) {
				if (off < live_off[i] + live_len[i] && live_off[i] < off + n) {
					return fail("two live blocks overlap", step);
				}
			}
			memset(mem + off, (int) (off & 0xff), n);
			live_off[nlive] = off;
			live_len[nlive++] = n;
		} else {
			unsigned k = next_rand() % nlive;
			uint32_t j;
			for (j = 0; j < live_len[k]; j++) {
				if ((unsigned char) mem[live_off[k] + j] != (live_off[k] & 0xff)) {
					return fail("a live block's contents changed", step);
				}
			}
			ks_cache_arena_free(&a, mem, live_off[k]);
			live_off[k] = live_off[--nlive];
			live_len[k] = live_len[nlive];
		}
		if ((step % 997 == 0 || step < 2000) && check_walk(&a, step)) {
			return 1;
		}
	}
	while (nlive) {
		ks_cache_arena_free(&a, mem, live_off[--nlive]);
	}
	if (check_walk(&a, step)) {
		return 1;
	}
	if (a.used != 0 || a.nfree != 1 || ks_cache_arena_free_bytes(&a) != first_free) {
		return fail("freeing everything did not give one whole free block back", step);
	}
	if (!ks_cache_arena_alloc(&a, mem, ks_cache_arena_max_payload(&a))) {
		return fail("the largest payload does not fit an empty arena", step);
	}
	printf("ok\n");
	return 0;
}
