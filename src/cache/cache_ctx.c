/*
 * cache_ctx.c: the PHP-facing layer's plumbing (see ks_cache_ctx.h): the
 * segment pointer, operation contexts, the one warning per failure and the
 * flush of queued read statistics.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"  /* KEEPSAKE_DEBUG */
#endif
#include "php_keepsake.h"
#include "cache/ks_cache_ctx.h"

#include <unistd.h>

ks_cache_seg *ks_cache_segment = NULL;

void ks_cache_ctx_init(ks_cache_ctx *c, int need_pid)
{
	c->seg = ks_cache_segment;
	c->lock_timeout_ms = (unsigned) KEEPSAKE_G(cache.lock_timeout);
	c->now = 0;  /* read lazily by the store */
	c->debug_pause_ms = 0;
#ifdef KEEPSAKE_DEBUG
	c->debug_pause_ms = (unsigned) KEEPSAKE_G(cache.debug_lock_pause);
	if (c->debug_pause_ms) {
		need_pid = 1;
	}
#endif
	c->pid = need_pid ? (int) getpid() : 0;
	c->thread = need_pid ? ks_cache_store_thread_tag() : 0;
}

void ks_cache_flush_reads(int wait)
{
	ks_cache_ctx c;

	if (ks_cache_segment && KEEPSAKE_G(cache.reads).n) {
		ks_cache_ctx_init(&c, 0);
		ks_cache_store_flush_reads(&c, &KEEPSAKE_G(cache.reads), wait);
	}
}

/* A worker that once fetched a 100 MB value must not keep 100 MB of malloc
 * (outside memory_limit) for the rest of its life: past this, the scratch
 * buffer is given back after each use. Below it, it is kept: a copy of
 * up to 1 MB costs more than its malloc. */
#define KS_CACHE_SCRATCH_KEEP ((size_t) 1 << 20)

void ks_cache_scratch_trim(void)
{
	ks_cache_buf *b = &KEEPSAKE_G(cache.scratch);

	if (b->cap > KS_CACHE_SCRATCH_KEEP) {
		ks_cache_buf_free(b);
	}
}

static const char *ks_cache_status_text(ks_cache_status st)
{
	switch (st) {
	case KS_CACHE_NOSPACE: return "no room in its shard even after evicting";
	case KS_CACHE_TOOBIG: return "the value is larger than a shard";
	case KS_CACHE_LOCK_TIMEOUT: return "the shard lock was not obtained within keepsake.cache.lock_timeout";
	case KS_CACHE_LOCK_BROKEN: return "the shard lock is unusable";
	case KS_CACHE_NOMEM: return "out of process memory";
	case KS_CACHE_NOTLONG: return "the stored value is not an int";
	case KS_CACHE_REFUSED: return "the value cannot be cached";
	default: return "internal error";
	}
}

void ks_cache_warn_cause(const char *op, const char *key, size_t klen, const char *cause)
{
	int shown = klen > 128 ? 128 : (int) klen;

	php_error_docref(NULL, E_WARNING, "cannot %s key '%.*s%s': %s", op, shown, key,
		klen > 128 ? "..." : "", cause);
}

void ks_cache_warn(const char *op, const char *key, size_t klen, ks_cache_status st)
{
	ks_cache_warn_cause(op, key, klen, ks_cache_status_text(st));
}
