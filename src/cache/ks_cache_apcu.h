/*
 * ks_cache_apcu.h: the APCu drop-in (cache_apcu.c): with
 * keepsake.cache.apcu_compat=1 and APCu not loaded, an "apcu" module entry
 * owning the apcu_* functions, APCUIterator, the APC_* constants and the
 * apc.* INI names, some of them twins of keepsake.cache.* settings that
 * read back the same value. cache_apcu.c explains the startup order and
 * the twins. Private to src/cache.
 */
#ifndef KS_CACHE_APCU_H
#define KS_CACHE_APCU_H

#include "php.h"
#include "php_ini.h"

/* Registers the drop-in (nothing when APCu itself is loaded). functions:
 * the apcu_* aliases of keepsake_cache_* (cache_module.c builds them from
 * its arginfo); must outlive the module. Called from MINIT before the
 * segment is mapped (apc.* names feed the mapping); warns once if it
 * cannot. */
void ks_cache_apcu_register(int type, int module_number, const zend_function_entry *functions);

/* Called by the handler of a keepsake.cache.* setting or apc.* alias
 * (entry: the name being set) once value is accepted: makes the other name
 * of the pair read back value too (nothing without the apc.* names). A
 * change the engine undoes at the end of the request (ini_set, per-directory
 * values) is undone for both names. */
void ks_cache_apc_mirror(zend_ini_entry *entry, zend_string *value, int stage);

#endif
