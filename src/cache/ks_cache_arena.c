/*
 * ks_cache_arena.c: boundary-tag allocator with size-class free lists
 * (layout and invariants in ks_cache_arena.h).
 */
#include "cache/ks_cache_arena.h"

#include <string.h>

#define KS_BLK_USED      1u
#define KS_BLK_PREV_USED 2u
#define KS_BLK_FLAGS     15u
#define KS_BLK_HDR       8u
#define KS_BLK_MIN       32u
#define KS_ARENA_FIRST   16u

static inline uint32_t *ks_hdr(char *base, uint32_t b) { return (uint32_t *) (base + b); }
static inline uint32_t ks_bsize(char *base, uint32_t b) { return *ks_hdr(base, b) & ~KS_BLK_FLAGS; }
static inline uint32_t ks_bflags(char *base, uint32_t b) { return *ks_hdr(base, b) & KS_BLK_FLAGS; }
static inline uint32_t *ks_next(char *base, uint32_t b) { return (uint32_t *) (base + b + 8); }
static inline uint32_t *ks_prev(char *base, uint32_t b) { return (uint32_t *) (base + b + 12); }
static inline uint32_t *ks_foot(char *base, uint32_t b, uint32_t s) { return (uint32_t *) (base + b + s - 4); }

static uint32_t ks_class_of(uint32_t s)
{
	uint32_t l;

	if (s <= 1024) {
		return s / 16 - 2;
	}
	l = 31 - (uint32_t) __builtin_clz(s);
	return 63 + (l - 10) * 4 + ((s >> (l - 2)) & 3);
}

static void ks_list_push(ks_arena *a, char *base, uint32_t b, uint32_t s)
{
	uint32_t c = ks_class_of(s);
	uint32_t head = a->heads[c];

	*ks_next(base, b) = head;
	*ks_prev(base, b) = 0;
	if (head) {
		*ks_prev(base, head) = b;
	}
	a->heads[c] = b;
	a->bitmap[c / 64] |= 1ull << (c % 64);
	a->nfree++;
}

static void ks_list_remove(ks_arena *a, char *base, uint32_t b)
{
	uint32_t c = ks_class_of(ks_bsize(base, b));
	uint32_t n = *ks_next(base, b), p = *ks_prev(base, b);

	if (p) {
		*ks_next(base, p) = n;
	} else {
		a->heads[c] = n;
		if (!n) {
			a->bitmap[c / 64] &= ~(1ull << (c % 64));
		}
	}
	if (n) {
		*ks_prev(base, n) = p;
	}
	a->nfree--;
}

/* Writes a free block's header (keeping PREV_USED) and footer, and lists it. */
static void ks_make_free(ks_arena *a, char *base, uint32_t b, uint32_t s, uint32_t prev_used)
{
	*ks_hdr(base, b) = s | prev_used;
	*ks_foot(base, b, s) = s;
	*ks_hdr(base, b + s) &= ~KS_BLK_PREV_USED;
	ks_list_push(a, base, b, s);
}

void ks_arena_init(ks_arena *a, char *base, uint32_t size)
{
	uint32_t end;

	memset(a, 0, sizeof(*a));
	size &= ~15u;
	a->size = size;
	end = size - 16;
	/* sentinel: used, never freed */
	*ks_hdr(base, end) = 16 | KS_BLK_USED;
	ks_make_free(a, base, KS_ARENA_FIRST, end - KS_ARENA_FIRST, KS_BLK_PREV_USED);
}

uint32_t ks_arena_block_size(uint32_t n)
{
	uint64_t s = ((uint64_t) n + KS_BLK_HDR + 15) & ~(uint64_t) 15;

	if (s < KS_BLK_MIN) {
		s = KS_BLK_MIN;
	}
	return s > 0xfffffff0u ? 0xfffffff0u : (uint32_t) s;
}

uint32_t ks_arena_max_payload(const ks_arena *a)
{
	return a->size - KS_ARENA_FIRST - 16 - KS_BLK_HDR;
}

uint32_t ks_arena_free_bytes(const ks_arena *a)
{
	return a->size - KS_ARENA_FIRST - 16 - a->used;
}

