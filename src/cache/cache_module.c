/*
 * cache_module.c: the cache part's module hooks: INI settings, the shared
 * segment's life cycle (MINIT maps it, MSHUTDOWN unmaps it), phpinfo rows
 * and the table of apcu_* function aliases (cache_apcu.c registers it).
 */
#include "php_keepsake.h"
#include "SAPI.h"
#include "ext/standard/info.h"
#include "zend_interfaces.h"
#include "cache/ks_cache.h"
#include "cache/ks_cache_ctx.h"
#include "cache/ks_cache_iter.h"
#include "cache/ks_cache_apcu.h"
#include "cache/ks_cache_defs.h"
#include "cache/ks_cache_value.h"
#include "cache/ks_cache_debug.h"
#include "cache/ks_cache_zerocopy.h"
#include "cache/cache_arginfo.h"
#include "ks_compat.h"

#include <pthread.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static size_t ks_cache_mapped = 0;

#define KS_CACHE_DEFAULT_SIZE   (32 * 1024 * 1024)
#define KS_CACHE_DEFAULT_SHARDS 8

/* ---- INI ---------------------------------------------------------------- */

static ZEND_INI_MH(OnUpdateKsSize)
{
	zend_long *p = (zend_long *) ZEND_INI_GET_ADDR();
	zend_string *err = NULL;
	zend_long v = zend_ini_parse_quantity(new_value, &err);

	if (err || v < 1024 * 1024) {
		php_error_docref(NULL, E_WARNING, "%s must be a size of at least 1M (suffixes K, M, G), got '%s'; keeping the default 32M",
			ZSTR_VAL(entry->name), ZSTR_VAL(new_value));
		if (err) {
			zend_string_release(err);
		}
		return FAILURE;
	}
	*p = v;
	ks_cache_apc_mirror(entry, new_value, stage);
	return SUCCESS;
}

static ZEND_INI_MH(OnUpdateKsShards)
{
	zend_long *p = (zend_long *) ZEND_INI_GET_ADDR();
	zend_long v = ZEND_STRTOL(ZSTR_VAL(new_value), NULL, 10);

	if (v < 1 || v > 256 || (v & (v - 1))) {
		php_error_docref(NULL, E_WARNING, "%s must be a power of two from 1 to 256, got '%s'; keeping the default %d",
			ZSTR_VAL(entry->name), ZSTR_VAL(new_value), KS_CACHE_DEFAULT_SHARDS);
		return FAILURE;
	}
	*p = v;
	return SUCCESS;
}

/* A positive integer (lock_timeout in ms, entry_timeout in s); ttl may be 0. */
static ZEND_INI_MH(OnUpdateKsPositive)
{
	zend_long *p = (zend_long *) ZEND_INI_GET_ADDR();
	char *end = NULL;
	zend_long v = ZEND_STRTOL(ZSTR_VAL(new_value), &end, 10);
	zend_long min = (zend_long) (uintptr_t) mh_arg3;

	if (!end || *end != '\0' || v < min || v > 100000000) {
		php_error_docref(NULL, E_WARNING, "%s must be an integer >= " ZEND_LONG_FMT ", got '%s'; keeping the previous value",
			ZSTR_VAL(entry->name), min, ZSTR_VAL(new_value));
		return FAILURE;
	}
	*p = v;
	ks_cache_apc_mirror(entry, new_value, stage);
	return SUCCESS;
}

/* Set once in MINIT when keepsake.cache.serializer=igbinary but igbinary is
 * not loaded. ZTS threads started later apply their INI copy after MINIT, so
 * the fallback to 'php' must happen here for them too, not only in MINIT. */
static bool ks_cache_igbinary_missing = false;

/* igbinary set after MINIT (a php-fpm pool's php_admin_value, a per-dir
 * value) while igbinary is not loaded is refused with one warning, so every
 * later store of an object does not fail on a missing igbinary_serialize.
 * At startup MINIT does the check, once every extension is loaded. */
