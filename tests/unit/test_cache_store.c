/*
 * test_cache_store.c: standalone checks of the store (ks_cache_shard.c,
 * ks_cache_store*.c), built and run by scripts/unit. Pure C, no PHP.
 * The store's sources are included so their static helpers (the lock-free
 * peek) can be driven directly.
 *
 * Checks:
 *  - init: ks_cache_store_init refuses shard counts the store cannot hold
 *    (more than KS_CACHE_SHARDS_MAX, not a power of two) and a NULL,
 *    misaligned or too small segment, without relying on the INI handler.
 *  - sizes: a key whose length would wrap the 32-bit entry size (about
 *    4 GB) is refused with KS_CACHE_TOOBIG by put, incr and lease before any
 *    byte of it is read and before anything is evicted; so is a key that
 *    fits a shard only without its value. (The key pointer names a small
 *    buffer: reading the claimed length would crash.)
 *  - seqlock: a read that falls back to the lock and a lease poll that
 *    finds the lease held change nothing, so the seqlock is not bumped
 *    (a bump sends every other lock-free reader of the shard to the lock).
 *  - torn reads: an entry whose value length runs past its block, and a
 *    chain offset that is not a payload offset (it points into another
 *    value that looks like an entry), make the lock-free peek retry instead
 *    of copying (the copy used to be bounded only by the arena, and any
 *    offset was taken for an entry).
 *  - pinned full shard: a shard full of immutable (zero-copy) values takes
 *    every store while a reader stays pinned (its retired blocks cannot be
 *    freed, so eviction makes no room from them): the zero-copy budget keeps
 *    half the arena for copies. Once the reader unpins, a store frees every
 *    retired block. (It used to evict the shard empty and fail NOSPACE.)
 *  - region exact: an immutable value whose block is exactly the zero-copy
 *    region stores immutable at the boundary, in an empty shard and with
 *    the bottom half full of copies; one block larger is ZC_FULL; the
 *    arena is one free block again after the deletes.
 */
#include "cache/ks_cache_shard.c"
#include "cache/ks_cache_store.c"
#include "cache/ks_cache_store_read.c"
#include "cache/ks_cache_store_evict.c"
#include "cache/ks_cache_store_info.c"

#include <stdio.h>
#include <unistd.h>

#define SEG_SIZE (KS_CACHE_SEG_HDR + 2 * 256 * 1024)

static int failures;

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		failures++; \
		printf("FAIL line %d: ", __LINE__); \
		printf(__VA_ARGS__); \
		printf("\n"); \
	} \
} while (0)

static void key_of(ks_cache_key *k, const char *s)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (i = 0; s[i]; i++) {
		h = (h ^ (unsigned char) s[i]) * 1099511628211ull;
	}
	ks_cache_key_init(k, s, i, h);
}

static void ctx_of(ks_cache_ctx *c, ks_cache_seg *seg, int pid)
{
	memset(c, 0, sizeof(*c));
	c->seg = seg;
	c->lock_timeout_ms = 500;
	c->pid = pid;
}

/* Fills the segment with small entries; returns how many were stored. */
static uint32_t fill(ks_cache_ctx *c)
{
	char name[32];
	uint32_t i, n = 0;
	ks_cache_key k;

	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "keep%u", i);
		key_of(&k, name);
		n += ks_cache_store_put(c, &k, "\005\001\0\0\0x", 6, 0, 0) == KS_CACHE_OK;
	}
	return n;
}

static uint64_t entries(ks_cache_seg *seg)
{
	ks_cache_stats s;

	ks_cache_store_stats(seg, &s);
	return s.entries;
}

