/*
 * ks_cache_store.c: the segment and the store's write operations (see
 * ks_cache_store.h). Each operation finds the shard from the key's hash,
 * takes its lock (ks_cache_shard_lock: the whole hold is one seqlock
 * change), works with the *_locked helpers of ks_cache_shard.h and
 * ks_cache_store_evict.h, and releases it.
 */
#include "cache/ks_cache_store.h"
#include "cache/ks_cache_store_evict.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

/* ---- the segment ------------------------------------------------------------ */

int ks_cache_store_init(void *mem, size_t size, uint32_t nshards, int64_t now)
{
	ks_cache_seg *seg = mem;
	uint64_t per, eb;
	uint32_t i;
	int rc;

	/* The INI handler checks keepsake.cache.shards too, but the store must
	 * not depend on it: more than KS_CACHE_SHARDS_MAX shards would overflow
	 * the read-statistics sort, and a shard index is masked with
	 * nshards - 1. */
	if (!mem || ((uintptr_t) mem & 63) != 0 || nshards == 0 || nshards > KS_CACHE_SHARDS_MAX
			|| (nshards & (nshards - 1)) != 0 || size < KS_CACHE_SEG_HDR) {
		return EINVAL;
	}
	eb = (ks_cache_epoch_bytes(KS_CACHE_EPOCH_NSLOTS + KS_CACHE_EPOCH_RESERVE) + 63) & ~(uint64_t) 63;
	if (size < KS_CACHE_SEG_HDR + eb) {
		return EINVAL;
	}
	per = ((size - KS_CACHE_SEG_HDR - eb) / nshards) & ~(uint64_t) 63;
	if (per < KS_CACHE_SHARD_MIN) {
		return EINVAL;
	}
	seg->nshards = nshards;
	seg->size = size;
	seg->shard_bytes = per;
	seg->start_time = now;
	seg->epoch_off = KS_CACHE_SEG_HDR + (uint64_t) nshards * per;
	ks_cache_epoch_init(ks_cache_seg_epoch(seg), KS_CACHE_EPOCH_NSLOTS + KS_CACHE_EPOCH_RESERVE, KS_CACHE_EPOCH_RESERVE);
	for (i = 0; i < nshards; i++) {
		ks_cache_shard *sh = ks_cache_shard_at(seg, i);
		sh->epoch_rel = (int64_t) ((char *) ks_cache_seg_epoch(seg) - (char *) sh);
		rc = ks_cache_shard_init(sh, per, 0x2545f491u * (i + 1));
		if (rc != 0) {
			ks_cache_epoch_release(ks_cache_seg_epoch(seg));
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

/* ---- writes ----------------------------------------------------------------- */

/* put and put_fill: the value is val's bytes, or written in place by fill
 * (an immutable block: it takes a retire-ring ticket first, and goes in the
 * shard's zero-copy region, ks_cache_shard.h). */
static ks_cache_status ks_cache_store_put_generic(ks_cache_ctx *c, const ks_cache_key *k, const char *val, uint32_t vlen,
	uint32_t ttl, int exclusive, ks_cache_fill_fn fill, void *arg)
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
	ks_cache_shard_debug_pause(c);
	off = ks_cache_lookup_locked(c, sh, k);
	if (off && exclusive && !ks_cache_ent(sh, off)->lease) {
		ks_cache_shard_unlock(sh);
		return KS_CACHE_EXISTS;
	}
	if (fill) {
		const ks_cache_retire_ring *r = ks_cache_shard_ring(sh);
		const uint64_t need = ks_cache_arena_block_size((uint32_t) (sizeof(ks_cache_entry) + k->len + vlen));
		ks_cache_reclaim_locked(c, sh);
		/* past an eighth of the arena in retired bytes (pinned readers
		 * keep them), or past the shard's zero-copy budget (the size of
		 * its zero-copy region, KS_CACHE_ZC_SHARE) counting the live
		 * blocks that eviction or an overwrite would retire, new values
		 * take the copying form, which an overwrite or eviction frees at
		 * once: writers keep making progress and large values keep
		 * their room */
		if (r->bytes > sh->arena.size / 8
				|| r->bytes + r->live + need > ks_cache_zc_region_bytes(sh)
				|| ks_cache_retire_reserve(ks_cache_shard_ring(sh)) != KS_CACHE_EPOCH_OK) {
			ks_cache_shard_unlock(sh);
			return KS_CACHE_ZC_FULL;  /* nothing changed: the caller stores a copy */
		}
	}
	if (off) {
		ks_cache_find_locked(sh, k, &link);
		ks_cache_unlink_locked(sh, link, off);
	}
	st = ks_cache_insert_locked(c, sh, k, fill ? NULL : val, vlen, ttl, fill ? KS_CACHE_INS_IMM : 0);
	if (fill) {
		if (st == KS_CACHE_OK) {
			off = ks_cache_find_locked(sh, k, NULL);
			ks_cache_shard_ring(sh)->live += ks_cache_block_bytes(sh, off);
			fill(arg, ks_cache_ent_val(ks_cache_ent(sh, off)), vlen);
		} else {
			ks_cache_retire_unreserve(ks_cache_shard_ring(sh));
			if (st == KS_CACHE_NOSPACE) {
				/* no room in the zero-copy region: the copy goes
				 * anywhere (the old value is gone, as the store
				 * that follows would drop it anyway) */
				st = KS_CACHE_ZC_FULL;
			}
		}
	}
	if (ks_cache_shard_ring(sh)->count) {
		/* retired blocks no reader holds any more (the overwritten value's
		 * too) are freed by every store, not only when the arena runs
		 * out: memory returns to its baseline once the readers are done */
		ks_cache_reclaim_locked(c, sh);
	}
	ks_cache_shard_unlock(sh);
	return st;
}

ks_cache_status ks_cache_store_put(ks_cache_ctx *c, const ks_cache_key *k, const char *val, uint32_t vlen,
	uint32_t ttl, int exclusive)
{
	return ks_cache_store_put_generic(c, k, val, vlen, ttl, exclusive, NULL, NULL);
}

ks_cache_status ks_cache_store_put_fill(ks_cache_ctx *c, const ks_cache_key *k, uint32_t vlen,
	uint32_t ttl, int exclusive, ks_cache_fill_fn fill, void *arg)
{
	return ks_cache_store_put_generic(c, k, NULL, vlen, ttl, exclusive, fill, arg);
}

/* delete's rule: any value, expired or not (APCu's delete ignores the
 * TTL: an expired entry still counts); never a lease. */
static int ks_cache_delete_pred(const ks_cache_ctx *c, ks_cache_shard *sh, const ks_cache_entry *e)
{
	(void)c;
	if (e->lease) {
		return 0;
	}
	sh->st.deletes++;
	return 1;
}

ks_cache_status ks_cache_store_delete(ks_cache_ctx *c, const ks_cache_key *k)
{
	return ks_cache_remove_if(c, k, ks_cache_delete_pred);
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
		ks_cache_shard_clear_locked(c, sh);
		ks_cache_shard_unlock(sh);
	}
	return ret;
}