static ZEND_INI_MH(OnUpdateKsSerializer)
{
	zend_long *p = (zend_long *) ZEND_INI_GET_ADDR();

	if (zend_string_equals_literal(new_value, "php") || ZSTR_LEN(new_value) == 0) {
		*p = KS_CACHE_SER_PHP;
	} else if (zend_string_equals_literal(new_value, "igbinary")) {
		if (stage != ZEND_INI_STAGE_STARTUP && stage != ZEND_INI_STAGE_DEACTIVATE
				&& !zend_hash_str_exists(&module_registry, "igbinary", sizeof("igbinary") - 1)) {
			php_error_docref(NULL, E_WARNING, "%s=igbinary is refused: igbinary is not loaded; keeping the current serializer",
				ZSTR_VAL(entry->name));
			return FAILURE;
		}
		*p = ks_cache_igbinary_missing ? KS_CACHE_SER_PHP : KS_CACHE_SER_IGBINARY;
	} else {
		php_error_docref(NULL, E_WARNING, "%s must be 'php' or 'igbinary', got '%s'; keeping 'php'",
			ZSTR_VAL(entry->name), ZSTR_VAL(new_value));
		return FAILURE;
	}
	ks_cache_apc_mirror(entry, new_value, stage);
	return SUCCESS;
}

/* OnUpdateBool, plus the apc.* twin's read-back. */
static ZEND_INI_MH(OnUpdateKsBool)
{
	if (OnUpdateBool(entry, new_value, mh_arg1, mh_arg2, mh_arg3, stage) != SUCCESS) {
		return FAILURE;
	}
	ks_cache_apc_mirror(entry, new_value, stage);
	return SUCCESS;
}

#ifdef ZTS
# define KS_CACHE_INI_GLOBALS ((void *) &keepsake_globals_id)
#else
# define KS_CACHE_INI_GLOBALS ((void *) &keepsake_globals)
#endif
#define KS_CACHE_INI_LONG(name, def, scope, min, field) \
	ZEND_INI_ENTRY3_EX(name, def, scope, OnUpdateKsPositive, \
		(void *) XtOffsetOf(zend_keepsake_globals, cache.field), KS_CACHE_INI_GLOBALS, \
		(void *) (uintptr_t) (min), NULL)

static const zend_ini_entry_def ks_cache_ini[] = {
	STD_PHP_INI_BOOLEAN("keepsake.cache.enabled", "1", PHP_INI_SYSTEM, OnUpdateKsBool,
		cache.enabled, zend_keepsake_globals, keepsake_globals)
	STD_PHP_INI_BOOLEAN("keepsake.cache.enable_cli", "0", PHP_INI_SYSTEM, OnUpdateKsBool,
		cache.enable_cli, zend_keepsake_globals, keepsake_globals)
	STD_PHP_INI_BOOLEAN("keepsake.cache.apcu_compat", "0", PHP_INI_SYSTEM, OnUpdateBool,
		cache.apcu_compat, zend_keepsake_globals, keepsake_globals)
	STD_PHP_INI_ENTRY("keepsake.cache.size", "32M", PHP_INI_SYSTEM, OnUpdateKsSize,
		cache.size, zend_keepsake_globals, keepsake_globals)
	STD_PHP_INI_ENTRY("keepsake.cache.shards", "8", PHP_INI_SYSTEM, OnUpdateKsShards,
		cache.shards, zend_keepsake_globals, keepsake_globals)
	STD_PHP_INI_ENTRY("keepsake.cache.serializer", "php", PHP_INI_SYSTEM, OnUpdateKsSerializer,
		cache.serializer, zend_keepsake_globals, keepsake_globals)
	KS_CACHE_INI_LONG("keepsake.cache.ttl", "0", PHP_INI_ALL, 0, ttl)
	KS_CACHE_INI_LONG("keepsake.cache.lock_timeout", "1000", PHP_INI_ALL, 1, lock_timeout)
	KS_CACHE_INI_LONG("keepsake.cache.entry_timeout", "30", PHP_INI_ALL, 1, entry_timeout)
	STD_PHP_INI_BOOLEAN("keepsake.cache.zero_copy", "1", PHP_INI_ALL, OnUpdateBool,
		cache.zero_copy, zend_keepsake_globals, keepsake_globals)
	KS_CACHE_INI_LONG("keepsake.cache.zero_copy_max_pin", "60", PHP_INI_ALL, 0, zero_copy_max_pin)
#ifdef KEEPSAKE_DEBUG
	KS_CACHE_INI_LONG("keepsake.cache.debug_lock_pause", "0", PHP_INI_ALL, 0, debug_lock_pause)
#endif
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0 }
};