static void check_sizes(ks_cache_seg *seg)
{
	static const char tiny[16] = "tiny";
	ks_cache_ctx c;
	ks_cache_key k;
	ks_cache_buf out = {0};
	int64_t r;
	uint32_t stored;
	uint64_t max_key = ks_cache_store_max_key(seg);

	ctx_of(&c, seg, getpid());
	stored = fill(&c);
	CHECK(stored == 200 && entries(seg) == 200, "fill stored %u", stored);

	/* 0xfffffff0 + sizeof(ks_cache_entry) + a value wraps to a few bytes in 32 bits */
	k.s = tiny;
	k.len = 0xfffffff0u;
	k.h = 12345;
	CHECK(ks_cache_store_put(&c, &k, "\005\001\0\0\0x", 6, 0, 0) == KS_CACHE_TOOBIG, "put of a 4 GB key");
	CHECK(ks_cache_store_incr(&c, &k, 1, 0, &r) == KS_CACHE_TOOBIG, "incr of a 4 GB key");
	CHECK(ks_cache_store_lease(&c, &k, 10, &out) == KS_CACHE_TOOBIG, "lease of a 4 GB key");
	k.len = 0x7fffffffu + 2;
	CHECK(ks_cache_store_put(&c, &k, "\0", 1, 0, 0) == KS_CACHE_TOOBIG, "put of a key over the 31-bit klen");

	/* fits a shard alone, not with the 9 bytes of an int: refused before evicting */
	CHECK(max_key < 256 * 1024 && max_key > 1000, "max key %llu", (unsigned long long) max_key);
	{
		char *big = calloc(1, (size_t) max_key + 1);
		k.s = big;
		k.len = (uint32_t) max_key;
		k.h = 999;
		CHECK(ks_cache_store_incr(&c, &k, 1, 0, &r) == KS_CACHE_TOOBIG, "incr of a key that leaves no room for the int");
		k.len = (uint32_t) max_key + 1;
		CHECK(ks_cache_store_lease(&c, &k, 10, &out) == KS_CACHE_TOOBIG, "lease of a key over the limit");
		free(big);
	}
	CHECK(entries(seg) == 200, "entries after the refused requests: %llu (evicted)", (unsigned long long) entries(seg));
	ks_cache_buf_free(&out);
}

static void check_seqlock(ks_cache_seg *seg)
{
	ks_cache_ctx c, other;
	ks_cache_key k;
	ks_cache_buf out = {0};
	ks_cache_shard *sh;
	uint32_t before;
	ks_cache_status st;

	ctx_of(&c, seg, getpid());
	key_of(&k, "keep7");
	sh = ks_cache_shard_of(seg, &k);

	/* a writer stuck inside its change: the read goes to the lock */
	sh->seq |= 1;
	before = sh->seq;
	st = ks_cache_store_get(&c, &k, &out, NULL);
	CHECK(st == KS_CACHE_OK && out.len == 6, "fallback read: status %d, %zu bytes", (int) st, out.len);
	CHECK(sh->seq == before, "a fallback read moved seq from %u to %u", before, sh->seq);
	CHECK(sh->st.read_fallbacks == 1, "read_fallbacks %llu", (unsigned long long) sh->st.read_fallbacks);
	sh->seq++;  /* the stuck writer leaves */

	/* pid 1 (alive) computes "leased": our polls change nothing */
	ctx_of(&other, seg, 1);
	key_of(&k, "leased");
	sh = ks_cache_shard_of(seg, &k);
	CHECK(ks_cache_store_lease(&other, &k, 60, &out) == KS_CACHE_LEASE_MINE, "pid 1 takes the lease");
	before = sh->seq;
	st = ks_cache_store_lease(&c, &k, 60, &out);
	CHECK(st == KS_CACHE_LEASED, "poll: status %d", (int) st);
	CHECK(sh->seq == before, "a lease poll moved seq from %u to %u", before, sh->seq);
	ks_cache_buf_free(&out);
}

