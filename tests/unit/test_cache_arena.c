/*
 * test_cache_arena.c: a standalone check of the shard allocator
 * (ks_cache_arena.c), built and run by scripts/unit. Pure logic,
 * no PHP: random allocations and frees against a shadow list of live blocks,
 * checking after every step that blocks never overlap, stay inside the arena,
 * keep their contents, that `used` matches, that free neighbours are always
 * merged, and that freeing everything gives back one block as large as at the
 * start.
 *
 * A second run gives the arena a high part (ks_cache_arena.h) and mixes
 * ks_cache_arena_alloc_high() in: every such block must lie wholly at or
 * above the boundary, every free block must be listed in the part where it
 * starts, `straddle` must name the one free block across the boundary, and
 * once every ordinary block is freed (the high ones stay, as pinned blocks
 * would) the low part must be one free run that serves its whole size.
 */
#include "cache/ks_cache_arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA (1u << 20)
#define MAXLIVE 4096

static char mem[ARENA] __attribute__((aligned(16)));
static uint32_t live_off[MAXLIVE], live_len[MAXLIVE];
static int live_high[MAXLIVE];
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

/* Each part's lists hold only blocks that start in that part, and
 * straddle is the free block across the boundary, if there is one. */
static int check_parts(const ks_cache_arena *a, unsigned step)
{
	uint32_t b = 16, across = 0;
	unsigned p, c;

	for (p = 0; p < 2; p++) {
		for (c = 0; c < KS_CACHE_ARENA_NCLASS; c++) {
			uint32_t f;
			for (f = a->heads[p][c]; f; f = *(uint32_t *) (mem + f + 8)) {
				if ((a->high && f >= a->high) != (p == 1)) {
					return fail("a free block is listed in the wrong part", step);
				}
			}
		}
	}
	while (a->high && b < a->size - 16) {
		uint32_t h = *(uint32_t *) (mem + b), s = h & ~15u;
		if (!(h & 1u) && b < a->high && b + s > a->high) {
			across = b;
		}
		b += s;
	}
	if (across != a->straddle) {
		return fail("straddle is not the free block across the boundary", step);
	}
	return 0;
}

/* Every free block is reachable from exactly the list of its part and size
 * class, the bitmaps match the heads, and the listed bytes are the free
 * bytes: a block that falls out of the lists (lost memory) while nfree still
 * counts it is caught here, not by the walk alone. */
static int check_lists(const ks_cache_arena *a, unsigned step)
{
	uint64_t bytes = 0;
	uint32_t n = 0;
	unsigned p, c;

	for (p = 0; p < 2; p++) {
		for (c = 0; c < KS_CACHE_ARENA_NCLASS; c++) {
			uint32_t f, prev = 0;
			if (!!a->heads[p][c] != !!(a->bitmap[p][c / 64] & (1ull << (c % 64)))) {
				return fail("a bitmap bit does not match its list", step);
			}
			for (f = a->heads[p][c]; f; prev = f, f = *(uint32_t *) (mem + f + 8)) {
				uint32_t h = *(uint32_t *) (mem + f), s = h & ~15u;
				uint32_t l = 31 - (uint32_t) __builtin_clz(s);
				uint32_t cls = s <= 1024 ? s / 16 - 2 : 63 + (l - 10) * 4 + ((s >> (l - 2)) & 3);
				if ((h & 1u) || cls != c || *(uint32_t *) (mem + f + 12) != prev || ++n > a->nfree) {
					return fail("a free list holds a used block, a wrong class, a bad link or a loop", step);
				}
				bytes += s;
			}
		}
	}
	if (n != a->nfree || bytes != ks_cache_arena_free_bytes(a)) {
		return fail("the free lists do not hold every free block", step);
	}
	return 0;
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
	return check_parts(a, step) || check_lists(a, step);
}

/* Random allocations (with high != 0, a third of them in the high part)
 * and frees for `steps` steps; 0 when every check held. */
