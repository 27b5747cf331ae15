/*
 * ks_cache_store_info.c: introspection (see ks_cache_store_info.h): one
 * entry's metadata, a shard's snapshot, counters and the arenas' free
 * blocks. Nothing here changes what readers see, so every lock is taken
 * read-only.
 */
#include "cache/ks_cache_store_info.h"

#include <string.h>

static void ks_cache_meta_fill(ks_cache_meta *m, ks_cache_entry *e)
{
	const uint32_t *hdr = (const uint32_t *) ((const char *) e - KS_CACHE_ARENA_HDR);

	m->klen = e->klen;
	m->vlen = e->vlen;
	m->ctime = e->ctime;
	m->expire = e->expire;
	m->atime = e->atime;
	m->hits = e->hits;
	m->mem_size = *hdr & KS_CACHE_ARENA_SIZE_MASK;
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
		m->shard = ks_cache_shard_index(c->seg, k);
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
		{
			const ks_cache_retire_ring *r = ks_cache_shard_ring((ks_cache_shard *) sh);
			s->zc_live += r->tickets;
			s->retired_blocks += r->count;
			s->retired_bytes += r->bytes;
			s->retired_freed += r->freed;
		}
	}
	{
		const ks_cache_epoch *ep = ks_cache_seg_epoch(seg);
		uint32_t n = __atomic_load_n(&ep->hwm, __ATOMIC_ACQUIRE);
		for (i = 0; i < n && i < ep->nslots; i++) {
			int32_t pid = __atomic_load_n(&ep->slots[i].pid, __ATOMIC_RELAXED);
			if (pid > 0) {
				s->zc_slots++;
				s->zc_pinned += __atomic_load_n(&ep->slots[i].epoch, __ATOMIC_RELAXED) != 0;
				s->zc_sticky += __atomic_load_n(&ep->slots[i].sticky, __ATOMIC_RELAXED) != 0;
			}
		}
		s->zc_dead_reclaimed = __atomic_load_n(&ep->dead_reclaimed, __ATOMIC_RELAXED);
		s->zc_unmapped_reclaimed = __atomic_load_n(&ep->unmapped_reclaimed, __ATOMIC_RELAXED);
		s->zc_fork_reserved = __atomic_load_n(&ep->fork_reserved, __ATOMIC_RELAXED);
		s->zc_fork_shared = __atomic_load_n(&ep->fork_shared, __ATOMIC_RELAXED);
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
