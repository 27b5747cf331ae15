/*
 * ks_cache_store.c: shards, entries, eviction and leases (see ks_cache_store.h).
 *
 * Every public function follows one pattern: find the shard from the key's
 * hash, take its lock (ks_cache_shard_lock), call a *_locked helper, release. The
 * helpers never block, never call PHP and never allocate except with
 * realloc() into a process-local ks_cache_buf.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"  /* KEEPSAKE_DEBUG */
#endif
#include "cache/ks_cache_store.h"
#include "cache/ks_cache_lock.h"
#include "cache/ks_cache_sketch.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- buffers and keys ------------------------------------------------ */

int ks_cache_buf_reserve(ks_cache_buf *b, size_t n)
{
	size_t cap;
	char *p;

	if (n <= b->cap) {
		return 0;
	}
	cap = b->cap ? b->cap : 256;
	while (cap < n) {
		cap *= 2;
	}
	p = realloc(b->data, cap);
	if (!p) {
		return -1;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

void ks_cache_buf_free(ks_cache_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* A murmur3 finaliser over the caller's hash: avalanche for the shard,
 * bucket and sketch bits. */
void ks_cache_key_init(ks_cache_key *k, const char *s, size_t len, uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	k->s = s;
	k->len = (uint32_t) len;
	k->h = h;
}

/* ---- time ------------------------------------------------------------------ */

/* The context's unix second, read on first use: most reads never need it
 * (only entries with a TTL do), and the coarse clock is enough for seconds. */
static inline uint32_t ks_cache_now(ks_cache_ctx *c)
{
	if (!c->now) {
		struct timespec ts;
		c->now = clock_gettime(CLOCK_REALTIME_COARSE, &ts) == 0 ? (uint32_t) ts.tv_sec : (uint32_t) time(NULL);
	}
	return c->now;
}

/* ---- layout helpers ---------------------------------------------------- */

static inline ks_cache_shard *ks_cache_shard_at(const ks_cache_seg *seg, uint32_t i)
{
	return (ks_cache_shard *) ((char *) seg + KS_CACHE_SEG_HDR + (size_t) i * seg->shard_bytes);
}

static inline uint32_t ks_cache_shard_index(const ks_cache_seg *seg, const ks_cache_key *k)
{
	return (uint32_t) (k->h >> 40) & (seg->nshards - 1);
}

uint32_t ks_cache_store_shard_index(const ks_cache_seg *seg, const ks_cache_key *k)
{
	return ks_cache_shard_index(seg, k);
}

static inline ks_cache_shard *ks_cache_shard_of(const ks_cache_seg *seg, const ks_cache_key *k)
{
	return ks_cache_shard_at(seg, ks_cache_shard_index(seg, k));
}

static inline uint32_t *ks_cache_buckets(ks_cache_shard *sh) { return (uint32_t *) ((char *) sh + sh->buckets_off); }
static inline uint8_t *ks_cache_sketch(ks_cache_shard *sh) { return (uint8_t *) sh + sh->sketch_off; }
static inline char *ks_cache_abase(ks_cache_shard *sh) { return (char *) sh + sh->arena_off; }
static inline ks_cache_entry *ks_cache_ent(ks_cache_shard *sh, uint32_t off) { return (ks_cache_entry *) (ks_cache_abase(sh) + off); }
static inline char *ks_cache_ent_key(ks_cache_entry *e) { return (char *) (e + 1); }
static inline char *ks_cache_ent_val(ks_cache_entry *e) { return (char *) (e + 1) + e->klen; }

static inline int ks_cache_expired(const ks_cache_entry *e, uint32_t now)
{
	return e->expire && now > e->expire;
}

/* ---- the frequency sketch (ks_cache_sketch.h) --------------------------- */

static inline uint32_t ks_cache_freq_estimate(ks_cache_shard *sh, uint32_t h)
{
	return ks_cache_sketch_estimate(ks_cache_sketch(sh), sh->sketch_bits, h);
}

/* Counts a read; every 8 x width reads all counters are halved, so old
 * popularity fades. */
static void ks_cache_freq_add(ks_cache_shard *sh, uint32_t h)
{
	/* a local copy: the counter writes could alias sh, which would make
	 * the compiler load sketch_bits again */
	const uint32_t bits = sh->sketch_bits;
	uint8_t *s = ks_cache_sketch(sh);

	ks_cache_sketch_add(s, bits, h);
	if (++sh->sketch_reads >= (8u << bits)) {
		sh->sketch_reads = 0;
		ks_cache_sketch_halve(s, bits);  /* last: a tail call keeps this a leaf on the hot path */
	}
}

/* ---- shard setup, reset and locking ------------------------------------- */

static void ks_cache_shard_reset(ks_cache_shard *sh)
{
	uint32_t nb = sh->mask + 1;

	memset(ks_cache_buckets(sh), 0, (size_t) nb * 4);
	memset(ks_cache_sketch(sh), 0, ks_cache_sketch_bytes(sh->sketch_bits));
	sh->entries = sh->leases = 0;
	sh->next_expire = 0;
	sh->sketch_reads = 0;
	ks_cache_arena_init(&sh->arena, ks_cache_abase(sh), sh->arena.size);
}

static uint32_t ks_cache_pow2_floor(uint64_t n)
{
	uint32_t p = 1;

	while ((uint64_t) p * 2 <= n && p < (1u << 30)) {
		p *= 2;
	}
	return p;
}

static int ks_cache_shard_init(ks_cache_shard *sh, uint64_t bytes, uint32_t seed)
{
	uint32_t nb = ks_cache_pow2_floor(bytes / 256);
	uint32_t sw = nb / 2 < 64 ? 64 : nb / 2;
	uint64_t off = (sizeof(ks_cache_shard) + 63) & ~(uint64_t) 63;
	int rc;

	sh->buckets_off = (uint32_t) off;
	sh->mask = nb - 1;
	off += (uint64_t) nb * 4;
	sh->sketch_off = (uint32_t) off;
	sh->sketch_bits = (uint32_t) __builtin_ctz(sw);
	off += (uint64_t) sw * 4;
	off = (off + 63) & ~(uint64_t) 63;
	if (bytes < off + 4096 || bytes - off > 0xfff00000ull) {
		return EINVAL;
	}
	sh->arena_off = (uint32_t) off;
	sh->arena.size = (uint32_t) ((bytes - off) & ~(uint64_t) 15);
	sh->arena_size = sh->arena.size;
	sh->rng = seed | 1;
	rc = ks_cache_lock_init(&sh->lock);
	if (rc != 0) {
		return rc;
	}
	ks_cache_shard_reset(sh);
	return 0;
}

int ks_cache_store_init(void *mem, size_t size, uint32_t nshards, int64_t now)
{
	ks_cache_seg *seg = mem;
	uint64_t per;
	uint32_t i;
	int rc;

	if (nshards == 0 || (nshards & (nshards - 1)) || size < KS_CACHE_SEG_HDR) {
		return EINVAL;
	}
	per = ((size - KS_CACHE_SEG_HDR) / nshards) & ~(uint64_t) 63;
	if (per < KS_CACHE_SHARD_MIN) {
		return EINVAL;
	}
	seg->nshards = nshards;
	seg->size = size;
	seg->shard_bytes = per;
	seg->start_time = now;
	for (i = 0; i < nshards; i++) {
		rc = ks_cache_shard_init(ks_cache_shard_at(seg, i), per, 0x2545f491u * (i + 1));
		if (rc != 0) {
			return rc;
		}
	}
	seg->magic = KS_CACHE_SEG_MAGIC;
	return 0;
}

uint64_t ks_cache_store_max_key(const ks_cache_seg *seg)
{
	uint64_t max = ks_cache_arena_max_payload(&ks_cache_shard_at(seg, 0)->arena) - sizeof(ks_cache_entry) - KS_CACHE_VAL_MIN_SIZE;

	return max > KS_CACHE_KEY_MAX ? KS_CACHE_KEY_MAX : max;
}

uint64_t ks_cache_store_max_value(const ks_cache_seg *seg, uint32_t klen)
{
	uint64_t max = ks_cache_arena_max_payload(&ks_cache_shard_at(seg, 0)->arena);
	uint64_t fixed = sizeof(ks_cache_entry) + (uint64_t) klen;

	return max > fixed ? max - fixed : 0;
}

/* The previous owner died with the lock: whatever it was changing may be
 * half done, so this shard (and only this one) starts empty again. */
static void ks_cache_shard_repair(ks_cache_shard *sh)
{
	sh->st.evict_recovery += sh->entries;
	sh->st.recoveries++;
	ks_cache_shard_reset(sh);
}

/* Seqlock brackets around changes that lock-free readers could observe. */
static inline void ks_cache_seq_begin(ks_cache_shard *sh)
{
	__atomic_store_n(&sh->seq, sh->seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static inline void ks_cache_seq_end(ks_cache_shard *sh)
{
	__atomic_store_n(&sh->seq, sh->seq + 1, __ATOMIC_RELEASE);
}

#define KS_CACHE_LOCK_WRITE 1  /* will change what readers see: bracket with seq */
#define KS_CACHE_LOCK_TRY   2  /* do not wait: KS_CACHE_LOCK_TIMEOUT when busy */

static ks_cache_status ks_cache_shard_lock_generic(ks_cache_ctx *c, ks_cache_shard *sh, int flags)
{
	int waited = 0;
	ks_cache_lock_result r = (flags & KS_CACHE_LOCK_TRY) ? ks_cache_lock_try(&sh->lock)
		: ks_cache_lock_acquire(&sh->lock, c->lock_timeout_ms, &waited);

	switch (r) {
	case KS_CACHE_LK_ACQUIRED:
		break;
	case KS_CACHE_LK_RECOVERED:
		if (sh->seq & 1) {
			sh->seq++;  /* the dead holder was inside a change */
		}
		ks_cache_seq_begin(sh);
		ks_cache_shard_repair(sh);
		ks_cache_seq_end(sh);
		break;
	case KS_CACHE_LK_TIMEOUT:
		if (!(flags & KS_CACHE_LOCK_TRY)) {
			__atomic_fetch_add(&sh->st.lock_timeouts, 1, __ATOMIC_RELAXED);
		}
		return KS_CACHE_LOCK_TIMEOUT;
	default:
		return KS_CACHE_LOCK_BROKEN;
	}
	if (waited) {
		sh->st.lock_waits++;
	}
	if (flags & KS_CACHE_LOCK_WRITE) {
		ks_cache_seq_begin(sh);
	}
	return KS_CACHE_OK;
}

static inline ks_cache_status ks_cache_shard_lock(ks_cache_ctx *c, ks_cache_shard *sh)
{
	return ks_cache_shard_lock_generic(c, sh, KS_CACHE_LOCK_WRITE);
}

static inline void ks_cache_shard_unlock(ks_cache_shard *sh)
{
	ks_cache_seq_end(sh);
	ks_cache_lock_release(&sh->lock);
}

/* For holders that change nothing a lock-free reader looks at. */
static inline ks_cache_status ks_cache_shard_lock_ro(ks_cache_ctx *c, ks_cache_shard *sh)
{
	return ks_cache_shard_lock_generic(c, sh, 0);
}

static inline void ks_cache_shard_unlock_ro(ks_cache_shard *sh)
{
	ks_cache_lock_release(&sh->lock);
}

/* A holder that took the lock read-only (ks_cache_shard_lock_ro) and finds it
 * must change something readers look at brackets just that change. */
static inline void ks_cache_change_begin(ks_cache_shard *sh) { ks_cache_seq_begin(sh); }
static inline void ks_cache_change_end(ks_cache_shard *sh) { ks_cache_seq_end(sh); }

/* Debug builds: hold the lock for a while so a test can SIGKILL us here. */
static void ks_cache_debug_pause(ks_cache_ctx *c)
{
#ifdef KEEPSAKE_DEBUG
	if (c->debug_pause_ms) {
		struct timespec ts = { (time_t) (c->debug_pause_ms / 1000), (long) (c->debug_pause_ms % 1000) * 1000000L };
		__atomic_store_n(&c->seg->debug_holder, c->pid, __ATOMIC_RELEASE);
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
		}
		__atomic_store_n(&c->seg->debug_holder, 0, __ATOMIC_RELEASE);
	}
#else
	(void) c;
#endif
}

/* ---- table operations (lock held) --------------------------------------- */

/* Finds k; *link receives the address of the u32 that points at it. */
static uint32_t ks_cache_find_locked(ks_cache_shard *sh, const ks_cache_key *k, uint32_t **link)
{
	uint32_t h = (uint32_t) k->h;
	uint32_t *l = &ks_cache_buckets(sh)[h & sh->mask];
	uint32_t off;

	for (off = *l; off; l = &ks_cache_ent(sh, off)->next, off = *l) {
		ks_cache_entry *e = ks_cache_ent(sh, off);
		if (e->hash == h && e->klen == k->len && memcmp(ks_cache_ent_key(e), k->s, k->len) == 0) {
			if (link) {
				*link = l;
			}
			return off;
		}
	}
	return 0;
}

static void ks_cache_unlink_locked(ks_cache_shard *sh, uint32_t *link, uint32_t off)
{
	ks_cache_entry *e = ks_cache_ent(sh, off);

	*link = e->next;
	if (e->lease) {
		sh->leases--;
	} else {
		sh->entries--;
	}
	ks_cache_arena_free(&sh->arena, ks_cache_abase(sh), off);
}

/* Unlinks the entry at off, wherever it is in its chain. */
static void ks_cache_remove_locked(ks_cache_shard *sh, uint32_t off)
{
	ks_cache_entry *e = ks_cache_ent(sh, off);
	uint32_t *l = &ks_cache_buckets(sh)[e->hash & sh->mask];

	while (*l && *l != off) {
		l = &ks_cache_ent(sh, *l)->next;
	}
	if (*l == off) {
		ks_cache_unlink_locked(sh, l, off);
	}
}

/* Drops every expired entry and recomputes next_expire. O(entries). */
static void ks_cache_sweep_expired_locked(ks_cache_shard *sh, uint32_t now)
{
	uint32_t b, next = 0;

	for (b = 0; b <= sh->mask; b++) {
		uint32_t *l = &ks_cache_buckets(sh)[b];
		while (*l) {
			uint32_t off = *l;
			ks_cache_entry *e = ks_cache_ent(sh, off);
			if (!e->lease && ks_cache_expired(e, now)) {
				ks_cache_unlink_locked(sh, l, off);
				sh->st.evict_expired++;
				continue;
			}
			if (!e->lease && e->expire && (next == 0 || e->expire < next)) {
				next = e->expire;
			}
			l = &e->next;
		}
	}
	sh->next_expire = next;
}

static inline uint32_t ks_cache_rand(ks_cache_shard *sh)
{
	uint32_t x = sh->rng;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return sh->rng = x;
}

/*
 * Evicts one entry chosen by sampling (see the header); an expired entry met
 * while sampling goes first. Returns 0 when there was nothing to evict.
 */
static int ks_cache_evict_one_locked(ks_cache_shard *sh, uint32_t now)
{
	uint32_t b = ks_cache_rand(sh) & sh->mask;
	uint32_t best = 0, best_freq = 0, best_age = 0;
	int seen = 0, scanned;

	for (scanned = 0; scanned <= (int) sh->mask && seen < KS_CACHE_SAMPLE; scanned++, b = (b + 1) & sh->mask) {
		uint32_t off;
		for (off = ks_cache_buckets(sh)[b]; off && seen < KS_CACHE_SAMPLE; off = ks_cache_ent(sh, off)->next) {
			ks_cache_entry *e = ks_cache_ent(sh, off);
			uint32_t f;
			if (e->lease) {
				continue;
			}
			if (ks_cache_expired(e, now)) {
				ks_cache_remove_locked(sh, off);
				sh->st.evict_expired++;
				return 1;
			}
			f = ks_cache_freq_estimate(sh, e->hash);
			/* age in ticks: wrap-safe, larger is older */
			if (!best || f < best_freq || (f == best_freq && sh->clock - e->tick > best_age)) {
				best = off;
				best_freq = f;
				best_age = sh->clock - e->tick;
			}
			seen++;
		}
		if (seen && scanned >= 64) {
			break;
		}
	}
	if (!best) {
		return 0;
	}
	ks_cache_remove_locked(sh, best);
	sh->st.evict_capacity++;
	return 1;
}

/* Allocates n bytes, making room by expiry then eviction; 0 when impossible. */
static uint32_t ks_cache_alloc_locked(ks_cache_shard *sh, uint32_t n, uint32_t now)
{
	uint32_t off = ks_cache_arena_alloc(&sh->arena, ks_cache_abase(sh), n);

	if (off) {
		return off;
	}
	if (sh->next_expire && now > sh->next_expire) {
		ks_cache_sweep_expired_locked(sh, now);
		off = ks_cache_arena_alloc(&sh->arena, ks_cache_abase(sh), n);
	}
	while (!off && ks_cache_evict_one_locked(sh, now)) {
		off = ks_cache_arena_alloc(&sh->arena, ks_cache_abase(sh), n);
	}
	return off;
}

/*
 * Creates an entry for k (not yet present) and links it. KS_CACHE_TOOBIG when the
 * entry could not fit even in an empty arena: refused before anything is
 * evicted for it (the size is summed in 64 bits, so no key or value length
 * can wrap it). KS_CACHE_NOSPACE when eviction could not make room.
 */
static ks_cache_status ks_cache_insert_locked(ks_cache_ctx *c, ks_cache_shard *sh, const ks_cache_key *k, const char *val,
	uint32_t vlen, uint32_t ttl, int lease)
{
	const uint64_t need = (uint64_t) sizeof(ks_cache_entry) + k->len + vlen;
	uint32_t *bucket, off;
	ks_cache_entry *e;

	if (k->len > KS_CACHE_KEY_MAX || need > ks_cache_arena_max_payload(&sh->arena)) {
		return KS_CACHE_TOOBIG;
	}
	off = ks_cache_alloc_locked(sh, (uint32_t) need, ks_cache_now(c));
	if (!off) {
		sh->st.nospace++;
		return KS_CACHE_NOSPACE;
	}
	e = ks_cache_ent(sh, off);
	e->hash = (uint32_t) k->h;
	e->klen = k->len;
	e->lease = lease ? 1 : 0;
	e->vlen = vlen;
	e->ctime = ks_cache_now(c);
	e->atime = lease ? c->thread : ks_cache_now(c);
	e->expire = ttl ? ks_cache_now(c) + ttl : 0;
	e->hits = lease ? (uint32_t) c->pid : 0;
	e->tick = ++sh->clock;
	memcpy(ks_cache_ent_key(e), k->s, k->len);
	if (vlen) {
		memcpy(ks_cache_ent_val(e), val, vlen);
	}
	bucket = &ks_cache_buckets(sh)[e->hash & sh->mask];
	e->next = *bucket;
	*bucket = off;
	if (lease) {
		sh->leases++;
	} else {
		sh->entries++;
		sh->st.inserts++;
		if (e->expire && (sh->next_expire == 0 || e->expire < sh->next_expire)) {
			sh->next_expire = e->expire;
		}
	}
	return KS_CACHE_OK;
}

/* Whether an entry of klen + vlen bytes could fit in an empty arena (the
 * arena size is written once at init, so no lock is needed). */
static inline int ks_cache_fits(const ks_cache_shard *sh, const ks_cache_key *k, uint32_t vlen)
{
	return k->len <= KS_CACHE_KEY_MAX
		&& (uint64_t) sizeof(ks_cache_entry) + k->len + vlen <= ks_cache_arena_max_payload(&sh->arena);
}

/* Looks k up, dropping it if expired. Leases are returned as found. */
static uint32_t ks_cache_lookup_locked(ks_cache_ctx *c, ks_cache_shard *sh, const ks_cache_key *k)
{
	uint32_t *link;
	uint32_t off = ks_cache_find_locked(sh, k, &link);

	if (off && !ks_cache_ent(sh, off)->lease && ks_cache_expired(ks_cache_ent(sh, off), ks_cache_now(c))) {
		ks_cache_unlink_locked(sh, link, off);
		sh->st.evict_expired++;
		return 0;
	}
	return off;
}

/* ks_cache_lookup_locked for a holder of the read-only lock: only the removal of
 * an expired entry is a change readers could see, so only it is bracketed. */
static uint32_t ks_cache_lookup_ro_locked(ks_cache_ctx *c, ks_cache_shard *sh, const ks_cache_key *k)
{
	uint32_t *link;
	uint32_t off = ks_cache_find_locked(sh, k, &link);

	if (off && !ks_cache_ent(sh, off)->lease && ks_cache_expired(ks_cache_ent(sh, off), ks_cache_now(c))) {
		ks_cache_change_begin(sh);
		ks_cache_unlink_locked(sh, link, off);
		ks_cache_change_end(sh);
		sh->st.evict_expired++;
		return 0;
	}
	return off;
}

static void ks_cache_count_read_locked(ks_cache_ctx *c, ks_cache_shard *sh, const ks_cache_key *k, ks_cache_entry *e)
{
	ks_cache_freq_add(sh, (uint32_t) k->h);
	if (e) {
		__atomic_fetch_add(&sh->st.hits, 1, __ATOMIC_RELAXED);
		e->hits++;
		e->tick = ++sh->clock;
		if (e->atime != ks_cache_now(c)) {
			e->atime = ks_cache_now(c);
		}
	} else {
		__atomic_fetch_add(&sh->st.misses, 1, __ATOMIC_RELAXED);
	}
}

static ks_cache_status ks_cache_copy_value_locked(ks_cache_entry *e, ks_cache_buf *out)
{
	if (ks_cache_buf_reserve(out, e->vlen) != 0) {
		return KS_CACHE_NOMEM;
	}
	memcpy(out->data, ks_cache_ent_val(e), e->vlen);
	out->len = e->vlen;
	return KS_CACHE_OK;
}

/* ---- public operations --------------------------------------------------- */

/*
 * One lock-free attempt (see the header). Returns KS_CACHE_OK (value copied when
 * out != NULL, *found = its offset), KS_CACHE_NOTFOUND, KS_CACHE_NOMEM, or KS_CACHE_LEASED
 * used here as "retry": a writer was active or the chain looked torn.
 * Header fields are read through a volatile pointer so that each is loaded
 * once and its bounds check applies to the value actually used.
 */
static ks_cache_status ks_cache_peek_once(ks_cache_ctx *c, ks_cache_shard *sh, const ks_cache_key *k, ks_cache_buf *out, uint32_t *found)
{
	const uint32_t s1 = __atomic_load_n(&sh->seq, __ATOMIC_ACQUIRE);
	const char *base = ks_cache_abase(sh);
	const uint64_t asz = sh->arena_size;
	const uint32_t h = (uint32_t) k->h;
	uint32_t off, steps = 0;
	ks_cache_status st = KS_CACHE_NOTFOUND;

	if (s1 & 1) {
		return KS_CACHE_LEASED;
	}
	off = __atomic_load_n(&ks_cache_buckets(sh)[h & sh->mask], __ATOMIC_RELAXED);
	while (off) {
		const volatile ks_cache_entry *e = (const volatile ks_cache_entry *) (base + off);
		uint64_t room;
		uint32_t klen, next;
		/* A torn offset must still name a payload (KS_CACHE_ARENA_HDR past a
		 * 16-aligned block) inside the arena; the lengths are then
		 * bounded by that block's size, never by the whole arena, so a
		 * torn length cannot make us copy more than one block. */
		if (off < 16 + KS_CACHE_ARENA_HDR || (off & 15) != KS_CACHE_ARENA_HDR
			|| off + (uint64_t) sizeof(ks_cache_entry) > asz || ++steps > 100000) {
			return KS_CACHE_LEASED;
		}
		room = *(const volatile uint32_t *) (base + off - KS_CACHE_ARENA_HDR) & KS_CACHE_ARENA_SIZE_MASK;
		if (room < KS_CACHE_ARENA_HDR + sizeof(ks_cache_entry) || off - KS_CACHE_ARENA_HDR + room > asz) {
			return KS_CACHE_LEASED;
		}
		room -= KS_CACHE_ARENA_HDR + sizeof(ks_cache_entry);  /* bytes for key and value */
		klen = e->klen;
		next = e->next;
		if (e->hash == h && klen == k->len) {
			const char *kp = base + off + sizeof(ks_cache_entry);
			if (klen > room) {
				return KS_CACHE_LEASED;
			}
			if (memcmp(kp, k->s, klen) == 0) {
				uint32_t vlen = e->vlen, expire = e->expire, lease = e->lease;
				if (lease || (expire && ks_cache_now(c) > expire)) {
					break;
				}
				if ((uint64_t) klen + vlen > room) {
					return KS_CACHE_LEASED;
				}
				if (out) {
					if (ks_cache_buf_reserve(out, vlen) != 0) {
						return KS_CACHE_NOMEM;
					}
					memcpy(out->data, kp + klen, vlen);
					out->len = vlen;
				}
				*found = off;
				st = KS_CACHE_OK;
				break;
			}
		}
		off = next;
	}
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&sh->seq, __ATOMIC_RELAXED) == s1 ? st : KS_CACHE_LEASED;
}

static void ks_cache_reads_push(ks_cache_ctx *c, ks_cache_reads *pend, uint32_t shard, uint32_t off, uint32_t h, int hit)
{
	pend->r[pend->n].shard = shard;
	pend->r[pend->n].off = off;
	pend->r[pend->n].hash = h;
	pend->r[pend->n].hit = hit ? 1 : 0;
	if (++pend->n == KS_CACHE_READS_MAX) {
		ks_cache_store_flush_reads(c, pend, 0);
	}
}

static inline int ks_cache_seq_odd(const ks_cache_shard *sh)
{
	return __atomic_load_n(&sh->seq, __ATOMIC_RELAXED) & 1;
}

/* Monotonic nanoseconds, or 0 if the clock cannot be read (the spin below
 * then stops at once). */
static uint64_t ks_cache_mono_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
		return 0;
	}
	return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

/*
 * Waits for a writer inside its change (seq odd) to leave it. A change
 * takes a few hundred ns, so spin up to KS_CACHE_SEQ_SPIN_NS by the clock (not by
 * a pause count: a pause costs 10 to 150 cycles depending on the CPU; the
 * round cap only guards against a clock that stands still), then give the
 * CPU away once: with more processes than cores the writer may be
 * preempted, and spinning only delays it. Returns 1 when seq is even, 0
 * when the writer is still inside (the caller then sleeps on the lock
 * instead of spinning again).
 */
#define KS_CACHE_SEQ_SPIN_NS     1500
#define KS_CACHE_SEQ_SPIN_ROUNDS 256   /* x 16 pauses */
static int ks_cache_seq_wait_even(const ks_cache_shard *sh)
{
	uint64_t start, now;
	int round, i;

	if (!ks_cache_seq_odd(sh)) {
		return 1;
	}
	start = ks_cache_mono_ns();
	for (round = 0; round < KS_CACHE_SEQ_SPIN_ROUNDS; round++) {
		for (i = 0; i < 16; i++) {
			ks_cache_cpu_relax();
			if (!ks_cache_seq_odd(sh)) {
				return 1;
			}
		}
		now = ks_cache_mono_ns();
		if (start == 0 || now == 0 || now - start >= KS_CACHE_SEQ_SPIN_NS) {
			break;
		}
	}
	(void) sched_yield();  /* cannot fail on Linux; it only gives up the CPU */
	return !ks_cache_seq_odd(sh);
}

ks_cache_status ks_cache_store_get(ks_cache_ctx *c, const ks_cache_key *k, ks_cache_buf *out, ks_cache_reads *pend)
{
	uint32_t idx = ks_cache_shard_index(c->seg, k);
	ks_cache_shard *sh = ks_cache_shard_at(c->seg, idx);
	uint32_t off = 0;
	ks_cache_entry *e = NULL;
	ks_cache_status st;
	int attempt;

	for (attempt = 0; attempt < 4 && ks_cache_seq_wait_even(sh); attempt++) {
		st = ks_cache_peek_once(c, sh, k, out, &off);
		if (st == KS_CACHE_OK || st == KS_CACHE_NOTFOUND) {
			if (pend) {
				ks_cache_reads_push(c, pend, idx, off, (uint32_t) k->h, st == KS_CACHE_OK);
			}
			return st;
		}
		if (st != KS_CACHE_LEASED) {
			return st;
		}
	}
	/* a writer stays inside its change (preempted, or it died), or readers
	 * keep colliding with writers: sleep on the lock instead of spinning.
	 * A read changes nothing the other lock-free readers look at, so it
	 * does not send them to the lock too (no seqlock bump). */
	st = ks_cache_shard_lock_ro(c, sh);
	if (st != KS_CACHE_OK) {
		return st;
	}
	sh->st.read_fallbacks++;
	off = ks_cache_lookup_ro_locked(c, sh, k);
	if (off && !ks_cache_ent(sh, off)->lease) {
		e = ks_cache_ent(sh, off);
	}
	if (pend) {
		ks_cache_count_read_locked(c, sh, k, e);
	}
	st = !e ? KS_CACHE_NOTFOUND : out ? ks_cache_copy_value_locked(e, out) : KS_CACHE_OK;
	ks_cache_shard_unlock_ro(sh);
	return st;
}

/* Finds the live value entry at off in h's chain (it may have been freed
 * and reused since the read: only a chain member is trusted). */
static ks_cache_entry *ks_cache_entry_at_locked(ks_cache_shard *sh, uint32_t off, uint32_t h)
{
	uint32_t o;

	for (o = ks_cache_buckets(sh)[h & sh->mask]; o; o = ks_cache_ent(sh, o)->next) {
		if (o == off) {
			ks_cache_entry *e = ks_cache_ent(sh, o);
			return e->hash == h && !e->lease ? e : NULL;
		}
	}
	return NULL;
}

/* Applies one shard's queued reads; the lock is held when locked != 0. */
static void ks_cache_apply_reads(ks_cache_ctx *c, ks_cache_shard *sh, const ks_cache_reads *pend, const uint8_t *order,
	uint32_t from, uint32_t to, int locked)
{
	uint64_t hits = 0, misses = 0;
	uint32_t i;

	for (i = from; i < to; i++) {
		const uint32_t j = order[i];
		if (pend->r[j].hit) {
			hits++;
		} else {
			misses++;
		}
		if (locked) {
			ks_cache_entry *e = pend->r[j].hit ? ks_cache_entry_at_locked(sh, pend->r[j].off, pend->r[j].hash) : NULL;
			ks_cache_freq_add(sh, pend->r[j].hash);
			if (e) {
				e->hits++;
				e->tick = ++sh->clock;
				if (e->atime != ks_cache_now(c)) {
					e->atime = ks_cache_now(c);
				}
			}
		}
	}
	if (hits) {
		__atomic_fetch_add(&sh->st.hits, hits, __ATOMIC_RELAXED);
	}
	if (misses) {
		__atomic_fetch_add(&sh->st.misses, misses, __ATOMIC_RELAXED);
	}
}

void ks_cache_store_flush_reads(ks_cache_ctx *c, ks_cache_reads *pend, int wait)
{
	uint8_t order[KS_CACHE_READS_MAX];
	uint16_t start[257];  /* counting sort by shard: nshards <= 256 */
	uint32_t i, n = pend->n, ns = c->seg->nshards;

	pend->n = 0;
	if (n == 0) {
		return;
	}
	memset(start, 0, (ns + 1) * sizeof(start[0]));
	for (i = 0; i < n; i++) {
		start[pend->r[i].shard + 1]++;
	}
	for (i = 1; i <= ns; i++) {
		start[i] += start[i - 1];
	}
	for (i = 0; i < n; i++) {
		order[start[pend->r[i].shard]++] = (uint8_t) i;
	}
	/* now start[s] is where shard s's records end */
	for (i = 0; i < ns; i++) {
		uint32_t from = i ? start[i - 1] : 0;
		ks_cache_shard *sh;
		int locked;
		if (from == start[i]) {
			continue;
		}
		sh = ks_cache_shard_at(c->seg, i);
		locked = ks_cache_shard_lock_generic(c, sh, wait ? 0 : KS_CACHE_LOCK_TRY) == KS_CACHE_OK;
		ks_cache_apply_reads(c, sh, pend, order, from, start[i], locked);
		if (locked) {
			ks_cache_shard_unlock_ro(sh);
		}
	}
}

ks_cache_status ks_cache_store_put(ks_cache_ctx *c, const ks_cache_key *k, const char *val, uint32_t vlen,
	uint32_t ttl, int exclusive)
{
	ks_cache_shard *sh = ks_cache_shard_of(c->seg, k);
	ks_cache_status st;
	uint32_t *link, off;

	if (!ks_cache_fits(sh, k, vlen)) {
		return KS_CACHE_TOOBIG;  /* before the lock: the old value stays */
	}
	st = ks_cache_shard_lock(c, sh);
	if (st != KS_CACHE_OK) {
		return st;
	}
	ks_cache_debug_pause(c);
	off = ks_cache_lookup_locked(c, sh, k);
	if (off) {
		if (exclusive && !ks_cache_ent(sh, off)->lease) {
			ks_cache_shard_unlock(sh);
			return KS_CACHE_EXISTS;
		}
		ks_cache_find_locked(sh, k, &link);
		ks_cache_unlink_locked(sh, link, off);
	}
	st = ks_cache_insert_locked(c, sh, k, val, vlen, ttl, 0);
	ks_cache_shard_unlock(sh);
	return st;
}

ks_cache_status ks_cache_store_delete(ks_cache_ctx *c, const ks_cache_key *k)
{
	ks_cache_shard *sh = ks_cache_shard_of(c->seg, k);
	ks_cache_status st = ks_cache_shard_lock(c, sh);
	uint32_t *link, off;

	if (st != KS_CACHE_OK) {
		return st;
	}
	off = ks_cache_find_locked(sh, k, &link);
	/* APCu's delete ignores the TTL: an expired entry still counts. */
	if (off && !ks_cache_ent(sh, off)->lease) {
		ks_cache_unlink_locked(sh, link, off);
		sh->st.deletes++;
	} else {
		st = KS_CACHE_NOTFOUND;
	}
	ks_cache_shard_unlock(sh);
	return st;
}

static int ks_cache_read_long(ks_cache_entry *e, int64_t *v)
{
	const char *p = ks_cache_ent_val(e);

	if (e->vlen != KS_CACHE_VAL_LONG_SIZE || p[0] != KS_CACHE_VAL_LONG) {
		return 0;
	}
	memcpy(v, p + 1, 8);
	return 1;
}

static void ks_cache_write_long(ks_cache_entry *e, int64_t v)
{
	memcpy(ks_cache_ent_val(e) + 1, &v, 8);
}

ks_cache_status ks_cache_store_incr(ks_cache_ctx *c, const ks_cache_key *k, int64_t step, uint32_t ttl, int64_t *result)
{
	ks_cache_shard *sh = ks_cache_shard_of(c->seg, k);
	ks_cache_status st;
	uint32_t *link, off;
	int64_t v = 0;

	*result = 0;
	if (!ks_cache_fits(sh, k, KS_CACHE_VAL_LONG_SIZE)) {
		return KS_CACHE_TOOBIG;
	}
	st = ks_cache_shard_lock(c, sh);
	if (st != KS_CACHE_OK) {
		return st;
	}
	off = ks_cache_lookup_locked(c, sh, k);
	if (off && !ks_cache_ent(sh, off)->lease) {
		ks_cache_entry *e = ks_cache_ent(sh, off);
		if (!ks_cache_read_long(e, &v)) {
			st = KS_CACHE_NOTLONG;
		} else {
			/* wraps like APCu's __sync_add_and_fetch; ctime/expire untouched */
			v = (int64_t) ((uint64_t) v + (uint64_t) step);
			ks_cache_write_long(e, v);
		}
	} else {
		char buf[KS_CACHE_VAL_LONG_SIZE];
		if (off) {
			/* a lease: the value being computed is superseded */
			ks_cache_find_locked(sh, k, &link);
			ks_cache_unlink_locked(sh, link, off);
		}
		v = step;
		buf[0] = KS_CACHE_VAL_LONG;
		memcpy(buf + 1, &v, 8);
		st = ks_cache_insert_locked(c, sh, k, buf, KS_CACHE_VAL_LONG_SIZE, ttl, 0);
	}
	ks_cache_shard_unlock(sh);
	*result = v;
	return st;
}

ks_cache_status ks_cache_store_cas(ks_cache_ctx *c, const ks_cache_key *k, int64_t old, int64_t new_value)
{
	ks_cache_shard *sh = ks_cache_shard_of(c->seg, k);
	ks_cache_status st = ks_cache_shard_lock(c, sh);
	uint32_t off;
	int64_t v;

	if (st != KS_CACHE_OK) {
		return st;
	}
	off = ks_cache_lookup_locked(c, sh, k);
	if (!off || ks_cache_ent(sh, off)->lease) {
		st = KS_CACHE_NOTFOUND;
	} else if (!ks_cache_read_long(ks_cache_ent(sh, off), &v)) {
		st = KS_CACHE_NOTLONG;
	} else if (v != old) {
		st = KS_CACHE_MISMATCH;
	} else {
		ks_cache_write_long(ks_cache_ent(sh, off), new_value);
	}
	ks_cache_shard_unlock(sh);
	return st;
}

static int ks_cache_pid_alive(uint32_t pid)
{
	return pid != 0 && !(kill((pid_t) pid, 0) != 0 && errno == ESRCH);
}

uint32_t ks_cache_store_thread_tag(void)
{
	static uint32_t next;
	static _Thread_local uint32_t mine;

	while (!mine) {  /* 0 only after 2^32 threads wrapped the counter */
		mine = __atomic_add_fetch(&next, 1, __ATOMIC_RELAXED);
	}
	return mine;
}

static int ks_cache_lease_is_mine(const ks_cache_ctx *c, const ks_cache_entry *e)
{
	return (int) e->hits == c->pid && e->atime == c->thread;
}

/*
 * Waiters poll here while another process computes, so the common outcomes
 * (a value to copy, a lease still held) take the lock read-only and change
 * nothing lock-free readers look at; only a takeover or a new lease is
 * bracketed with the seqlock.
 */
ks_cache_status ks_cache_store_lease(ks_cache_ctx *c, const ks_cache_key *k, uint32_t lease_secs, ks_cache_buf *out)
{
	ks_cache_shard *sh = ks_cache_shard_of(c->seg, k);
	ks_cache_status st;
	uint32_t off;
	ks_cache_entry *e;

	if (!ks_cache_fits(sh, k, KS_CACHE_VAL_MIN_SIZE)) {
		return KS_CACHE_TOOBIG;  /* no value could follow the lease: evict nothing for it */
	}
	st = ks_cache_shard_lock_ro(c, sh);
	if (st != KS_CACHE_OK) {
		return st;
	}
	off = ks_cache_lookup_ro_locked(c, sh, k);
	e = off ? ks_cache_ent(sh, off) : NULL;
	if (e && !e->lease) {
		ks_cache_count_read_locked(c, sh, k, e);
		st = ks_cache_copy_value_locked(e, out);
	} else if (e) {
		if (!ks_cache_lease_is_mine(c, e) && ks_cache_pid_alive(e->hits) && ks_cache_now(c) <= e->expire) {
			st = KS_CACHE_LEASED;
		} else {
			/* ours already, or the owner died or overran its deadline: take it over */
			ks_cache_change_begin(sh);
			e->hits = (uint32_t) c->pid;
			e->atime = c->thread;
			e->ctime = ks_cache_now(c);
			e->expire = ks_cache_now(c) + lease_secs;
			ks_cache_change_end(sh);
			st = KS_CACHE_LEASE_MINE;
		}
	} else {
		ks_cache_count_read_locked(c, sh, k, NULL);
		ks_cache_change_begin(sh);
		st = ks_cache_insert_locked(c, sh, k, NULL, 0, lease_secs, 1);
		ks_cache_change_end(sh);
		if (st == KS_CACHE_OK) {
			st = KS_CACHE_LEASE_MINE;
		}
	}
	ks_cache_shard_unlock_ro(sh);
	return st;
}

ks_cache_status ks_cache_store_unlease(ks_cache_ctx *c, const ks_cache_key *k)
{
	ks_cache_shard *sh = ks_cache_shard_of(c->seg, k);
	ks_cache_status st = ks_cache_shard_lock(c, sh);
	uint32_t *link, off;

	if (st != KS_CACHE_OK) {
		return st;
	}
	off = ks_cache_find_locked(sh, k, &link);
	if (off && ks_cache_ent(sh, off)->lease && ks_cache_lease_is_mine(c, ks_cache_ent(sh, off))) {
		ks_cache_unlink_locked(sh, link, off);
	} else {
		st = KS_CACHE_NOTFOUND;
	}
	ks_cache_shard_unlock(sh);
	return st;
}

ks_cache_status ks_cache_store_clear(ks_cache_ctx *c)
{
	uint32_t i;
	ks_cache_status ret = KS_CACHE_OK;

	for (i = 0; i < c->seg->nshards; i++) {
		ks_cache_shard *sh = ks_cache_shard_at(c->seg, i);
		ks_cache_status st = ks_cache_shard_lock(c, sh);
		if (st != KS_CACHE_OK) {
			ret = st;
			continue;
		}
		ks_cache_shard_reset(sh);
		ks_cache_shard_unlock(sh);
	}
	return ret;
}

static void ks_cache_meta_fill(ks_cache_meta *m, ks_cache_entry *e)
{
	const uint32_t *hdr = (const uint32_t *) ((const char *) e - 8);

	m->klen = e->klen;
	m->vlen = e->vlen;
	m->ctime = e->ctime;
	m->expire = e->expire;
	m->atime = e->atime;
	m->hits = e->hits;
	m->mem_size = *hdr & ~15u;
	m->has_value = 0;
	m->shard = 0;
	m->pad = 0;
}

ks_cache_status ks_cache_store_meta(ks_cache_ctx *c, const ks_cache_key *k, ks_cache_meta *m)
{
	ks_cache_shard *sh = ks_cache_shard_of(c->seg, k);
	ks_cache_status st = ks_cache_shard_lock_ro(c, sh);
	uint32_t off;

	if (st != KS_CACHE_OK) {
		return st;
	}
	off = ks_cache_find_locked(sh, k, NULL);
	if (off && !ks_cache_ent(sh, off)->lease) {
		ks_cache_meta_fill(m, ks_cache_ent(sh, off));
		m->shard = ks_cache_store_shard_index(c->seg, k);
	} else {
		st = KS_CACHE_NOTFOUND;
	}
	ks_cache_shard_unlock_ro(sh);
	return st;
}

/* Appends one (bucket, count) pair to slots. */
static int ks_cache_slot_push(ks_cache_buf *slots, uint32_t b, uint32_t n)
{
	uint32_t pair[2] = { b, n };

	if (ks_cache_buf_reserve(slots, slots->len + sizeof(pair)) != 0) {
		return -1;
	}
	memcpy(slots->data + slots->len, pair, sizeof(pair));
	slots->len += sizeof(pair);
	return 0;
}

ks_cache_status ks_cache_store_snapshot(ks_cache_ctx *c, uint32_t i, ks_cache_buf *out, int with_values, ks_cache_buf *slots)
{
	ks_cache_shard *sh;
	ks_cache_status st;
	uint32_t b;

	if (i >= c->seg->nshards) {
		return KS_CACHE_NOTFOUND;
	}
	sh = ks_cache_shard_at(c->seg, i);
	st = ks_cache_shard_lock_ro(c, sh);
	if (st != KS_CACHE_OK) {
		return st;
	}
	for (b = 0; b <= sh->mask && st == KS_CACHE_OK; b++) {
		uint32_t off, listed = 0;
		for (off = ks_cache_buckets(sh)[b]; off; off = ks_cache_ent(sh, off)->next) {
			ks_cache_entry *e = ks_cache_ent(sh, off);
			ks_cache_meta m;
			size_t rs;
			if (e->lease || ks_cache_expired(e, ks_cache_now(c))) {
				continue;
			}
			ks_cache_meta_fill(&m, e);
			m.has_value = with_values ? 1 : 0;
			rs = ks_cache_meta_record_size(&m);
			if (ks_cache_buf_reserve(out, out->len + rs) != 0) {
				st = KS_CACHE_NOMEM;
				break;
			}
			memcpy(out->data + out->len, &m, sizeof(m));
			memcpy(out->data + out->len + sizeof(m), ks_cache_ent_key(e), e->klen);
			if (with_values) {
				memcpy(out->data + out->len + sizeof(m) + e->klen, ks_cache_ent_val(e), e->vlen);
			}
			out->len += rs;
			listed++;
		}
		/* counted in the same walk: the lock is held no longer than before */
		if (slots && listed && st == KS_CACHE_OK && ks_cache_slot_push(slots, b, listed) != 0) {
			st = KS_CACHE_NOMEM;
		}
	}
	ks_cache_shard_unlock_ro(sh);
	return st;
}

void ks_cache_store_stats(const ks_cache_seg *seg, ks_cache_stats *s)
{
	uint32_t i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < seg->nshards; i++) {
		const ks_cache_shard *sh = ks_cache_shard_at(seg, i);
		const ks_cache_shard_stats *t = &sh->st;
		s->st.hits += t->hits;
		s->st.misses += t->misses;
		s->st.inserts += t->inserts;
		s->st.deletes += t->deletes;
		s->st.evict_expired += t->evict_expired;
		s->st.evict_capacity += t->evict_capacity;
		s->st.evict_recovery += t->evict_recovery;
		s->st.lock_waits += t->lock_waits;
		s->st.lock_timeouts += __atomic_load_n(&t->lock_timeouts, __ATOMIC_RELAXED);
		s->st.recoveries += t->recoveries;
		s->st.nospace += t->nospace;
		s->st.read_fallbacks += t->read_fallbacks;
		s->entries += sh->entries;
		s->leases += sh->leases;
		s->buckets += sh->mask + 1;
		s->mem_used += sh->arena.used;
		s->mem_free += ks_cache_arena_free_bytes(&sh->arena);
		s->mem_total += sh->arena.size;
	}
}

ks_cache_status ks_cache_store_histogram(ks_cache_ctx *c, uint64_t hist[KS_CACHE_ARENA_HIST])
{
	uint32_t i;

	for (i = 0; i < c->seg->nshards; i++) {
		ks_cache_shard *sh = ks_cache_shard_at(c->seg, i);
		ks_cache_status st = ks_cache_shard_lock_ro(c, sh);
		if (st != KS_CACHE_OK) {
			return st;
		}
		ks_cache_arena_histogram(&sh->arena, ks_cache_abase(sh), hist);
		ks_cache_shard_unlock_ro(sh);
	}
	return KS_CACHE_OK;
}

ks_cache_status ks_cache_store_free_blocks(ks_cache_ctx *c, uint32_t i, ks_cache_buf *out)
{
	ks_cache_shard *sh = ks_cache_shard_at(c->seg, i);
	ks_cache_status st = ks_cache_shard_lock_ro(c, sh);

	if (st != KS_CACHE_OK) {
		return st;
	}
	out->len = 0;
	if (ks_cache_buf_reserve(out, (size_t) sh->arena.nfree * 8 + 8) != 0) {
		st = KS_CACHE_NOMEM;
	} else {
		out->len = (size_t) ks_cache_arena_free_blocks(&sh->arena, ks_cache_abase(sh),
			(uint32_t *) out->data, sh->arena.nfree) * 8;
	}
	ks_cache_shard_unlock_ro(sh);
	return st;
}

uint32_t ks_cache_store_shard_arena(const ks_cache_seg *seg)
{
	return ks_cache_shard_at(seg, 0)->arena.size;
}