static int run(ks_cache_arena *a, uint32_t high, unsigned steps)
{
	unsigned step, i;

	for (step = 0; step < steps; step++) {
		int do_alloc = nlive == 0 || (nlive < MAXLIVE && next_rand() % 100 < 55);
		if (do_alloc) {
			/* mostly small, sometimes large sizes */
			uint32_t n = next_rand() % 100 < 90 ? 1 + next_rand() % 1200 : 1 + next_rand() % 60000;
			int hi = high && next_rand() % 3 == 0;
			uint32_t off = hi ? ks_cache_arena_alloc_high(a, mem, n) : ks_cache_arena_alloc(a, mem, n);
			if (!off) {
				continue;  /* full: fine, frees will follow */
			}
			if (off < 24 || off + n > ARENA - 16 || (off & 7)) {
				return fail("a block is outside the arena or misaligned", step);
			}
			if (hi && off - 8 < high) {
				return fail("a high block starts below the boundary", step);
			}
			for (i = 0; i < nlive; i++) {
				if (off < live_off[i] + live_len[i] && live_off[i] < off + n) {
					return fail("two live blocks overlap", step);
				}
			}
			memset(mem + off, (int) (off & 0xff), n);
			live_off[nlive] = off;
			live_len[nlive] = n;
			live_high[nlive++] = hi;
		} else {
			unsigned k = next_rand() % nlive;
			uint32_t j;
			for (j = 0; j < live_len[k]; j++) {
				if ((unsigned char) mem[live_off[k] + j] != (live_off[k] & 0xff)) {
					return fail("a live block's contents changed", step);
				}
			}
			ks_cache_arena_free(a, mem, live_off[k]);
			nlive--;
			live_off[k] = live_off[nlive];
			live_len[k] = live_len[nlive];
			live_high[k] = live_high[nlive];
		}
		if ((step % 997 == 0 || step < 2000) && check_walk(a, step)) {
			return 1;
		}
	}
	return check_walk(a, step);
}

/* Frees every live block (the shadow list empties) and checks that the
 * arena is one free block again, its first free bytes back. */
static int free_all(ks_cache_arena *a, uint32_t first_free, unsigned step)
{
	while (nlive) {
		ks_cache_arena_free(a, mem, live_off[--nlive]);
	}
	if (check_walk(a, step)) {
		return 1;
	}
	if (a->used != 0 || a->nfree != 1 || a->straddle != (a->high ? 16u : 0u) || ks_cache_arena_free_bytes(a) != first_free) {
		return fail("freeing everything did not give one whole free block back", step);
	}
	return 0;
}

/*
 * Coalescing across the boundary, by hand: a low block that ends exactly at
 * `high` and a high block that starts there, freed in both orders (each
 * merge moves a block from one part's lists to the other's and makes the
 * straddle); then a straddling used block freed between used neighbours.
 */
static int boundary_cases(ks_cache_arena *a, uint32_t high)
{
	uint32_t first_free, lo, hi, rest, order;

	for (order = 0; order < 2; order++) {
		ks_cache_arena_init(a, mem, ARENA, high);
		first_free = ks_cache_arena_free_bytes(a);
		lo = ks_cache_arena_alloc(a, mem, high - 16 - 8);      /* [16, high) */
		hi = ks_cache_arena_alloc_high(a, mem, 100);           /* [high, high + 112) */
		rest = ks_cache_arena_alloc(a, mem, 100);              /* just after */
		if (lo != 24 || hi != high + 8 || !rest || a->straddle != 0 || check_walk(a, 10 + order)) {
			return fail("the boundary blocks are not where they should be", 10 + order);
		}
		ks_cache_arena_free(a, mem, order ? hi : lo);
		if (check_walk(a, 12 + order)) {
			return 1;
		}
		ks_cache_arena_free(a, mem, order ? lo : hi);
		if (check_walk(a, 14 + order) || a->straddle != 16) {
			return fail("the blocks merged across the boundary are not the straddle", 14 + order);
		}
		/* its tail serves the high part, its head the low part */
		hi = ks_cache_arena_alloc_high(a, mem, 64);
		if (!hi || hi - 8 < high || check_walk(a, 16 + order)) {
			return fail("the straddle's tail does not serve alloc_high", 16 + order);
		}
		ks_cache_arena_free(a, mem, hi);
		ks_cache_arena_free(a, mem, rest);
		if (check_walk(a, 18 + order) || a->nfree != 1 || ks_cache_arena_free_bytes(a) != first_free) {
			return fail("the arena is not whole after the boundary merges", 18 + order);
		}
	}
	/* a used block across the boundary, between used blocks, freed alone */
	ks_cache_arena_init(a, mem, ARENA, high);
	lo = ks_cache_arena_alloc(a, mem, high - 16 - 8 - 64);
	hi = ks_cache_arena_alloc(a, mem, 200);                 /* straddles */
	rest = ks_cache_arena_alloc(a, mem, 100);
	if (!lo || !hi || !rest || hi - 8 >= high || hi - 8 + ks_cache_arena_block_size(200) <= high) {
		return fail("the straddling used block is not across the boundary", 20);
	}
	ks_cache_arena_free(a, mem, hi);
	if (check_walk(a, 21) || a->straddle != hi - 8) {
		return fail("a freed straddling block is not the straddle", 21);
	}
	ks_cache_arena_free(a, mem, lo);
	ks_cache_arena_free(a, mem, rest);
	if (check_walk(a, 22) || a->nfree != 1 || a->straddle != 16) {
		return fail("the arena is not whole after the straddling block", 22);
	}
	return 0;
}