/* Index of the first set bit >= c in the bitmap, or KS_ARENA_NCLASS. */
static uint32_t ks_first_class(const ks_arena *a, uint32_t c)
{
	while (c < KS_ARENA_NCLASS) {
		uint64_t w = a->bitmap[c / 64] >> (c % 64);
		if (w) {
			return c + (uint32_t) __builtin_ctzll(w);
		}
		c = (c / 64 + 1) * 64;
	}
	return KS_ARENA_NCLASS;
}

/* A block in class c that holds s bytes, or 0 (first fit, bounded scan). */
static uint32_t ks_find_block(ks_arena *a, char *base, uint32_t s)
{
	uint32_t c = ks_class_of(s), b;
	int budget = 32;

	if (c > 62) {
		/* an inexact class may hold smaller blocks: first fit */
		for (b = a->heads[c]; b && budget-- > 0; b = *ks_next(base, b)) {
			if (ks_bsize(base, b) >= s) {
				return b;
			}
		}
		c++;
	}
	c = ks_first_class(a, c);
	return c < KS_ARENA_NCLASS ? a->heads[c] : 0;
}

uint32_t ks_arena_alloc(ks_arena *a, char *base, uint32_t n)
{
	uint32_t s = ks_arena_block_size(n), b, bs, flags;

	if (n > ks_arena_max_payload(a)) {
		return 0;
	}
	b = ks_find_block(a, base, s);
	if (!b) {
		return 0;
	}
	ks_list_remove(a, base, b);
	bs = ks_bsize(base, b);
	flags = ks_bflags(base, b) & KS_BLK_PREV_USED;
	if (bs - s >= KS_BLK_MIN) {
		/* the tail stays free; its left neighbour (us) is used */
		*ks_hdr(base, b) = s | flags | KS_BLK_USED;
		ks_make_free(a, base, b + s, bs - s, KS_BLK_PREV_USED);
	} else {
		s = bs;
		*ks_hdr(base, b) = s | flags | KS_BLK_USED;
		*ks_hdr(base, b + s) |= KS_BLK_PREV_USED;
	}
	a->used += s;
	return b + KS_BLK_HDR;
}

void ks_arena_free(ks_arena *a, char *base, uint32_t off)
{
	uint32_t b = off - KS_BLK_HDR;
	uint32_t s = ks_bsize(base, b);
	uint32_t prev_used = ks_bflags(base, b) & KS_BLK_PREV_USED;
	uint32_t next = b + s;

	a->used -= s;
	if (!(ks_bflags(base, next) & KS_BLK_USED)) {
		ks_list_remove(a, base, next);
		s += ks_bsize(base, next);
	}
	if (!prev_used) {
		uint32_t ps = *(uint32_t *) (base + b - 4);
		b -= ps;
		s += ps;
		ks_list_remove(a, base, b);
		prev_used = ks_bflags(base, b) & KS_BLK_PREV_USED;
	}
	ks_make_free(a, base, b, s, prev_used);
}

void ks_arena_histogram(const ks_arena *a, const char *base, uint64_t hist[KS_ARENA_HIST])
{
	uint32_t c, b;

	for (c = 0; c < KS_ARENA_NCLASS; c++) {
		for (b = a->heads[c]; b; b = *(const uint32_t *) (base + b + 8)) {
			uint32_t s = *(const uint32_t *) (base + b) & ~KS_BLK_FLAGS;
			uint32_t i = 31 - (uint32_t) __builtin_clz(s);
			i = i < 5 ? 0 : i - 5;
			hist[i < KS_ARENA_HIST ? i : KS_ARENA_HIST - 1]++;
		}
	}
}

uint32_t ks_arena_free_blocks(const ks_arena *a, const char *base, uint32_t *pairs, uint32_t max)
{
	uint32_t c, b, n = 0;

	for (c = 0; c < KS_ARENA_NCLASS && n < max; c++) {
		for (b = a->heads[c]; b && n < max; b = *(const uint32_t *) (base + b + 8)) {
			pairs[2 * n] = *(const uint32_t *) (base + b) & ~KS_BLK_FLAGS;
			pairs[2 * n + 1] = b;
			n++;
		}
	}
	return n;
}
