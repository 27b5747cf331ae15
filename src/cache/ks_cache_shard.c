/*
 * ks_cache_shard.c: the table and its locks (see ks_cache_shard.h): process
 * buffers and keys, laying out and emptying a shard, taking a shard's lock
 * (repairing it after a crash), and the chain operations every other store
 * file uses under the lock. The *_locked functions never block, never call
 * PHP and never allocate except with realloc() into a process-local buffer.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"  /* KEEPSAKE_DEBUG */
#endif
#include "cache/ks_cache_shard.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- buffers and keys --------------------------------------------------- */

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

/* ---- shard setup, repair and locking ------------------------------------- */

void ks_cache_shard_reset(ks_cache_shard *sh)
{
	uint32_t nb = sh->mask + 1;

	memset(ks_cache_buckets(sh), 0, (size_t) nb * 4);
	memset(ks_cache_shard_sketch(sh), 0, ks_cache_sketch_bytes(sh->sketch_bits));
	sh->entries = sh->leases = 0;
	sh->next_expire = 0;
	sh->sketch_reads = 0;
	sh->quarantine = 0;
	ks_cache_retire_init(ks_cache_shard_ring(sh), ks_cache_shard_ring(sh)->cap);
	ks_cache_arena_init(&sh->arena, ks_cache_abase(sh), sh->arena.size, sh->arena.high);
}

/* Empties the table and sketch only (the arena keeps its blocks). */
static void ks_cache_shard_empty_table(ks_cache_shard *sh)
{
	memset(ks_cache_buckets(sh), 0, (size_t) (sh->mask + 1) * 4);
	memset(ks_cache_shard_sketch(sh), 0, ks_cache_sketch_bytes(sh->sketch_bits));
	sh->entries = sh->leases = 0;
	sh->next_expire = 0;
	sh->sketch_reads = 0;
}

/* Whether zero-copy blocks of this shard exist (live with a ticket, or retired). */
static int ks_cache_shard_has_imm(ks_cache_shard *sh)
{
	const ks_cache_retire_ring *r = ks_cache_shard_ring(sh);

	return r->tickets + r->count > 0;
}

void ks_cache_shard_clear_locked(ks_cache_ctx *c, ks_cache_shard *sh)
{
	uint32_t b;

	if (!ks_cache_shard_has_imm(sh) && !sh->quarantine) {
		ks_cache_shard_reset(sh);
		return;
	}
	/* each entry on its own: immutable blocks go to the ring */
	for (b = 0; b <= sh->mask; b++) {
		uint32_t *l = &ks_cache_buckets(sh)[b];
		while (*l) {
			ks_cache_unlink_locked(sh, l, *l);
		}
	}
	ks_cache_shard_empty_table(sh);
	ks_cache_reclaim_locked(c, sh);
}

static void ks_cache_free_retired(void *arg, uint32_t off, uint32_t size)
{
	ks_cache_shard *sh = arg;

	(void) size;
	ks_cache_arena_free(&sh->arena, ks_cache_abase(sh), off);
}

void ks_cache_reclaim_locked(ks_cache_ctx *c, ks_cache_shard *sh)
{
	ks_cache_epoch *ep = ks_cache_shard_epoch(sh);

	if (sh->quarantine) {
		/* every blocking owner is checked now: readers killed with the
		 * writer should not keep the shard closed for a second */
		if (!ks_cache_epoch_reclaimable_checked(ep, sh->quarantine, ks_cache_now(c))) {
			return;
		}
		ks_cache_shard_reset(sh);  /* every reader of the old blocks is gone */
		return;
	}
	if (ks_cache_shard_ring(sh)->count) {
		ks_cache_retire_collect(ep, ks_cache_shard_ring(sh), ks_cache_now(c), ks_cache_free_retired, sh);
	}
}

static uint32_t ks_cache_pow2_floor(uint64_t n)
{
	uint32_t p = 1;

	while ((uint64_t) p * 2 <= n && p < (1u << 30)) {
		p *= 2;
	}
	return p;
}

int ks_cache_shard_init(ks_cache_shard *sh, uint64_t bytes, uint32_t seed)
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
	{
		/* one retire record per 4 KB of shard: what a reader stuck in a
		 * request can keep allocated is bounded by it (ks_cache_epoch.h) */
		uint64_t cap = bytes / 4096;
		cap = cap < 64 ? 64 : cap > 65536 ? 65536 : cap;
		sh->ring_off = (uint32_t) off;
		ks_cache_shard_ring(sh)->cap = (uint32_t) cap;
		off += (ks_cache_retire_ring_bytes((uint32_t) cap) + 63) & ~(uint64_t) 63;
	}
	if (bytes < off + 4096 || bytes - off > 0xfff00000ull) {
		return EINVAL;
	}
	sh->arena_off = (uint32_t) off;
	sh->arena.size = (uint32_t) ((bytes - off) & ~(uint64_t) 15);
	sh->arena_size = sh->arena.size;
	/* the zero-copy region: the top 1/KS_CACHE_ZC_SHARE (ks_cache_shard.h) */
	sh->arena.high = sh->arena.size - sh->arena.size / KS_CACHE_ZC_SHARE;
	sh->rng = seed | 1;
	rc = ks_cache_lock_init(&sh->lock);
	if (rc != 0) {
		return rc;
	}
	ks_cache_shard_reset(sh);
	return 0;
}