static void check_torn(ks_cache_seg *seg)
{
	ks_cache_ctx c;
	ks_cache_key k;
	ks_cache_buf out = {0};
	ks_cache_shard *sh;
	ks_cache_entry *e;
	uint32_t off = 0, head, saved;
	ks_cache_status st;

	ctx_of(&c, seg, getpid());
	key_of(&k, "keep9");
	sh = ks_cache_shard_of(seg, &k);
	head = ks_cache_find_locked(sh, &k, NULL);
	CHECK(head != 0, "keep9 is stored");
	e = ks_cache_ent(sh, head);

	/* a torn value length: past the block, still inside the arena */
	saved = e->vlen;
	e->vlen = sh->arena_size - head - (uint32_t) sizeof(ks_cache_entry) - e->klen - 64;
	st = ks_cache_peek_once(&c, sh, &k, &out, &off, NULL);
	CHECK(st == KS_CACHE_RETRY, "a torn vlen: status %d, copied %zu bytes", (int) st, out.len);
	CHECK(out.cap < 4096, "a torn vlen grew the copy buffer to %zu bytes", out.cap);
	e->vlen = saved;
	st = ks_cache_peek_once(&c, sh, &k, &out, &off, NULL);
	CHECK(st == KS_CACHE_OK && out.len == 6, "the intact entry: status %d", (int) st);

	/* A torn chain offset that is not a payload offset: it points into
	 * another entry's value, whose bytes happen to look like an entry
	 * for our key. Only the alignment check can tell. */
	{
		char rec[sizeof(ks_cache_entry) + 16], name[32];
		ks_cache_entry fake;
		ks_cache_key carrier;
		uint32_t *bucket = &ks_cache_buckets(sh)[(uint32_t) k.h & sh->mask];
		uint32_t real = *bucket, coff;
		int i;

		memset(&fake, 0, sizeof(fake));
		fake.hash = (uint32_t) k.h;
		fake.klen = k.len;
		fake.vlen = 6;
		memcpy(rec, &fake, sizeof(fake));
		memcpy(rec + sizeof(fake), k.s, k.len);
		memcpy(rec + sizeof(fake) + k.len, "\005\001\0\0\0F", 6);
		for (i = 0; i < 1000; i++) {
			snprintf(name, sizeof(name), "carrier%d", i);
			key_of(&carrier, name);
			if (ks_cache_shard_of(seg, &carrier) == sh) {
				break;
			}
		}
		CHECK(ks_cache_store_put(&c, &carrier, rec, (uint32_t) (sizeof(fake) + k.len + 6), 0, 0) == KS_CACHE_OK, "carrier stored");
		coff = ks_cache_find_locked(sh, &carrier, NULL);
		*bucket = coff + (uint32_t) sizeof(ks_cache_entry) + carrier.len;  /* its value */
		st = ks_cache_peek_once(&c, sh, &k, &out, &off, NULL);
		CHECK(st == KS_CACHE_RETRY, "an offset into a value: status %d, %zu bytes", (int) st, out.len);
		*bucket = real;
	}
	ks_cache_buf_free(&out);
}

/* Segment memory as mmap gives it: zeroed and 64-byte aligned. */
static void *zeroed(size_t n)
{
	void *p = aligned_alloc(64, n);

	if (p) {
		memset(p, 0, n);
	}
	return p;
}

/* A zeroed one-shard segment of `size` bytes with c set up on it, or NULL
 * (the failure counted, naming `what`). The caller frees it. */
static char *one_shard(size_t size, ks_cache_ctx *c, const char *what)
{
	char *mem = zeroed(size);

	if (!mem || ks_cache_store_init(mem, size, 1, 0) != 0) {
		CHECK(0, "no segment for the %s check", what);
		free(mem);
		return NULL;
	}
	ctx_of(c, (ks_cache_seg *) mem, 1);
	return mem;
}

/* ks_cache_store_init checks its own arguments instead of trusting
 * keepsake.cache.shards' INI handler: 512 shards (room for each) would
 * overflow the read-statistics sort, whose table has KS_CACHE_SHARDS_MAX + 1
 * counters; it used to be accepted. */