/* Random runs over arenas of several sizes with boundaries anywhere,
 * including odd (unaligned) ones and ones next to either end. */
static int boundary_sweep(ks_cache_arena *a)
{
	static const uint32_t sizes[] = { 128, 4096 + 16, 65536 + 48, ARENA };
	unsigned i, j;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		const uint32_t sz = sizes[i];
		const uint32_t highs[] = { 17, 32, 48, sz / 2 + 7, sz / 3, sz - 48, sz - 32, sz - 17 };
		for (j = 0; j < sizeof(highs) / sizeof(highs[0]); j++) {
			uint32_t first_free;
			ks_cache_arena_init(a, mem, sz, highs[j]);
			first_free = ks_cache_arena_free_bytes(a);
			if (check_walk(a, 30) || run(a, a->high, 20000) || free_all(a, first_free, 31)) {
				printf("  (arena %u, boundary %u)\n", sz, highs[j]);
				return 1;
			}
		}
	}
	return 0;
}

int main(void)
{
	ks_cache_arena a;
	uint32_t first_free, high = ARENA / 2;
	unsigned i;

	ks_cache_arena_init(&a, mem, ARENA, 0);
	first_free = ks_cache_arena_free_bytes(&a);
	if (run(&a, 0, 200000)) {
		return 1;
	}
	while (nlive) {
		ks_cache_arena_free(&a, mem, live_off[--nlive]);
	}
	if (check_walk(&a, 0)) {
		return 1;
	}
	if (a.used != 0 || a.nfree != 1 || ks_cache_arena_free_bytes(&a) != first_free) {
		return fail("freeing everything did not give one whole free block back", 0);
	}
	if (!ks_cache_arena_alloc(&a, mem, ks_cache_arena_max_payload(&a))) {
		return fail("the largest payload does not fit an empty arena", 0);
	}

	/* with a high part */
	ks_cache_arena_init(&a, mem, ARENA, high);
	if (a.high != high || ks_cache_arena_free_bytes(&a) != first_free) {
		return fail("an arena with a high part is not laid out as asked", 0);
	}
	if (run(&a, high, 200000)) {
		return 1;
	}
	/* the high blocks stay (pinned readers would hold them); free the rest */
	for (i = 0; i < nlive; ) {
		if (live_high[i]) {
			i++;
			continue;
		}
		ks_cache_arena_free(&a, mem, live_off[i]);
		nlive--;
		live_off[i] = live_off[nlive];
		live_len[i] = live_len[nlive];
		live_high[i] = live_high[nlive];
	}
	if (check_walk(&a, 1)) {
		return 1;
	}
	/* the low part [16, high) is one free run now: its whole size is served */
	if (!ks_cache_arena_alloc(&a, mem, high - 16 - 8)) {
		return fail("with only high blocks left, the low part is not one free run", 1);
	}
	if (check_walk(&a, 2)) {
		return 1;
	}
	nlive = 0;
	if (boundary_cases(&a, high) || boundary_cases(&a, high + 16 * 37) || boundary_sweep(&a)) {
		return 1;
	}
	printf("ok\n");
	return 0;
}
