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

zend_result ks_cache_minit(int type, int module_number);
zend_result ks_cache_mshutdown(int type, int module_number);
zend_result ks_cache_rinit(void);
zend_result ks_cache_rshutdown(void);
struct ks_cache_globals;
void ks_cache_ginit(struct ks_cache_globals *g);
void ks_cache_gshutdown(struct ks_cache_globals *g);
/* Rows for phpinfo(): added inside keepsake's table (no table start/end). */
void ks_cache_minfo(void);

#endif
