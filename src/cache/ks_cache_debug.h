/*
 * ks_cache_debug.h: test-only PHP functions of the cache part (cache_debug.c),
 * compiled only with --enable-keepsake-debug.
 */
#ifndef KS_CACHE_DEBUG_H
#define KS_CACHE_DEBUG_H

#include "php.h"

#ifdef KEEPSAKE_DEBUG
/* Registers the keepsake_debug_immutable*() functions; called from MINIT. */
zend_result ks_cache_debug_register(int type);
#endif

#endif