static void check_init_arguments(void)
{
	const size_t big = KS_CACHE_SEG_HDR + (size_t) 512 * KS_CACHE_SHARD_MIN * 2;
	char *mem = zeroed(big + 64);

	if (!mem) {
		CHECK(0, "no memory for the init checks");
		return;
	}
	CHECK(ks_cache_store_init(mem, big, 512, 0) == EINVAL, "512 shards accepted");
	CHECK(ks_cache_store_init(mem, big, 3, 0) == EINVAL, "3 shards (not a power of two) accepted");
	CHECK(ks_cache_store_init(mem, big, 0, 0) == EINVAL, "0 shards accepted");
	CHECK(ks_cache_store_init(NULL, big, 2, 0) == EINVAL, "a NULL segment accepted");
	CHECK(ks_cache_store_init(mem + 8, big, 2, 0) == EINVAL, "a misaligned segment accepted");
	CHECK(ks_cache_store_init(mem, KS_CACHE_SEG_HDR + 4 * KS_CACHE_SHARD_MIN - 64, 4, 0) == EINVAL,
		"shards smaller than KS_CACHE_SHARD_MIN accepted");
	memset(mem, 0, big);
	CHECK(ks_cache_store_init(mem, big, KS_CACHE_SHARDS_MAX, 0) == 0, "%d shards refused", KS_CACHE_SHARDS_MAX);
	free(mem);
}

/* Writes an immutable-looking value (the tag is all the store reads). */
static void fill_imm(void *arg, char *dst, uint32_t vlen)
{
	(void) arg;
	memset(dst, 'i', vlen);
	dst[0] = KS_CACHE_VAL_IMM;
}

/* Stores n values of 1 to 24 KB over 60 keys, zero-copy when the shard
 * allows, else copied, as cache_zerocopy.c does; returns the failures. */
static int store_load(ks_cache_ctx *c, uint32_t from, uint32_t n)
{
	static char val[24 * 1024 + 16];
	char name[32];
	uint32_t i;
	int failed = 0;
	ks_cache_key k;

	memset(val, 'c', sizeof(val));
	val[0] = KS_CACHE_VAL_STRING;
	for (i = from; i < from + n; i++) {
		const uint32_t vlen = 1024 * (1 + i % 24) + 16;
		ks_cache_status st;
		snprintf(name, sizeof(name), "item:%u", i % 60);
		key_of(&k, name);
		st = ks_cache_store_put_fill(c, &k, vlen, 0, 0, fill_imm, NULL);
		if (st == KS_CACHE_ZC_FULL) {
			st = ks_cache_store_put(c, &k, val, vlen, 0, 0);
		}
		failed += st != KS_CACHE_OK;
	}
	return failed;
}

static void check_pinned_full(void)
{
	ks_cache_epoch_proc reader;
	ks_cache_shard *sh;
	ks_cache_ctx c;
	char *mem = one_shard(KS_CACHE_SEG_HDR + 640 * 1024, &c, "pinned-full");

	if (!mem) {
		return;
	}
	sh = ks_cache_shard_at((ks_cache_seg *) mem, 0);
	/* no reader: retired blocks are freed at once, the shard fills up */
	CHECK(store_load(&c, 0, 300) == 0, "stores failed with no reader");
	/* a reader (this process's own slot: never taken for dead) pins and
	 * stays pinned while the writer goes on */
	ks_cache_epoch_proc_init(&reader);
	CHECK(ks_cache_epoch_pin(ks_cache_seg_epoch((ks_cache_seg *) mem), &reader, (uint64_t) time(NULL), 0)
		== KS_CACHE_EPOCH_OK, "no pin");
	CHECK(store_load(&c, 300, 600) == 0, "stores failed under a pinned reader");
	CHECK(ks_cache_shard_ring(sh)->bytes > 0, "nothing retired under the pin: the check checks nothing");
	ks_cache_epoch_unpin(ks_cache_seg_epoch((ks_cache_seg *) mem), &reader);
	CHECK(store_load(&c, 900, 1) == 0, "a store failed after the unpin");
	CHECK(ks_cache_shard_ring(sh)->bytes == 0 && ks_cache_shard_ring(sh)->count == 0,
		"retired blocks left after the reader unpinned: %llu bytes", (unsigned long long) ks_cache_shard_ring(sh)->bytes);
	ks_cache_epoch_detach(ks_cache_seg_epoch((ks_cache_seg *) mem), &reader);
	free(mem);
}

