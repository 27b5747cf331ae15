/*
 * keepsake.c: the module entry.
 *
 * The module is a thin shell around two independent parts. Each hook calls
 * the session part's hook and the cache part's hook, in that order on the
 * way up and in reverse on the way down; a part that was configured out
 * (--disable-keepsake-session / --disable-keepsake-cache) is simply absent.
 * No code here knows about Redis or shared memory.
 *
 * Invariant: nothing in MINIT opens a network connection; the cache segment
 * is the only resource created before the workers fork.
 */
#include "php_keepsake.h"
#include "ext/standard/info.h"
#include "metrics/ks_metrics.h"

#ifdef KEEPSAKE_SESSION
# include "session/ks_session.h"
#endif
#ifdef KEEPSAKE_CACHE
# include "cache/ks_cache.h"
#endif

static PHP_MINIT_FUNCTION(keepsake)
{
#ifdef KEEPSAKE_SESSION
	if (ks_sess_minit(type, module_number) == FAILURE) {
		return FAILURE;
	}
#endif
#ifdef KEEPSAKE_CACHE
	if (ks_cache_minit(type, module_number) == FAILURE) {
		return FAILURE;
	}
#endif
	return ks_metrics_minit(type);
}

/* zend_hash_apply callback: removes the functions of module number *arg. */
static int ks_unregister_function(zval *el, void *arg)
{
	zend_function *fn = Z_PTR_P(el);

	return fn->type == ZEND_INTERNAL_FUNCTION && fn->internal_function.module
		&& fn->internal_function.module->module_number == *(int *) arg
		? ZEND_HASH_APPLY_REMOVE : ZEND_HASH_APPLY_KEEP;
}

static PHP_MSHUTDOWN_FUNCTION(keepsake)
{
	if (type == MODULE_TEMPORARY) {
		/* Loaded by dl(): the engine removes a temporary module's functions
		 * at unload only when its entry lists them, and each part registers
		 * its own from MINIT instead. Left behind, they outlived the
		 * request, whose interned strings hold their names, and module
		 * shutdown read the freed names (an invalid read under valgrind). */
		zend_hash_apply_with_argument(CG(function_table), ks_unregister_function, &module_number);
	}
#ifdef KEEPSAKE_CACHE
	ks_cache_mshutdown(type, module_number);
#endif
#ifdef KEEPSAKE_SESSION
	ks_sess_mshutdown(type, module_number);
#endif
	UNREGISTER_INI_ENTRIES();
	return SUCCESS;
}

static PHP_RINIT_FUNCTION(keepsake)
{
#if defined(ZTS) && defined(COMPILE_DL_KEEPSAKE)
	ZEND_TSRMLS_CACHE_UPDATE();
#endif
#ifdef KEEPSAKE_SESSION
	if (ks_sess_rinit() == FAILURE) {
		return FAILURE;
	}
#endif
#ifdef KEEPSAKE_CACHE
	if (ks_cache_rinit() == FAILURE) {
		return FAILURE;
	}
#endif
	return SUCCESS;
}

static PHP_RSHUTDOWN_FUNCTION(keepsake)
{
#ifdef KEEPSAKE_CACHE
	ks_cache_rshutdown();
#endif
#ifdef KEEPSAKE_SESSION
	ks_sess_rshutdown();
#endif
	return SUCCESS;
}

ZEND_DECLARE_MODULE_GLOBALS(keepsake)

/* After the request's variables are destroyed (later than RSHUTDOWN, which
 * the session module's write may follow): the cache's zero-copy pin ends. */
static ZEND_MODULE_POST_ZEND_DEACTIVATE_D(keepsake)
{
#ifdef KEEPSAKE_CACHE
	ks_cache_post_deactivate();
#endif
	return SUCCESS;
}

static PHP_GINIT_FUNCTION(keepsake)
{
#if defined(ZTS) && defined(COMPILE_DL_KEEPSAKE)
	ZEND_TSRMLS_CACHE_UPDATE();
#endif
	memset(keepsake_globals, 0, sizeof(*keepsake_globals));
#ifdef KEEPSAKE_SESSION
	ks_sess_ginit(&keepsake_globals->sess);
#endif
#ifdef KEEPSAKE_CACHE
	ks_cache_ginit(&keepsake_globals->cache);
#endif
}

static PHP_GSHUTDOWN_FUNCTION(keepsake)
{
#ifdef KEEPSAKE_CACHE
	ks_cache_gshutdown(&keepsake_globals->cache);
#endif
#ifdef KEEPSAKE_SESSION
	ks_sess_gshutdown(&keepsake_globals->sess);
#endif
}

static PHP_MINFO_FUNCTION(keepsake)
{
	php_info_print_table_start();
	php_info_print_table_row(2, "keepsake support", "enabled");
	php_info_print_table_row(2, "Version", PHP_KEEPSAKE_VERSION);
#ifdef KEEPSAKE_SESSION
	php_info_print_table_row(2, "Session handler", "compiled in");
	ks_sess_minfo();
#else
	php_info_print_table_row(2, "Session handler", "not compiled in");
#endif
#ifdef KEEPSAKE_CACHE
	php_info_print_table_row(2, "Shared-memory cache", "compiled in");
	ks_cache_minfo();
#else
	php_info_print_table_row(2, "Shared-memory cache", "not compiled in");
#endif
	php_info_print_table_end();

	DISPLAY_INI_ENTRIES();
}

/* Each part's dependencies, only when that part is built: the session part
 * registers a save handler with ext/session (so session must start first);
 * the cache part may stand in for apcu and serialize with igbinary, so it
 * starts after them when they are loaded. */
static const zend_module_dep keepsake_deps[] = {
#ifdef KEEPSAKE_SESSION
	ZEND_MOD_REQUIRED("session")
#endif
#ifdef KEEPSAKE_CACHE
	ZEND_MOD_OPTIONAL("apcu")
	ZEND_MOD_OPTIONAL("igbinary")
#endif
	ZEND_MOD_END
};

zend_module_entry keepsake_module_entry = {
	STANDARD_MODULE_HEADER_EX,
	NULL,
	keepsake_deps,
	PHP_KEEPSAKE_EXTNAME,
	NULL, /* each part registers its functions in its MINIT */
	PHP_MINIT(keepsake),
	PHP_MSHUTDOWN(keepsake),
	PHP_RINIT(keepsake),
	PHP_RSHUTDOWN(keepsake),
	PHP_MINFO(keepsake),
	PHP_KEEPSAKE_VERSION,
	PHP_MODULE_GLOBALS(keepsake),
	PHP_GINIT(keepsake),
	PHP_GSHUTDOWN(keepsake),
	ZEND_MODULE_POST_ZEND_DEACTIVATE_N(keepsake),
	STANDARD_MODULE_PROPERTIES_EX
};

#ifdef COMPILE_DL_KEEPSAKE
# ifdef ZTS
ZEND_TSRMLS_CACHE_DEFINE()
# endif
ZEND_GET_MODULE(keepsake)
#endif
