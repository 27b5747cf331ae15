/* ks_compat.h: the one place for differences between the PHPs keepsake builds
 * against (STYLE.md point 8): versions and thread safety.
 *
 * keepsake supports PHP 8.2 to 8.4, NTS and ZTS, from one code path. Where the
 * engine's API changed between those versions, the logic uses the KS_* name
 * below and this header picks the form the PHP being built against expects,
 * by PHP_VERSION_ID (or ZTS). Add a difference here rather than an #if in a
 * part. (The module entry's ZEND_TSRMLS_CACHE_* lines stay in keepsake.c and
 * php_keepsake.h, where every PHP extension keeps them.)
 *
 * Include it after php.h (it needs PHP_VERSION_ID and the Zend headers).
 */
#ifndef KS_COMPAT_H
#define KS_COMPAT_H

#include "php.h"

/* A function entry under a name other than its handler's (the APCu aliases).
 * PHP 8.4 added two fields to zend_function_entry (frameless function infos
 * and the doc comment), and ZEND_RAW_FENTRY takes them as arguments. */
#if PHP_VERSION_ID >= 80400
# define KS_RAW_FENTRY(name, handler, arginfo, flags) \
	ZEND_RAW_FENTRY(name, handler, arginfo, flags, NULL, NULL)
#else
# define KS_RAW_FENTRY(name, handler, arginfo, flags) \
	ZEND_RAW_FENTRY(name, handler, arginfo, flags)
#endif

/* Whether the calling thread has PHP globals (module globals, EG()) that
 * KEEPSAKE_G() may use. NTS: always. ZTS: only threads that TSRM gave a
 * context (ts_resource); a fork handler can run on any thread of the SAPI, and
 * there the module's cached TSRM pointer is refreshed before any use. */
static inline int ks_thread_has_php(void)
{
#ifdef ZTS
	if (!tsrm_get_ls_cache()) {
		return 0;
	}
# ifdef COMPILE_DL_KEEPSAKE
	ZEND_TSRMLS_CACHE_UPDATE();
# endif
#endif
	return 1;
}

#endif