/* ---- APCu aliases ---------------------------------------------------------- */

#define KS_CACHE_ALIAS(apcu, ours) KS_RAW_FENTRY(#apcu, zif_##ours, arginfo_##ours, 0)

/* Handed to cache_apcu.c, which registers them under the "apcu" module
 * entry: the arginfo they need is generated into this file only. */
static const zend_function_entry ks_cache_apcu_functions[] = {
	KS_CACHE_ALIAS(apcu_enabled, keepsake_cache_enabled)
	KS_CACHE_ALIAS(apcu_store, keepsake_cache_store)
	KS_CACHE_ALIAS(apcu_add, keepsake_cache_add)
	KS_CACHE_ALIAS(apcu_fetch, keepsake_cache_fetch)
	KS_CACHE_ALIAS(apcu_exists, keepsake_cache_exists)
	KS_CACHE_ALIAS(apcu_delete, keepsake_cache_delete)
	KS_CACHE_ALIAS(apcu_inc, keepsake_cache_inc)
	KS_CACHE_ALIAS(apcu_dec, keepsake_cache_dec)
	KS_CACHE_ALIAS(apcu_cas, keepsake_cache_cas)
	KS_CACHE_ALIAS(apcu_entry, keepsake_cache_entry)
	KS_CACHE_ALIAS(apcu_clear_cache, keepsake_cache_clear)
	KS_CACHE_ALIAS(apcu_cache_info, keepsake_cache_info)
	KS_CACHE_ALIAS(apcu_key_info, keepsake_cache_key_info)
	KS_CACHE_ALIAS(apcu_sma_info, keepsake_cache_sma_info)
	ZEND_FE_END
};

/* ---- segment ---------------------------------------------------------------- */

static void ks_cache_map(void)
{
	size_t size = (size_t) KEEPSAKE_G(cache.size);
	void *mem;
	int rc;

	if (!KEEPSAKE_G(cache.enabled)) {
		return;
	}
	if (!KEEPSAKE_G(cache.enable_cli) && sapi_module.name && strcmp(sapi_module.name, "cli") == 0) {
		return;
	}
	if (size / (size_t) KEEPSAKE_G(cache.shards) < KS_CACHE_SHARD_MIN * 2) {
		php_error_docref(NULL, E_WARNING, "keepsake.cache.size (%zu bytes) is too small for %ld shards; the cache is disabled",
			size, (long) KEEPSAKE_G(cache.shards));
		return;
	}
	if (size / (size_t) KEEPSAKE_G(cache.shards) > ((size_t) 4000 << 20)) {
		php_error_docref(NULL, E_WARNING, "keepsake.cache.size / keepsake.cache.shards must stay under 4000M per shard; raise keepsake.cache.shards; the cache is disabled");
		return;
	}
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		php_error_docref(NULL, E_WARNING, "cannot map %zu bytes of shared memory for keepsake.cache.size: %s; the cache is disabled",
			size, strerror(errno));
		return;
	}
	rc = ks_cache_store_init(mem, size, (uint32_t) KEEPSAKE_G(cache.shards), (int64_t) time(NULL));
	if (rc != 0) {
		php_error_docref(NULL, E_WARNING, "cannot set up the cache segment: %s; the cache is disabled", strerror(rc));
		munmap(mem, size);
		return;
	}
	ks_cache_segment = mem;
	ks_cache_mapped = size;
}

