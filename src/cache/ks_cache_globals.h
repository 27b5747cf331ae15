/*
 * ks_cache_globals.h: the cache part's slice of the module globals.
 *
 * INI-backed fields are written only by PHP's INI machinery. Included by
 * php_keepsake.h, so it must not include it back.
 */
#ifndef KS_CACHE_GLOBALS_H
#define KS_CACHE_GLOBALS_H

#include "php.h"

typedef struct ks_cache_globals {
	zend_long placeholder;
} ks_cache_globals_t;

#endif