/* The previous owner died with the lock: whatever it was changing may be
 * half done, so this shard (and only this one) starts empty again. */
static void ks_cache_shard_repair(ks_cache_shard *sh)
{
	sh->st.evict_recovery += sh->entries;
	sh->st.recoveries++;
	if (ks_cache_shard_has_imm(sh) || sh->quarantine) {
		/* zero-copy readers may still use blocks of this arena, and the
		 * table cannot be trusted to find them: keep the arena as it is
		 * until every reader pinned now has moved on (inserts get
		 * NOSPACE meanwhile, reads miss) */
		ks_cache_shard_empty_table(sh);
		if (!sh->quarantine) {
			sh->quarantine = __atomic_fetch_add(&ks_cache_shard_epoch(sh)->global, 1, __ATOMIC_SEQ_CST);
		}
		return;
	}
	ks_cache_shard_reset(sh);
}

ks_cache_status ks_cache_shard_lock_generic(ks_cache_ctx *c, ks_cache_shard *sh, int flags)
{
	int waited = 0;
	ks_cache_lock_result r = (flags & KS_CACHE_SHARD_TRY) ? ks_cache_lock_try(&sh->lock)
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
		if (!(flags & KS_CACHE_SHARD_TRY)) {
			__atomic_fetch_add(&sh->st.lock_timeouts, 1, __ATOMIC_RELAXED);
		}
		return KS_CACHE_LOCK_TIMEOUT;
	default:
		return KS_CACHE_LOCK_BROKEN;
	}
	if (waited) {
		sh->st.lock_waits++;
	}
	if (flags & KS_CACHE_SHARD_WRITE) {
		ks_cache_seq_begin(sh);
	}
	return KS_CACHE_OK;
}

/* Debug builds: hold the lock for a while so a test can SIGKILL us here. */
void ks_cache_shard_debug_pause(ks_cache_ctx *c)
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
uint32_t ks_cache_find_locked(ks_cache_shard *sh, const ks_cache_key *k, uint32_t **link)
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

void ks_cache_unlink_locked(ks_cache_shard *sh, uint32_t *link, uint32_t off)
{
	ks_cache_entry *e = ks_cache_ent(sh, off);

	*link = e->next;
	if (e->lease) {
		sh->leases--;
	} else {
		sh->entries--;
	}
	if (ks_cache_ent_is_imm(e)) {
		/* zero-copy readers may be using it: freed once none can */
		uint32_t size = ks_cache_block_bytes(sh, off);
		ks_cache_retire_ring *r = ks_cache_shard_ring(sh);
		r->live -= r->live >= size ? size : r->live;
		ks_cache_retire_push(ks_cache_shard_epoch(sh), r, off, size);
		return;
	}
	ks_cache_arena_free(&sh->arena, ks_cache_abase(sh), off);
}

/* Unlinks the entry at off, wherever it is in its chain. */
void ks_cache_remove_locked(ks_cache_shard *sh, uint32_t off)
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

ks_cache_status ks_cache_remove_if(ks_cache_ctx *c, const ks_cache_key *k, ks_cache_remove_pred pred)
{
	ks_cache_shard *sh = ks_cache_shard_of(c->seg, k);
	ks_cache_status st = ks_cache_shard_lock(c, sh);
	uint32_t *link, off;

	if (st != KS_CACHE_OK) {
		return st;
	}
	off = ks_cache_find_locked(sh, k, &link);
	if (off && pred(c, sh, ks_cache_ent(sh, off))) {
		ks_cache_unlink_locked(sh, link, off);
	} else {
		st = KS_CACHE_NOTFOUND;
	}
	ks_cache_shard_unlock(sh);
	return st;
}

/* Looks k up, dropping it if expired. Leases are returned as found. */
uint32_t ks_cache_lookup_locked(ks_cache_ctx *c, ks_cache_shard *sh, const ks_cache_key *k)
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
uint32_t ks_cache_lookup_ro_locked(ks_cache_ctx *c, ks_cache_shard *sh, const ks_cache_key *k)
{
	uint32_t *link;
	uint32_t off = ks_cache_find_locked(sh, k, &link);

	if (off && !ks_cache_ent(sh, off)->lease && ks_cache_expired(ks_cache_ent(sh, off), ks_cache_now(c))) {
		ks_cache_shard_change_begin(sh);
		ks_cache_unlink_locked(sh, link, off);
		ks_cache_shard_change_end(sh);
		sh->st.evict_expired++;
		return 0;
	}
	return off;
}

void ks_cache_count_read_locked(ks_cache_ctx *c, ks_cache_shard *sh, const ks_cache_key *k, ks_cache_entry *e)
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

ks_cache_status ks_cache_copy_value_locked(ks_cache_entry *e, ks_cache_buf *out)
{
	if (ks_cache_buf_reserve(out, e->vlen) != 0) {
		return KS_CACHE_NOMEM;
	}
	memcpy(out->data, ks_cache_ent_val(e), e->vlen);
	out->len = e->vlen;
	return KS_CACHE_OK;
}
