/*
 * php_keepsake.h: the module entry's public face.
 *
 * keepsake has two parts that share only this entry point: the Redis session
 * handler (src/session + src/redis, compiled when KEEPSAKE_SESSION is defined)
 * and the shared-memory cache (src/cache, when KEEPSAKE_CACHE is defined).
 * Each part owns its INI entries, its slice of the globals and its PHP
 * functions; src/keepsake.c only forwards the module hooks to them. The version below is the single
 * source of truth that scripts/check-package compares with package.xml and
 * composer.json.
 *
 * Every file of the module includes this header, so it must not link the
 * parts at compile time: it embeds each part's globals slice, and those
 * headers name another layer's types only by forward declaration (the
 * session slice holds `struct ks_redis_pool *`, never redis/pool.h or
 * hiredis). scripts/check-layers fails when a cache file, keepsake.c or this
 * header reaches hiredis or a src/redis/ header.
 */
#ifndef PHP_KEEPSAKE_H
#define PHP_KEEPSAKE_H

#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "php.h"

#define PHP_KEEPSAKE_VERSION "0.1.0"
#define PHP_KEEPSAKE_EXTNAME "keepsake"

#ifdef KEEPSAKE_SESSION
# include "session/ks_sess_globals.h"
#endif
#ifdef KEEPSAKE_CACHE
# include "cache/ks_cache_globals.h"
#endif

/*
 * Module globals: one sub-struct per part, each defined and documented in
 * the part's own *_globals.h. INI entries of a part point into its
 * sub-struct (STD_PHP_INI_ENTRY with "sess.field" / "cache.field").
 */
ZEND_BEGIN_MODULE_GLOBALS(keepsake)
#ifdef KEEPSAKE_SESSION
	ks_sess_globals_t sess;
#endif
#ifdef KEEPSAKE_CACHE
	ks_cache_globals_t cache;
#endif
	int unused; /* keeps the struct non-empty when both parts are out */
ZEND_END_MODULE_GLOBALS(keepsake)

ZEND_EXTERN_MODULE_GLOBALS(keepsake)
#define KEEPSAKE_G(v) ZEND_MODULE_GLOBALS_ACCESSOR(keepsake, v)

/*
 * How code reaches the globals: each part through its own accessor, which
 * names the part's slice, and nothing else. KEEPSAKE_G() itself is for this
 * header and src/keepsake.c (which sees the whole struct); the GINIT and
 * GSHUTDOWN hooks get their slice as a pointer instead.
 */
#ifdef KEEPSAKE_SESSION
# define KS_SESS_G(field) KEEPSAKE_G(sess.field)
#endif
#ifdef KEEPSAKE_CACHE
# define KS_CACHE_G(field) KEEPSAKE_G(cache.field)
#endif

extern zend_module_entry keepsake_module_entry;
#define phpext_keepsake_ptr &keepsake_module_entry

#if defined(ZTS) && defined(COMPILE_DL_KEEPSAKE)
ZEND_TSRMLS_CACHE_EXTERN()
#endif

#endif /* PHP_KEEPSAKE_H */
