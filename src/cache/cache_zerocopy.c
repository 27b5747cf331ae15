/*
 * cache_zerocopy.c: zero-copy store and fetch (see ks_cache_zerocopy.h).
 */
#include "php_keepsake.h"
#include "cache/ks_cache_zerocopy.h"
#include "cache/ks_cache_ctx.h"
#include "cache/ks_cache_immutable.h"
#include "cache/ks_cache_value.h"

#include "ext/standard/file.h"  /* FG(): the request's stream wrapper and filter tables */

#include <errno.h>
#include <stdlib.h>
#include <time.h>

int ks_cache_zc_enabled(void)
{
#ifdef ZTS
	return 0;
#else
	return ks_cache_segment != NULL && KEEPSAKE_G(cache.zero_copy);
#endif
}

/* Whether the immutable form pays: arrays, and strings long enough that a
 * copy costs more than the pin. Scalars stay in the copying form (inc, dec
 * and cas edit it in place). */
static int ks_cache_zc_worth(const zval *v)
{
	return (Z_TYPE_P(v) == IS_ARRAY && zend_hash_num_elements(Z_ARRVAL_P(v)) > 0)
		|| (Z_TYPE_P(v) == IS_STRING && Z_STRLEN_P(v) >= KS_CACHE_ZC_MIN_STRING);
}

typedef struct ks_cache_zc_fill_arg {
	ks_cache_imm_plan *plan;
	zval *value;
} ks_cache_zc_fill_arg;

/* Under the shard lock: the tag, the offset to the 8-aligned block, the block. */
static void ks_cache_zc_fill(void *arg, char *dst, uint32_t vlen)
{
	ks_cache_zc_fill_arg *a = arg;
	uint32_t skip = 2 + (uint32_t) ((8 - (((uintptr_t) dst + 2) & 7)) & 7);

	(void) vlen;
	dst[0] = KS_CACHE_VAL_IMM;
	dst[1] = (char) skip;
	memset(dst + 2, 0, skip - 2);
	ks_cache_imm_write(a->plan, a->value, dst + skip);
}

int ks_cache_zc_put(ks_cache_ctx *c, const ks_cache_key *k, zval *value, uint32_t ttl, int exclusive,
	uint64_t max, ks_cache_status *st)
{
	ks_cache_imm_plan plan;
	ks_cache_zc_fill_arg arg;

	if (!ks_cache_zc_enabled() || !ks_cache_zc_worth(value) || max <= KS_CACHE_VAL_IMM_HEAD) {
		return 0;
	}
	if (ks_cache_imm_measure(value, (size_t) (max - KS_CACHE_VAL_IMM_HEAD), &plan) != KS_CACHE_IMM_OK) {
		return 0;  /* the copying form decides (and names what is wrong, if anything) */
	}
	arg.plan = &plan;
	arg.value = value;
	*st = ks_cache_store_put_fill(c, k, (uint32_t) (KS_CACHE_VAL_IMM_HEAD + plan.size), ttl, exclusive,
		ks_cache_zc_fill, &arg);
	ks_cache_imm_plan_free(&plan);
	return *st != KS_CACHE_ZC_FULL;
}

/* Pins for this request if zero-copy may be used now; 1 when pinned. The
 * pin's age is checked only when an immutable value is found (the clock
 * read would cost a fetch of a small copied value ~10%). */
static int ks_cache_zc_pin(ks_cache_ctx *c)
{
	ks_cache_epoch_proc *p = &KEEPSAKE_G(cache.zc_proc);

	if (!ks_cache_zc_enabled()) {
		return 0;
	}
	if (p->pinned) {
		return 1;
	}
	return ks_cache_epoch_pin(ks_cache_seg_epoch(c->seg), p, (uint64_t) ks_cache_now(c), 0) == KS_CACHE_EPOCH_OK;
}

/* Whether this request's pin is older than keepsake.cache.zero_copy_max_pin. */
static int ks_cache_zc_stale(ks_cache_ctx *c)
{
	uint64_t max = (uint64_t) KEEPSAKE_G(cache.zero_copy_max_pin);

	return max && (uint64_t) ks_cache_now(c) > KEEPSAKE_G(cache.zc_proc).pinned_at + max;
}

