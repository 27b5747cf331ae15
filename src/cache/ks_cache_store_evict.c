/*
 * ks_cache_store_evict.c: making room and leases (see ks_cache_store_evict.h):
 * an insert that finds the arena full drops expired entries, then evicts by
 * sampling; entry() leases are entries without a value.
 */
#include "cache/ks_cache_store_evict.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>

/* ---- eviction (lock held) -------------------------------------------------- */

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

/* Whether the entry at off has bytes at or above `from` (0: any entry). */
static inline int ks_cache_reaches(ks_cache_shard *sh, uint32_t off, uint32_t from)
{
	return off - KS_CACHE_ARENA_HDR + ks_cache_block_bytes(sh, off) > from;
}

/*
 * Evicts one entry chosen by sampling (see the header); an expired entry met
 * while sampling goes first. Only entries whose block reaches `from` or past
 * it are candidates (0: every entry), so that making room for an immutable
 * block evicts only what lies in the zero-copy region; and then, while
 * pinned readers hold retired blocks, no immutable entry is a candidate:
 * retiring it would free nothing now and only lose the value (the store
 * takes the copying form instead). Returns 0 when there was nothing to
 * evict.
 */
static int ks_cache_evict_one_locked(ks_cache_shard *sh, uint32_t now, uint32_t from)
{
	uint32_t b = ks_cache_rand(sh) & sh->mask;
	uint32_t best = 0, best_freq = 0, best_age = 0;
	int seen = 0, scanned, best_imm = 0;
	/* retired blocks that could not be freed: a pinned reader holds them,
	 * so evicting another immutable entry would gain no room now; such
	 * entries go last */
	const int imm_last = ks_cache_shard_ring(sh)->count > 0;

	for (scanned = 0; scanned <= (int) sh->mask && seen < KS_CACHE_SAMPLE; scanned++, b = (b + 1) & sh->mask) {
		uint32_t off;
		for (off = ks_cache_buckets(sh)[b]; off && seen < KS_CACHE_SAMPLE; off = ks_cache_ent(sh, off)->next) {
			ks_cache_entry *e = ks_cache_ent(sh, off);
			const int imm = imm_last && ks_cache_ent_is_imm(e);
			uint32_t f;
			if (e->lease || (from && (!ks_cache_reaches(sh, off, from) || imm))) {
				continue;
			}
			if (ks_cache_expired(e, now)) {
				ks_cache_remove_locked(sh, off);
				sh->st.evict_expired++;
				return 1;
			}
			f = ks_cache_freq_estimate(sh, e->hash);
			/* age in ticks: wrap-safe, larger is older */
			if (!best || imm < best_imm || (imm == best_imm
					&& (f < best_freq || (f == best_freq && sh->clock - e->tick > best_age)))) {
				best = off;
				best_freq = f;
				best_age = sh->clock - e->tick;
				best_imm = imm;
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

/* One allocation attempt (flags: KS_CACHE_INS_*): an immutable block only
 * in the zero-copy region (ks_cache_shard.h); a lease in the region when it
 * has room, since nothing can evict a lease and one below the region would
 * split the free run copies count on there; anything else low part first. */
static inline uint32_t ks_cache_try_alloc(ks_cache_shard *sh, uint32_t n, int flags)
{
	uint32_t off;

	if (flags & (KS_CACHE_INS_IMM | KS_CACHE_INS_LEASE)) {
		off = ks_cache_arena_alloc_high(&sh->arena, ks_cache_abase(sh), n);
		if (off || (flags & KS_CACHE_INS_IMM)) {
			return off;
		}
	}
	return ks_cache_arena_alloc(&sh->arena, ks_cache_abase(sh), n);
}

/*
 * Allocates n bytes, making room by expiry then eviction; 0 when impossible.
 * For an immutable block (KS_CACHE_INS_IMM) only entries that lie in the
 * zero-copy region are evicted: others would free nothing it can use.
 */
static uint32_t ks_cache_alloc_locked(ks_cache_ctx *c, ks_cache_shard *sh, uint32_t n, uint32_t now, int flags)
{
	const int imm = (flags & KS_CACHE_INS_IMM) != 0;
	const uint32_t from = imm ? sh->arena.high : 0;
	uint32_t off;

	if (imm && !from) {
		return 0;  /* no region (an arena too small to split): evict nothing for it */
	}
	if (sh->quarantine) {
		ks_cache_reclaim_locked(c, sh);
		if (sh->quarantine) {
			return 0;  /* the arena is not ours to use yet (crash repair) */
		}
	}
	off = ks_cache_try_alloc(sh, n, flags);
	if (off) {
		return off;
	}
	ks_cache_reclaim_locked(c, sh);
	off = ks_cache_try_alloc(sh, n, flags);
	if (!off && sh->next_expire && now > sh->next_expire) {
		ks_cache_sweep_expired_locked(sh, now);
		ks_cache_reclaim_locked(c, sh);
		off = ks_cache_try_alloc(sh, n, flags);
	}
	/* an evicted immutable block is only retired: freed at once when no
	 * pinned reader can hold it, else it stays until one can (bounded by
	 * the ring) and eviction goes on with the next victim */
	while (!off && ks_cache_evict_one_locked(sh, now, from)) {
		ks_cache_reclaim_locked(c, sh);
		off = ks_cache_try_alloc(sh, n, flags);
	}
	return off;
}

/*
 * Creates an entry for k (not yet present) and links it. KS_CACHE_TOOBIG when the
 * entry could not fit even in an empty arena: refused before anything is
 * evicted for it (the size is summed in 64 bits, so no key or value length
 * can wrap it). KS_CACHE_NOSPACE when eviction could not make room (counted
 * as a store failure unless the entry was to be immutable: its caller then
 * stores the copying form).
 */
ks_cache_status ks_cache_insert_locked(ks_cache_ctx *c, ks_cache_shard *sh, const ks_cache_key *k, const char *val,
	uint32_t vlen, uint32_t ttl, int flags)
{
	const uint64_t need = (uint64_t) sizeof(ks_cache_entry) + k->len + vlen;
	const int lease = (flags & KS_CACHE_INS_LEASE) != 0;
	uint32_t *bucket, off;
	ks_cache_entry *e;

	if (k->len > KS_CACHE_KEY_MAX || need > ks_cache_arena_max_payload(&sh->arena)) {
		return KS_CACHE_TOOBIG;
	}
	off = ks_cache_alloc_locked(c, sh, (uint32_t) need, ks_cache_now(c), flags);
	if (!off) {
		if (!(flags & KS_CACHE_INS_IMM)) {
			sh->st.nospace++;
		}
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
	if (vlen && val) {
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

/* ---- leases ------------------------------------------------------------------ */

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
			ks_cache_shard_change_begin(sh);
			e->hits = (uint32_t) c->pid;
			e->atime = c->thread;
			e->ctime = ks_cache_now(c);
			e->expire = ks_cache_now(c) + lease_secs;
			ks_cache_shard_change_end(sh);
			st = KS_CACHE_LEASE_MINE;
		}
	} else {
		ks_cache_count_read_locked(c, sh, k, NULL);
		ks_cache_shard_change_begin(sh);
		st = ks_cache_insert_locked(c, sh, k, NULL, 0, lease_secs, KS_CACHE_INS_LEASE);
		ks_cache_shard_change_end(sh);
		if (st == KS_CACHE_OK) {
			st = KS_CACHE_LEASE_MINE;
		}
	}
	ks_cache_shard_unlock_ro(sh);
	return st;
}

/* unlease's rule: only a lease, and only ours. */
static int ks_cache_unlease_pred(const ks_cache_ctx *c, ks_cache_shard *sh, const ks_cache_entry *e)
{
	(void)sh;
	return e->lease && ks_cache_lease_is_mine(c, e);
}

ks_cache_status ks_cache_store_unlease(ks_cache_ctx *c, const ks_cache_key *k)
{
	return ks_cache_remove_if(c, k, ks_cache_unlease_pred);
}
