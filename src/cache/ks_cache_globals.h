/*
 * ks_cache_globals.h: the cache part's slice of the module globals.
 *
 * INI-backed fields are written only by PHP's INI machinery (see
 * cache_module.c for the settings and their defaults). The process-local
 * state never lives in the shared segment: `scratch` is malloc-backed and
 * lives as long as the thread's globals (freed in GSHUTDOWN, and as soon as
 * a value it holds is decoded once it grew past 1 MB, so a worker never keeps
 * the size of the largest value it ever read: ks_cache_scratch_trim), `reads` is a
 * fixed array, and `entry_keys` is request memory, freed at RSHUTDOWN.
 * Included by php_keepsake.h, so it must not include it back.
 */
#ifndef KS_CACHE_GLOBALS_H
#define KS_CACHE_GLOBALS_H

#include "php.h"
#include "cache/ks_cache_store_read.h"
#include "cache/ks_cache_epoch.h"

typedef struct ks_cache_globals {
	/* INI */
	zend_bool enabled;        /* keepsake.cache.enabled (SYSTEM) */
	zend_bool enable_cli;     /* keepsake.cache.enable_cli (SYSTEM) */
	zend_bool apcu_compat;    /* keepsake.cache.apcu_compat (SYSTEM) */
	zend_long size;           /* keepsake.cache.size, bytes (SYSTEM) */
	zend_long shards;         /* keepsake.cache.shards (SYSTEM) */
	zend_long ttl;            /* keepsake.cache.ttl, seconds, for $ttl = 0 */
	zend_long lock_timeout;   /* keepsake.cache.lock_timeout, ms */
	zend_long entry_timeout;  /* keepsake.cache.entry_timeout, seconds */
	zend_long serializer;     /* keepsake.cache.serializer as KS_CACHE_SER_* */
	zend_long debug_lock_pause; /* keepsake.cache.debug_lock_pause, ms (debug builds) */
	zend_bool zero_copy;      /* keepsake.cache.zero_copy */
	zend_long zero_copy_max_pin; /* keepsake.cache.zero_copy_max_pin, seconds */
	/* process-local state */
	ks_cache_buf scratch;           /* values copied out of the segment (malloc) */
	ks_cache_reads reads;           /* lock-free reads whose statistics are not applied yet */
	HashTable *entry_keys;    /* keys this process is computing in entry(), or NULL */
	ks_cache_epoch_proc zc_proc; /* this process's epoch slot and the request's pin */
} ks_cache_globals_t;

#endif
