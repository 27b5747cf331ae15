/*
 * ks_cache_store_read.c: the seqlock read path (see ks_cache_store_read.h):
 * lock-free lookups, the fallback to the lock, and the per-process queue of
 * read statistics applied later in batches.
 */
#include "cache/ks_cache_store_read.h"

#include <sched.h>
#include <string.h>
#include <time.h>

/*
 * One lock-free attempt (see the header). Returns KS_CACHE_OK (value copied
 * when out != NULL, *found = its offset), KS_CACHE_NOTFOUND, KS_CACHE_NOMEM,
 * or KS_CACHE_RETRY: a writer was active or the chain looked torn.
 * Header fields are read through a volatile pointer so that each is loaded
 * once and its bounds check applies to the value actually used.
 */
static ks_cache_status ks_cache_peek_once(ks_cache_ctx *c, ks_cache_shard *sh, const ks_cache_key *k, ks_cache_buf *out,
	uint32_t *found, const char **ref)
{
	const uint32_t s1 = __atomic_load_n(&sh->seq, __ATOMIC_ACQUIRE);
	const char *base = ks_cache_abase(sh);
	const uint64_t asz = sh->arena_size;
	const uint32_t h = (uint32_t) k->h;
	uint32_t off, steps = 0;
	ks_cache_status st = KS_CACHE_NOTFOUND;

	if (s1 & 1) {
		return KS_CACHE_RETRY;
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
			return KS_CACHE_RETRY;
		}
		room = *(const volatile uint32_t *) (base + off - KS_CACHE_ARENA_HDR) & KS_CACHE_ARENA_SIZE_MASK;
		if (room < KS_CACHE_ARENA_HDR + sizeof(ks_cache_entry) || off - KS_CACHE_ARENA_HDR + room > asz) {
			return KS_CACHE_RETRY;
		}
		room -= KS_CACHE_ARENA_HDR + sizeof(ks_cache_entry);  /* bytes for key and value */
		klen = e->klen;
		next = e->next;
		if (e->hash == h && klen == k->len) {
			const char *kp = base + off + sizeof(ks_cache_entry);
			if (klen > room) {
				return KS_CACHE_RETRY;
			}
			if (memcmp(kp, k->s, klen) == 0) {
				uint32_t vlen = e->vlen, expire = e->expire, lease = e->lease;
				if (lease || (expire && ks_cache_now(c) > expire)) {
					break;
				}
				if ((uint64_t) klen + vlen > room) {
					return KS_CACHE_RETRY;
				}
				if (ref && vlen > KS_CACHE_VAL_IMM_HEAD && kp[klen] == KS_CACHE_VAL_IMM) {
					*ref = kp + klen;  /* trusted only if seq did not move */
				} else if (out) {
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
	return __atomic_load_n(&sh->seq, __ATOMIC_RELAXED) == s1 ? st : KS_CACHE_RETRY;
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

static ks_cache_status ks_cache_store_get_generic(ks_cache_ctx *c, const ks_cache_key *k, ks_cache_buf *out,
	ks_cache_reads *pend, const char **ref)
{
	uint32_t idx = ks_cache_shard_index(c->seg, k);
	ks_cache_shard *sh = ks_cache_shard_at(c->seg, idx);
	uint32_t off = 0;
	ks_cache_entry *e = NULL;
	ks_cache_status st;
	int attempt;

	for (attempt = 0; attempt < 4 && ks_cache_seq_wait_even(sh); attempt++) {
		if (ref) {
			*ref = NULL;
		}
		st = ks_cache_peek_once(c, sh, k, out, &off, ref);
		if (st == KS_CACHE_OK || st == KS_CACHE_NOTFOUND) {
			if (pend) {
				ks_cache_reads_push(c, pend, idx, off, (uint32_t) k->h, st == KS_CACHE_OK);
			}
			return st;
		}
		if (st != KS_CACHE_RETRY) {
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
	if (ref) {
		*ref = NULL;
	}
	if (e && ref && ks_cache_ent_is_imm(e)) {
		*ref = ks_cache_ent_val(e);
		st = KS_CACHE_OK;
	} else {
		st = !e ? KS_CACHE_NOTFOUND : out ? ks_cache_copy_value_locked(e, out) : KS_CACHE_OK;
	}
	ks_cache_shard_unlock_ro(sh);
	return st;
}

ks_cache_status ks_cache_store_get(ks_cache_ctx *c, const ks_cache_key *k, ks_cache_buf *out, ks_cache_reads *pend)
{
	return ks_cache_store_get_generic(c, k, out, pend, NULL);
}

ks_cache_status ks_cache_store_get_ref(ks_cache_ctx *c, const ks_cache_key *k, ks_cache_buf *out, ks_cache_reads *pend,
	const char **ref)
{
	return ks_cache_store_get_generic(c, k, out, pend, ref);
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
	uint16_t start[KS_CACHE_SHARDS_MAX + 1];  /* counting sort by shard */
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
		locked = ks_cache_shard_lock_generic(c, sh, wait ? 0 : KS_CACHE_SHARD_TRY) == KS_CACHE_OK;
		ks_cache_apply_reads(c, sh, pend, order, from, start[i], locked);
		if (locked) {
			ks_cache_shard_unlock_ro(sh);
		}
	}
}
