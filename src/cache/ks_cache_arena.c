/*
 * ks_cache_arena.c: boundary-tag allocator with size-class free lists,
 * one set per part of the arena (layout, the high part and the invariants
 * in ks_cache_arena.h).
 */
#include "cache/ks_cache_arena.h"

#include <string.h>

#define KS_CACHE_BLK_USED      1u
#define KS_CACHE_BLK_PREV_USED 2u
#define KS_CACHE_BLK_FLAGS     15u
#define KS_CACHE_BLK_HDR       8u
#define KS_CACHE_BLK_MIN       32u
#define KS_CACHE_ARENA_FIRST   16u

static inline uint32_t *ks_cache_hdr(char *base, uint32_t b) { return (uint32_t *) (base + b); }
static inline uint32_t ks_cache_bsize(char *base, uint32_t b) { return *ks_cache_hdr(base, b) & ~KS_CACHE_BLK_FLAGS; }
static inline uint32_t ks_cache_bflags(char *base, uint32_t b) { return *ks_cache_hdr(base, b) & KS_CACHE_BLK_FLAGS; }
static inline uint32_t *ks_cache_next(char *base, uint32_t b) { return (uint32_t *) (base + b + 8); }
static inline uint32_t *ks_cache_prev(char *base, uint32_t b) { return (uint32_t *) (base + b + 12); }
static inline uint32_t *ks_cache_foot(char *base, uint32_t b, uint32_t s) { return (uint32_t *) (base + b + s - 4); }

static uint32_t ks_cache_class_of(uint32_t s)
{
	uint32_t l;

	if (s <= 1024) {
		return s / 16 - 2;
	}
	l = 31 - (uint32_t) __builtin_clz(s);
	return 63 + (l - 10) * 4 + ((s >> (l - 2)) & 3);
}

/* Which part's lists hold a free block starting at b. */
static inline int ks_cache_part_of(const ks_cache_arena *a, uint32_t b)
{
	return a->high && b >= a->high ? KS_CACHE_ARENA_HIGH : KS_CACHE_ARENA_LOW;
}

static void ks_cache_list_push(ks_cache_arena *a, char *base, uint32_t b, uint32_t s)
{
	const int p = ks_cache_part_of(a, b);
	uint32_t c = ks_cache_class_of(s);
	uint32_t head = a->heads[p][c];

	*ks_cache_next(base, b) = head;
	*ks_cache_prev(base, b) = 0;
	if (head) {
		*ks_cache_prev(base, head) = b;
	}
	a->heads[p][c] = b;
	a->bitmap[p][c / 64] |= 1ull << (c % 64);
	a->nfree++;
	if (p == KS_CACHE_ARENA_LOW && a->high && b + s > a->high) {
		a->straddle = b;
	}
}

static void ks_cache_list_remove(ks_cache_arena *a, char *base, uint32_t b)
{
	const int p = ks_cache_part_of(a, b);
	uint32_t c = ks_cache_class_of(ks_cache_bsize(base, b));
	uint32_t n = *ks_cache_next(base, b), pr = *ks_cache_prev(base, b);

	if (pr) {
		*ks_cache_next(base, pr) = n;
	} else {
		a->heads[p][c] = n;
		if (!n) {
			a->bitmap[p][c / 64] &= ~(1ull << (c % 64));
		}
	}
	if (n) {
		*ks_cache_prev(base, n) = pr;
	}
	a->nfree--;
	if (a->straddle == b) {
		a->straddle = 0;
	}
}

/* Writes a free block's header (keeping PREV_USED) and footer, and lists it. */
static void ks_cache_make_free(ks_cache_arena *a, char *base, uint32_t b, uint32_t s, uint32_t prev_used)
{
	*ks_cache_hdr(base, b) = s | prev_used;
	*ks_cache_foot(base, b, s) = s;
	*ks_cache_hdr(base, b + s) &= ~KS_CACHE_BLK_PREV_USED;
	ks_cache_list_push(a, base, b, s);
}