/* An immutable value whose block is exactly the zero-copy region stores in
 * the immutable form, wholly in the region, in an empty shard and in one
 * whose bottom half is full of copies; one 16 bytes larger gets ZC_FULL
 * with nothing changed; every byte comes back after the deletes. */
static void check_region_exact(void)
{
	static char val[8192];
	ks_cache_shard *sh;
	ks_cache_ctx c;
	ks_cache_key k, ck;
	uint32_t region, vlen, free0, off, i, round;
	char name[32];
	char *mem = one_shard(KS_CACHE_SEG_HDR + 640 * 1024, &c, "region");

	if (!mem) {
		return;
	}
	sh = ks_cache_shard_at((ks_cache_seg *) mem, 0);
	region = (uint32_t) ks_cache_zc_region_bytes(sh);
	free0 = ks_cache_arena_free_bytes(&sh->arena);
	key_of(&k, "x");
	vlen = region - KS_CACHE_ARENA_HDR - (uint32_t) sizeof(ks_cache_entry) - 1;
	memset(val, 'c', sizeof(val));
	val[0] = KS_CACHE_VAL_STRING;
	CHECK(region && ks_cache_arena_block_size((uint32_t) sizeof(ks_cache_entry) + 1 + vlen) == region, "vlen miscomputed");
	for (round = 0; round < 2; round++) {
		/* round 1: copies first fill the bottom half (and no more) */
		for (i = 0; round && ks_cache_arena_free_bytes(&sh->arena) > region + sizeof(val) + 64; i++) {
			snprintf(name, sizeof(name), "c%u", i);
			key_of(&ck, name);
			CHECK(ks_cache_store_put(&c, &ck, val, sizeof(val), 0, 0) == KS_CACHE_OK, "a copy failed");
		}
		CHECK(ks_cache_store_put_fill(&c, &k, vlen + 1, 0, 0, fill_imm, NULL) == KS_CACHE_ZC_FULL,
			"a value one block past the region was not refused (round %u)", round);
		CHECK(ks_cache_store_put_fill(&c, &k, vlen, 0, 0, fill_imm, NULL) == KS_CACHE_OK,
			"a value of exactly the region was not stored immutable (round %u)", round);
		off = ks_cache_find_locked(sh, &k, NULL);
		CHECK(off && off - KS_CACHE_ARENA_HDR == sh->arena.high, "the region-sized block is not the region (round %u)", round);
		CHECK(ks_cache_store_delete(&c, &k) == KS_CACHE_OK, "delete failed");
		CHECK(ks_cache_store_put(&c, &k, "s", 1, 0, 0) == KS_CACHE_OK && ks_cache_store_delete(&c, &k) == KS_CACHE_OK,
			"a store after the delete failed");
		CHECK(ks_cache_shard_ring(sh)->count == 0 && ks_cache_shard_ring(sh)->live == 0, "the region block was not freed");
	}
	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "c%u", i);
		key_of(&ck, name);
		(void) ks_cache_store_delete(&c, &ck);
	}
	CHECK(ks_cache_arena_free_bytes(&sh->arena) == free0 && sh->arena.nfree == 1,
		"the arena did not come back whole: %u of %u bytes free in %u blocks",
		ks_cache_arena_free_bytes(&sh->arena), free0, sh->arena.nfree);
	free(mem);
}

int main(void)
{
	void *mem = zeroed(SEG_SIZE);

	if (!mem) {
		printf("no memory\n");
		return 1;
	}
	if (ks_cache_store_init(mem, SEG_SIZE, 2, 0) != 0) {
		printf("ks_cache_store_init failed\n");
		return 1;
	}
	check_init_arguments();
	check_sizes(mem);
	check_seqlock(mem);
	check_torn(mem);
	check_pinned_full();
	check_region_exact();
	free(mem);
	if (failures) {
		return 1;
	}
	printf("ok\n");
	return 0;
}
