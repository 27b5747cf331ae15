/*
 * ks_cache_api.h: what the PHP-facing files of the cache share
 * (cache_module.c, cache_api.c, cache_iter.c, cache_apcu.c). Private to src/cache.
 *
 * ks_cache_segment is the process's view of the shared segment: mapped in
 * MINIT before the workers fork, NULL when the cache is disabled (INI, or
 * CLI without enable_cli). It is written only in MINIT and MSHUTDOWN.
 */
#ifndef KS_CACHE_API_H
#define KS_CACHE_API_H

#include "php.h"
#include "cache/ks_cache_store.h"

extern ks_cache_seg *ks_cache_segment;
extern zend_class_entry *ks_cache_iter_ce;

/* Fills a context for one operation (lock timeout, now, pid and thread tag
 * when needed: a lease's owner). */
void ks_cache_ctx_init(ks_cache_ctx *c, int need_pid);

/* Applies this process's queued read statistics: before reporting them
 * (wait = 1: takes the locks, bounded by lock_timeout) and at the end of
 * each request (wait = 0: busy shards only get their hit/miss counts). */
void ks_cache_flush_reads(int wait);

/* The one warning for a failed operation on a key. */
void ks_cache_warn(const char *op, const char *key, size_t klen, ks_cache_status st);

/* Finishes registering Keepsake\CacheIterator (cache_iter.c): ce comes
 * from the generated arginfo. */
void ks_cache_iter_register(zend_class_entry *ce);

/* apcu_* aliases of the keepsake_cache_* functions (cache_module.c). */
extern const zend_function_entry ks_cache_apcu_functions[];

/* With keepsake.cache.apcu_compat=1 and APCu not loaded: registers the
 * "apcu" module entry, the apcu_* functions, APCUIterator, the APC_*
 * constants and the apc.* INI names (cache_apcu.c). Called from MINIT
 * before the segment is mapped; warns once if it cannot. */
void ks_cache_apcu_register(int type, int module_number);

/* Called by the handler of a keepsake.cache.* setting or apc.* alias
 * (entry: the name being set) once value is accepted: makes the other name
 * of the pair read back value too (cache_apcu.c; nothing without the
 * apc.* names). A change the engine undoes at the end of the request
 * (ini_set, per-directory values) is undone for both names. */
void ks_cache_apc_mirror(zend_ini_entry *entry, zend_string *value, int stage);

/* Deletes every entry the iterator object matches (for delete()).
 * FAILURE with an Error thrown when the object was never constructed. */
zend_result ks_cache_iter_delete_all(zend_object *obj);

#endif