void ks_cache_arena_init(ks_cache_arena *a, char *base, uint32_t size, uint32_t high)
{
	uint32_t end;

	memset(a, 0, sizeof(*a));
	size &= ~15u;
	a->size = size;
	end = size - 16;
	high &= ~15u;
	/* a boundary at or before the first block, or at or past the
	 * sentinel, would leave one part without blocks: no high part */
	a->high = high > KS_CACHE_ARENA_FIRST && high < end ? high : 0;
	/* sentinel: used, never freed */
	*ks_cache_hdr(base, end) = 16 | KS_CACHE_BLK_USED;
	ks_cache_make_free(a, base, KS_CACHE_ARENA_FIRST, end - KS_CACHE_ARENA_FIRST, KS_CACHE_BLK_PREV_USED);
}

uint32_t ks_cache_arena_block_size(uint32_t n)
{
	uint64_t s = ((uint64_t) n + KS_CACHE_BLK_HDR + 15) & ~(uint64_t) 15;

	if (s < KS_CACHE_BLK_MIN) {
		s = KS_CACHE_BLK_MIN;
	}
	return s > 0xfffffff0u ? 0xfffffff0u : (uint32_t) s;
}

uint32_t ks_cache_arena_max_payload(const ks_cache_arena *a)
{
	return a->size - KS_CACHE_ARENA_FIRST - 16 - KS_CACHE_BLK_HDR;
}

uint32_t ks_cache_arena_free_bytes(const ks_cache_arena *a)
{
	return a->size - KS_CACHE_ARENA_FIRST - 16 - a->used;
}

/* Index of the first set bit >= c in part p's bitmap, or KS_CACHE_ARENA_NCLASS. */
static uint32_t ks_cache_first_class(const ks_cache_arena *a, int p, uint32_t c)
{
	while (c < KS_CACHE_ARENA_NCLASS) {
		uint64_t w = a->bitmap[p][c / 64] >> (c % 64);
		if (w) {
			return c + (uint32_t) __builtin_ctzll(w);
		}
		c = (c / 64 + 1) * 64;
	}
	return KS_CACHE_ARENA_NCLASS;
}

/* A block of part p that holds s bytes, or 0 (first fit, bounded scan). */
static uint32_t ks_cache_find_block(ks_cache_arena *a, char *base, int p, uint32_t s)
{
	uint32_t c = ks_cache_class_of(s), b;
	int budget = 32;

	if (c > 62) {
		/* an inexact class may hold smaller blocks: first fit */
		for (b = a->heads[p][c]; b && budget-- > 0; b = *ks_cache_next(base, b)) {
			if (ks_cache_bsize(base, b) >= s) {
				return b;
			}
		}
		c++;
	}
	c = ks_cache_first_class(a, p, c);
	return c < KS_CACHE_ARENA_NCLASS ? a->heads[p][c] : 0;
}

/* Serves s bytes (a block size) from the head of the free block b; the
 * tail stays free when at least 32 bytes remain. Returns the payload offset. */
static uint32_t ks_cache_take_head(ks_cache_arena *a, char *base, uint32_t b, uint32_t s)
{
	uint32_t bs, flags;

	ks_cache_list_remove(a, base, b);
	bs = ks_cache_bsize(base, b);
	flags = ks_cache_bflags(base, b) & KS_CACHE_BLK_PREV_USED;
	if (bs - s >= KS_CACHE_BLK_MIN) {
		/* the tail stays free; its left neighbour (us) is used */
		*ks_cache_hdr(base, b) = s | flags | KS_CACHE_BLK_USED;
		ks_cache_make_free(a, base, b + s, bs - s, KS_CACHE_BLK_PREV_USED);
	} else {
		s = bs;
		*ks_cache_hdr(base, b) = s | flags | KS_CACHE_BLK_USED;
		*ks_cache_hdr(base, b + s) |= KS_CACHE_BLK_PREV_USED;
	}
	a->used += s;
	return b + KS_CACHE_BLK_HDR;
}

/* Serves s bytes from the tail of the free block b, whose head (at least
 * 32 bytes, the caller checked) stays free. Returns the payload offset. */
static uint32_t ks_cache_take_tail(ks_cache_arena *a, char *base, uint32_t b, uint32_t s)
{
	uint32_t bs = ks_cache_bsize(base, b);
	uint32_t flags = ks_cache_bflags(base, b) & KS_CACHE_BLK_PREV_USED;
	uint32_t t = b + bs - s;

	ks_cache_list_remove(a, base, b);
	*ks_cache_hdr(base, t) = s | KS_CACHE_BLK_USED;  /* its left neighbour (the head) is free */
	*ks_cache_hdr(base, t + s) |= KS_CACHE_BLK_PREV_USED;
	ks_cache_make_free(a, base, b, bs - s, flags);
	a->used += s;
	return t + KS_CACHE_BLK_HDR;
}