/* A fork child (pcntl_fork) inherits the parent's queued reads; the parent
 * applies them, so the child drops its copy. In ZTS the child's one thread is
 * a copy of the forking one, whose queue is the one to drop (other threads'
 * queues are not in the child), and a fork from a thread without PHP has
 * none. */
static void ks_cache_atfork_child(void)
{
	if (ks_thread_has_php()) {
		KEEPSAKE_G(cache.reads).n = 0;
		ks_cache_zc_fork_child();
	}
}

/* Zero-copy values handed out in this request are inherited by a fork
 * child: it gets a slot pinned at our epoch (ks_cache_epoch.h). */
static void ks_cache_atfork_prepare(void)
{
	if (ks_thread_has_php()) {
		ks_cache_zc_fork_prepare();
	}
}

static void ks_cache_atfork_parent(void)
{
	if (ks_thread_has_php()) {
		ks_cache_zc_fork_parent();
	}
}

/* After MINIT's igbinary fallback: the setting (and its apc.* twin) reads
 * back 'php', the serializer in effect. */
static void ks_cache_ini_read_back_php(void)
{
	zend_ini_entry *e = zend_hash_str_find_ptr(EG(ini_directives), ZEND_STRL("keepsake.cache.serializer"));
	zend_string *php = zend_string_init("php", 3, 1);

	KEEPSAKE_G(cache.serializer) = KS_CACHE_SER_PHP;
	if (e) {
		if (e->value) {
			zend_string_release(e->value);
		}
		e->value = php;
		ks_cache_apc_mirror(e, php, ZEND_INI_STAGE_STARTUP);
	} else {
		zend_string_release(php);
	}
}

zend_result ks_cache_minit(int type, int module_number)
{
	zend_register_ini_entries_ex(ks_cache_ini, module_number, type);
	register_cache_symbols(module_number);
	if (zend_register_functions(NULL, ext_functions, NULL, type) != SUCCESS) {
		return FAILURE;
	}
	ks_cache_iter_register(register_class_Keepsake_CacheIterator(zend_ce_iterator));
#ifdef KEEPSAKE_DEBUG
	/* issue 13: test hooks of the immutable value layout (cache_debug.c) */
	if (ks_cache_debug_register(type) != SUCCESS) {
		return FAILURE;
	}
#endif
	if (KEEPSAKE_G(cache.apcu_compat)) {
		/* before the checks and the mapping: apc.* INI names feed them */
		ks_cache_apcu_register(type, module_number, ks_cache_apcu_functions);
	}
	if (KEEPSAKE_G(cache.serializer) == KS_CACHE_SER_IGBINARY
			&& !zend_hash_str_exists(&module_registry, "igbinary", sizeof("igbinary") - 1)) {
		/* name what the user wrote: keepsake's name wins when both are set */
		zend_string *ours = zend_string_init(ZEND_STRL("keepsake.cache.serializer"), 0);
		const char *name = !zend_get_configuration_directive(ours)
			&& zend_hash_str_exists(EG(ini_directives), ZEND_STRL("apc.serializer"))
			&& KEEPSAKE_G(cache.apcu_compat) ? "apc.serializer" : "keepsake.cache.serializer";
		zend_string_release(ours);
		php_error_docref(NULL, E_WARNING, "%s=igbinary but igbinary is not loaded; using 'php'", name);
		ks_cache_igbinary_missing = true;
		ks_cache_ini_read_back_php();
	}
	ks_cache_map();
	if (ks_cache_segment && pthread_atfork(ks_cache_atfork_prepare, ks_cache_atfork_parent, ks_cache_atfork_child) != 0) {
		php_error_docref(NULL, E_WARNING, "cannot register the fork handler; read statistics may be counted twice after pcntl_fork()");
	}
	return SUCCESS;
}

