/*
 * ks_cache.h: the cache part's hooks, called by src/keepsake.c.
 *
 * The cache part maps its shared segment in MINIT (so php-fpm workers forked
 * from the master share it), registers the keepsake_cache_* functions,
 * Keepsake\CacheIterator, its constants and its INI entries (keepsake.cache.*).
 */
#ifndef KS_CACHE_H
#define KS_CACHE_H

#include "php.h"

/* MINIT: registers the INI entries, functions, class and constants (and the
 * APCu names with apcu_compat=1), then maps the segment; a cache that
 * cannot be mapped is disabled with one warning, never a failed startup.
 * FAILURE only when the functions cannot be registered. */
zend_result ks_cache_minit(int type, int module_number);
/* MSHUTDOWN: unmaps the segment. */
zend_result ks_cache_mshutdown(int type, int module_number);
/* RINIT: nothing to do per request; SUCCESS. */
zend_result ks_cache_rinit(void);
/* RSHUTDOWN: applies the request's queued read statistics without waiting
 * for a lock, and releases the leases of entry() callbacks that a fatal
 * error unwound. */
zend_result ks_cache_rshutdown(void);
/* After every RSHUTDOWN and the destruction of the request's variables. */
zend_result ks_cache_post_deactivate(void);
struct ks_cache_globals;
/* GINIT: empties the process-local buffers of g. */
void ks_cache_ginit(struct ks_cache_globals *g);
/* GSHUTDOWN: frees g's process-local buffers. */
void ks_cache_gshutdown(struct ks_cache_globals *g);
/* Rows for phpinfo(): added inside keepsake's table (no table start/end). */
void ks_cache_minfo(void);

#endif
