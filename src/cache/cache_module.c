/*
 * cache_module.c: the cache part's module hooks (placeholder until the
 * cache lands).
 */
#include "php_keepsake.h"
#include "cache/ks_cache.h"
#include "cache/cache_arginfo.h"

zend_result ks_cache_minit(int type, int module_number)
{
	return zend_register_functions(NULL, ext_functions, NULL, type);
}
zend_result ks_cache_mshutdown(int type, int module_number) { return SUCCESS; }
zend_result ks_cache_rinit(void) { return SUCCESS; }
zend_result ks_cache_rshutdown(void) { return SUCCESS; }
void ks_cache_ginit(struct ks_cache_globals *g) { }
void ks_cache_gshutdown(struct ks_cache_globals *g) { }
void ks_cache_minfo(void) { }