ks_cache_status ks_cache_zc_fetch(ks_cache_ctx *c, const ks_cache_key *k, zval *rv)
{
	ks_cache_buf *buf = &KEEPSAKE_G(cache.scratch);
	const char *ref = NULL;
	ks_cache_status st;

	if (ks_cache_zc_pin(c)) {
		st = ks_cache_store_get_ref(c, k, buf, &KEEPSAKE_G(cache.reads), &ref);
	} else {
		st = ks_cache_store_get(c, k, buf, &KEEPSAKE_G(cache.reads));
	}
	if (st != KS_CACHE_OK) {
		return st;
	}
	if (ref) {
		const ks_cache_imm_block *b = (const ks_cache_imm_block *) (ref + (unsigned char) ref[1]);
		zend_result rc = ks_cache_zc_stale(c)
			/* a request past max_pin gets copies (still pinned: the block is safe to read) */
			? ks_cache_imm_copy_out(b, (size_t) b->size, rv)
			: ks_cache_imm_materialize(b, rv);
		return rc == SUCCESS ? KS_CACHE_OK : KS_CACHE_REFUSED;
	}
	st = ks_cache_value_decode(buf->data, buf->len, rv) == SUCCESS ? KS_CACHE_OK : KS_CACHE_REFUSED;
	ks_cache_scratch_trim();
	return st;
}

/* Debug builds: KEEPSAKE_DEBUG_UNPIN_PAUSE_MS holds the process just after
 * its unpin, so a test can reclaim and reuse its blocks while PHP finishes
 * the request (what runs after post-deactivate must not read them). */
static void ks_cache_zc_debug_unpin_pause(void)
{
#ifdef KEEPSAKE_DEBUG
	const char *ms = getenv("KEEPSAKE_DEBUG_UNPIN_PAUSE_MS");
	if (ms && atoi(ms) > 0) {
		struct timespec ts = { atoi(ms) / 1000, (long) (atoi(ms) % 1000) * 1000000L };
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
		}
	}
#endif
}

/*
 * PHP destroys the request's stream wrapper and filter tables
 * (php_shutdown_stream_hashes) after every post-deactivate hook, so after
 * the unpin. A wrapper or filter registered under a fetched string is keyed
 * by that string in place, and the table releases its keys then (reading the
 * string's header, and decrementing what it finds when the block was reused
 * meanwhile). Such keys are swapped for request copies first: same content
 * and hash, so the table stays valid, and the table now frees its keys.
 */
static void ks_cache_zc_own_keys(HashTable *ht)
{
	const char *lo = (const char *) ks_cache_segment, *hi = lo + ks_cache_segment->size;
	Bucket *p;

	if (!ht || HT_IS_PACKED(ht)) {
		return;
	}
	ZEND_HASH_FOREACH_BUCKET(ht, p) {
		if (p->key && (const char *) p->key >= lo && (const char *) p->key < hi) {
			zend_string *copy = zend_string_init(ZSTR_VAL(p->key), ZSTR_LEN(p->key), 0);
			ZSTR_H(copy) = ZSTR_H(p->key);
			p->key = copy;
			HT_FLAGS(ht) &= ~HASH_FLAG_STATIC_KEYS;
		}
	} ZEND_HASH_FOREACH_END();
}

void ks_cache_zc_request_end(void)
{
	if (ks_cache_segment && KEEPSAKE_G(cache.zc_proc).pinned) {
		ks_cache_zc_own_keys(FG(stream_wrappers));
		ks_cache_zc_own_keys(FG(stream_filters));
		ks_cache_epoch_unpin(ks_cache_seg_epoch(ks_cache_segment), &KEEPSAKE_G(cache.zc_proc));
		ks_cache_zc_debug_unpin_pause();
	}
}

void ks_cache_zc_detach(void)
{
	if (ks_cache_segment) {
#ifndef ZTS
		ks_cache_epoch_detach(ks_cache_seg_epoch(ks_cache_segment), &KEEPSAKE_G(cache.zc_proc));
#endif
		ks_cache_epoch_release(ks_cache_seg_epoch(ks_cache_segment));
	}
}

void ks_cache_zc_fork_prepare(void)
{
#ifndef ZTS
	if (ks_cache_segment) {
		ks_cache_epoch_fork_prepare(ks_cache_seg_epoch(ks_cache_segment), &KEEPSAKE_G(cache.zc_proc), (uint64_t) time(NULL));
	}
#endif
}

void ks_cache_zc_fork_parent(void)
{
#ifndef ZTS
	ks_cache_epoch_fork_parent(&KEEPSAKE_G(cache.zc_proc));
#endif
}

void ks_cache_zc_fork_child(void)
{
#ifndef ZTS
	if (ks_cache_segment) {
		ks_cache_epoch_fork_child(ks_cache_seg_epoch(ks_cache_segment), &KEEPSAKE_G(cache.zc_proc));
	}
#endif
}