zend_result ks_cache_mshutdown(int type, int module_number)
{
	ks_cache_zc_detach();
	if (ks_cache_segment) {
		munmap(ks_cache_segment, ks_cache_mapped);
		ks_cache_segment = NULL;
	}
	return SUCCESS;
}

zend_result ks_cache_rinit(void)
{
	return SUCCESS;
}

/*
 * entry()'s bookkeeping (request memory) and any lease it still names. Keys
 * still here belong to an entry() callback that unwound past entry() (a
 * bailout) without releasing its lease; this worker lives on, so free them
 * now rather than make other processes wait for entry_timeout. Called from
 * RSHUTDOWN and again from post-deactivate: other modules' RSHUTDOWN run
 * PHP code after ours (the session module writes through a user save
 * handler there), and an entry() there allocates the table anew, which
 * must not outlive the request's memory.
 */
static void ks_cache_entry_keys_release(void)
{
	if (KEEPSAKE_G(cache.entry_keys)) {
		zend_string *key;
		ZEND_HASH_FOREACH_STR_KEY(KEEPSAKE_G(cache.entry_keys), key) {
			ks_cache_ctx c;
			ks_cache_key k;
			if (!key || !ks_cache_segment) {
				continue;
			}
			ks_cache_ctx_init(&c, 1);
			ks_cache_key_init(&k, ZSTR_VAL(key), ZSTR_LEN(key), (uint64_t) zend_string_hash_val(key));
			ks_cache_store_unlease(&c, &k);
		} ZEND_HASH_FOREACH_END();
		zend_hash_destroy(KEEPSAKE_G(cache.entry_keys));
		FREE_HASHTABLE(KEEPSAKE_G(cache.entry_keys));
		KEEPSAKE_G(cache.entry_keys) = NULL;
	}
}

zend_result ks_cache_rshutdown(void)
{
	/* never make a request wait for statistics */
	ks_cache_flush_reads(0);
	ks_cache_scratch_trim();
	ks_cache_entry_keys_release();
	return SUCCESS;
}

void ks_cache_ginit(struct ks_cache_globals *g)
{
	memset(&g->scratch, 0, sizeof(g->scratch));
	memset(&g->reads, 0, sizeof(g->reads));
	g->entry_keys = NULL;
	ks_cache_epoch_proc_init(&g->zc_proc);
}

zend_result ks_cache_post_deactivate(void)
{
	/* what PHP code run by later modules' RSHUTDOWN left (see above) */
	ks_cache_entry_keys_release();
	/* every variable of the request is destroyed by now: nothing can read
	 * a zero-copy value any more */
	ks_cache_zc_request_end();
	return SUCCESS;
}

void ks_cache_gshutdown(struct ks_cache_globals *g)
{
	ks_cache_buf_free(&g->scratch);
}

void ks_cache_minfo(void)
{
	char buf[64];
	ks_cache_stats s;

	php_info_print_table_row(2, "Cache enabled", ks_cache_segment ? "yes" : "no");
	if (!ks_cache_segment) {
		return;
	}
	ks_cache_store_stats(ks_cache_segment, &s);
	snprintf(buf, sizeof(buf), "%zu bytes", ks_cache_mapped);
	php_info_print_table_row(2, "Cache segment size", buf);
	snprintf(buf, sizeof(buf), "%u", ks_cache_segment->nshards);
	php_info_print_table_row(2, "Cache shards", buf);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long) s.entries);
	php_info_print_table_row(2, "Cache entries", buf);
	snprintf(buf, sizeof(buf), "%llu of %llu bytes", (unsigned long long) s.mem_used, (unsigned long long) s.mem_total);
	php_info_print_table_row(2, "Cache memory used", buf);
}