uint32_t ks_cache_arena_alloc(ks_cache_arena *a, char *base, uint32_t n)
{
	uint32_t s = ks_cache_arena_block_size(n), b;

	if (n > ks_cache_arena_max_payload(a)) {
		return 0;
	}
	b = ks_cache_find_block(a, base, KS_CACHE_ARENA_LOW, s);
	if (!b && a->high) {
		b = ks_cache_find_block(a, base, KS_CACHE_ARENA_HIGH, s);
	}
	return b ? ks_cache_take_head(a, base, b, s) : 0;
}

/*
 * The high part's own blocks first (their head is at or above high); else
 * the tail of the block that straddles high, when the tail can start at or
 * above high and leave a head of at least 32 bytes free.
 */
uint32_t ks_cache_arena_alloc_high(ks_cache_arena *a, char *base, uint32_t n)
{
	uint32_t s = ks_cache_arena_block_size(n), b;

	if (!a->high || n > ks_cache_arena_max_payload(a)) {
		return 0;
	}
	b = ks_cache_find_block(a, base, KS_CACHE_ARENA_HIGH, s);
	if (b) {
		return ks_cache_take_head(a, base, b, s);
	}
	b = a->straddle;
	if (b) {
		uint32_t end = b + ks_cache_bsize(base, b);
		if (end >= a->high + s && end - s - b >= KS_CACHE_BLK_MIN) {
			return ks_cache_take_tail(a, base, b, s);
		}
	}
	return 0;
}

void ks_cache_arena_free(ks_cache_arena *a, char *base, uint32_t off)
{
	uint32_t b = off - KS_CACHE_BLK_HDR;
	uint32_t s = ks_cache_bsize(base, b);
	uint32_t prev_used = ks_cache_bflags(base, b) & KS_CACHE_BLK_PREV_USED;
	uint32_t next = b + s;

	a->used -= s;
	if (!(ks_cache_bflags(base, next) & KS_CACHE_BLK_USED)) {
		ks_cache_list_remove(a, base, next);
		s += ks_cache_bsize(base, next);
	}
	if (!prev_used) {
		uint32_t ps = *(uint32_t *) (base + b - 4);
		b -= ps;
		s += ps;
		ks_cache_list_remove(a, base, b);
		prev_used = ks_cache_bflags(base, b) & KS_CACHE_BLK_PREV_USED;
	}
	ks_cache_make_free(a, base, b, s, prev_used);
}

void ks_cache_arena_histogram(const ks_cache_arena *a, const char *base, uint64_t hist[KS_CACHE_ARENA_HIST])
{
	uint32_t c, b;
	int p;

	for (p = 0; p < 2; p++) {
		for (c = 0; c < KS_CACHE_ARENA_NCLASS; c++) {
			for (b = a->heads[p][c]; b; b = *(const uint32_t *) (base + b + 8)) {
				uint32_t s = *(const uint32_t *) (base + b) & ~KS_CACHE_BLK_FLAGS;
				uint32_t i = 31 - (uint32_t) __builtin_clz(s);
				i = i < 5 ? 0 : i - 5;
				hist[i < KS_CACHE_ARENA_HIST ? i : KS_CACHE_ARENA_HIST - 1]++;
			}
		}
	}
}

uint32_t ks_cache_arena_free_blocks(const ks_cache_arena *a, const char *base, uint32_t *pairs, uint32_t max)
{
	uint32_t c, b, n = 0;
	int p;

	for (p = 0; p < 2; p++) {
		for (c = 0; c < KS_CACHE_ARENA_NCLASS && n < max; c++) {
			for (b = a->heads[p][c]; b && n < max; b = *(const uint32_t *) (base + b + 8)) {
				pairs[2 * n] = *(const uint32_t *) (base + b) & ~KS_CACHE_BLK_FLAGS;
				pairs[2 * n + 1] = b;
				n++;
			}
		}
	}
	return n;
}
