/*
 * cache_apcu.c: the APCu drop-in (keepsake.cache.apcu_compat=1 while APCu
 * itself is not loaded).
 *
 * Code that probes for APCu asks three things: do the apcu_* functions
 * exist, is the "apcu" extension loaded (extension_loaded, phpversion), and
 * is it enabled (ini_get('apc.enabled')). So this mode registers, from the
 * keepsake module's MINIT:
 *
 *  - a second module entry named "apcu" (ks_cache_apcu_module), version
 *    KS_CACHE_APCU_VERSION, that owns the apcu_* functions (aliases of
 *    keepsake_cache_*), the APCUIterator class (a subclass of
 *    Keepsake\CacheIterator, so get_class() answers APCUIterator as in
 *    APCu), the APC_* constants and the apc.* INI entries. Owning them is
 *    what makes get_extension_funcs('apcu'), ReflectionExtension('apcu'),
 *    `php --re apcu`, ini_get_all('apcu') and phpinfo's "apcu" section show
 *    them as APCu would;
 *  - the apc.* INI names. Five are aliases (ks_cache_apc_twins): their value is
 *    handed to the keepsake.cache.* twin's own handler, so the twin's checks
 *    and warnings apply. Each pair acts as one setting at every stage: the
 *    twin's handler, once it accepts a value, copies it to the other name
 *    (ks_cache_apc_mirror), so both read back the value in effect after
 *    php.ini, a php-fpm pool's php_admin_value, a per-directory value or an
 *    ini_set(), and what the engine undoes at the end of a request is undone
 *    for both. When both names are set in php.ini, keepsake's wins (with
 *    one warning if the values differ). The others are accepted, read back,
 *    and shown in phpinfo as ignored.
 *
 * Startup order: MINIT runs from zend_startup_modules(), which walks
 * module_registry with zend_hash_apply(); a module appended during the walk
 * is reached at its end and marked started like any other (it has no hooks
 * of its own). Its entry is static and handle-less, so nothing is unloaded
 * for it, and module_registry is destroyed in reverse order: the alias goes
 * before the keepsake module whose memory holds it. The apc.* entries are
 * registered before the segment is mapped, because apc.shm_size and
 * apc.enabled decide the mapping. A keepsake loaded with dl() (a temporary
 * module, unloaded at the end of the request) registers no second module:
 * the names then belong to keepsake's own module.
 */
#include "php_keepsake.h"
#include "php_ini.h"
#include "php_main.h"
#include "SAPI.h"
#include "ext/standard/info.h"
#include "cache/ks_cache_apcu.h"
#include "cache/ks_cache_ctx.h"
#include "cache/ks_cache_iter.h"
#include "cache/ks_cache_defs.h"

/* what phpversion('apcu') answers: the APCu release whose API keepsake
 * mirrors (Debian 12's php8.2-apcu) */
#define KS_CACHE_APCU_VERSION "5.1.22"

static zend_class_entry *ks_cache_apcu_iter_ce = NULL;

/* ---- apc.* INI ------------------------------------------------------------ */

/* An apc.* alias and its keepsake twin. */
typedef struct ks_cache_apc_twin {
	const char *apc;
	const char *ours;
} ks_cache_apc_twin;

static const ks_cache_apc_twin ks_cache_apc_twins[] = {
	{ "apc.enabled", "keepsake.cache.enabled" },
	{ "apc.enable_cli", "keepsake.cache.enable_cli" },
	{ "apc.shm_size", "keepsake.cache.size" },
	{ "apc.ttl", "keepsake.cache.ttl" },
	{ "apc.serializer", "keepsake.cache.serializer" },
};

static zend_ini_entry *ks_cache_ini_find(const char *name)
{
	return zend_hash_str_find_ptr(EG(ini_directives), name, strlen(name));
}

static bool ks_cache_ini_configured(zend_string *name)
{
	return zend_get_configuration_directive(name) != NULL;
}

/* Runs the twin's handler on the alias's value (mh_arg1 names the twin).
 * The entry passed on is the alias, so a warning names what the user
 * wrote; the twin's handler arguments say where the value goes. */
static ZEND_INI_MH(OnUpdateKsApcAlias)
{
	zend_ini_entry *twin = ks_cache_ini_find((const char *) mh_arg1);
	zend_string *v = new_value;
	int rc;

	if (!twin || !twin->on_modify) {
		return FAILURE;
	}
	if (stage == ZEND_INI_STAGE_STARTUP && ks_cache_ini_configured(twin->name)) {
		return SUCCESS;  /* keepsake's own name was set: it wins */
	}
	if (zend_string_equals_literal(entry->name, "apc.serializer") && zend_string_equals_literal(new_value, "default")) {
		/* APCu's name for "no serializer of choice"; keepsake's arrays never
		 * use one, and objects take PHP's */
		v = zend_string_init("php", 3, 1);
	}
	rc = twin->on_modify(entry, v, twin->mh_arg1, twin->mh_arg2, twin->mh_arg3, stage);
	if (v != new_value) {
		zend_string_release(v);
	}
	return rc;
}

static void ks_cache_ini_set_value(zend_ini_entry *e, zend_string *v)
{
	zend_string *old = e->value;

	e->value = v ? zend_string_copy(v) : NULL;
	if (old) {
		zend_string_release(old);
	}
}

static ZEND_INI_MH(OnUpdateKsApcAlias);

/* The other name of entry's pair, or NULL: none before the apc.* names are
 * registered, and none when they are APCu's own (APCu loaded too). */
static zend_ini_entry *ks_cache_apc_partner(const zend_ini_entry *entry)
{
	size_t i;

	for (i = 0; i < sizeof(ks_cache_apc_twins) / sizeof(ks_cache_apc_twins[0]); i++) {
		if (zend_string_equals_cstr(entry->name, ks_cache_apc_twins[i].apc, strlen(ks_cache_apc_twins[i].apc))) {
			return ks_cache_ini_find(ks_cache_apc_twins[i].ours);
		}
		if (zend_string_equals_cstr(entry->name, ks_cache_apc_twins[i].ours, strlen(ks_cache_apc_twins[i].ours))) {
			zend_ini_entry *apc = ks_cache_ini_find(ks_cache_apc_twins[i].apc);
			return apc && apc->on_modify == OnUpdateKsApcAlias ? apc : NULL;
		}
	}
	return NULL;
}

/* The partner's value string follows entry's the way the engine changes
 * entry's: while entry is marked modified (ini_set, .user.ini, per-dir
 * values) the engine restores it at the end of the request, so the partner
 * is marked modified too and restored with it (its handler then resets
 * the shared storage to the same original value). Otherwise the change is
 * permanent (startup, php-fpm's pool php_admin_value, which sets the value
 * for the worker's life) and so is the partner's, in persistent memory.
 * During that restore (DEACTIVATE) the engine puts both back itself. */
void ks_cache_apc_mirror(zend_ini_entry *entry, zend_string *value, int stage)
{
	zend_ini_entry *partner = ks_cache_apc_partner(entry);

	if (!partner || stage == ZEND_INI_STAGE_DEACTIVATE
			|| (partner->value && zend_string_equals(partner->value, value))) {
		return;
	}
	if (entry->modified || partner->modified) {
		if (!EG(modified_ini_directives)) {
			ALLOC_HASHTABLE(EG(modified_ini_directives));
			zend_hash_init(EG(modified_ini_directives), 8, NULL, NULL, 0);
		}
		if (!partner->modified) {
			partner->orig_value = partner->value;
			partner->orig_modifiable = partner->modifiable;
			partner->modified = 1;
			zend_hash_add_ptr(EG(modified_ini_directives), partner->name, partner);
		} else if (partner->value != partner->orig_value) {
			zend_string_release(partner->value);
		}
		partner->value = zend_string_copy(value);
		return;
	}
	value = zend_string_init(ZSTR_VAL(value), ZSTR_LEN(value), 1);
	ks_cache_ini_set_value(partner, value);
	zend_string_release(value);
}

/* The value as PHP's default displayer prints it, then a note. */
static void ks_cache_apc_display(zend_ini_entry *ini_entry, int type, const char *note)
{
	zend_string *v = type == ZEND_INI_DISPLAY_ORIG && ini_entry->modified ? ini_entry->orig_value : ini_entry->value;

	if (v && ZSTR_LEN(v)) {
		if (sapi_module.phpinfo_as_text) {
			PHPWRITE(ZSTR_VAL(v), ZSTR_LEN(v));
		} else {
			php_html_puts(ZSTR_VAL(v), ZSTR_LEN(v));
		}
	} else {
		php_printf("%s", sapi_module.phpinfo_as_text ? "no value" : "<i>no value</i>");
	}
	php_printf(" (%s)", note);
}

static ZEND_INI_DISP(ks_cache_apc_alias_disp)
{
	char note[64];

	snprintf(note, sizeof(note), "sets %s", (const char *) ini_entry->mh_arg1);
	ks_cache_apc_display(ini_entry, type, note);
}

static ZEND_INI_DISP(ks_cache_apc_ignored_disp)
{
	ks_cache_apc_display(ini_entry, type, "ignored by keepsake");
}

#define KS_CACHE_APC_ALIAS(name, def, twin) \
	ZEND_INI_ENTRY1_EX(name, def, PHP_INI_SYSTEM, OnUpdateKsApcAlias, (void *) twin, ks_cache_apc_alias_disp)
#define KS_CACHE_APC_IGNORED(name, def, scope) \
	ZEND_INI_ENTRY3_EX(name, def, scope, NULL, NULL, NULL, NULL, ks_cache_apc_ignored_disp)

/* APCu 5.1's names, defaults and scopes. */
static const zend_ini_entry_def ks_cache_apc_ini[] = {
	KS_CACHE_APC_ALIAS("apc.enabled", "1", "keepsake.cache.enabled")
	KS_CACHE_APC_ALIAS("apc.enable_cli", "0", "keepsake.cache.enable_cli")
	KS_CACHE_APC_ALIAS("apc.shm_size", "32M", "keepsake.cache.size")
	KS_CACHE_APC_ALIAS("apc.ttl", "0", "keepsake.cache.ttl")
	KS_CACHE_APC_ALIAS("apc.serializer", "php", "keepsake.cache.serializer")
	KS_CACHE_APC_IGNORED("apc.entries_hint", "4096", PHP_INI_SYSTEM)
	KS_CACHE_APC_IGNORED("apc.gc_ttl", "3600", PHP_INI_SYSTEM)
	KS_CACHE_APC_IGNORED("apc.use_request_time", "0", PHP_INI_ALL)
	KS_CACHE_APC_IGNORED("apc.slam_defense", "0", PHP_INI_SYSTEM)
	KS_CACHE_APC_IGNORED("apc.smart", "0", PHP_INI_SYSTEM)
	KS_CACHE_APC_IGNORED("apc.mmap_file_mask", NULL, PHP_INI_SYSTEM)
	KS_CACHE_APC_IGNORED("apc.preload_path", NULL, PHP_INI_SYSTEM)
	KS_CACHE_APC_IGNORED("apc.coredump_unmap", "0", PHP_INI_SYSTEM)
	KS_CACHE_APC_IGNORED("apc.shm_segments", "1", PHP_INI_SYSTEM)
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0 }
};

/* After both sets are registered: make each pair read back the value in
 * effect (ini_get('apc.shm_size') and ini_get('keepsake.cache.size') agree). */
static void ks_cache_apc_ini_sync(void)
{
	size_t i;

	for (i = 0; i < sizeof(ks_cache_apc_twins) / sizeof(ks_cache_apc_twins[0]); i++) {
		zend_ini_entry *apc = ks_cache_ini_find(ks_cache_apc_twins[i].apc);
		zend_ini_entry *ours = ks_cache_ini_find(ks_cache_apc_twins[i].ours);
		zval *apc_set, *ours_set;

		if (!apc || !ours) {
			continue;
		}
		apc_set = zend_get_configuration_directive(apc->name);
		ours_set = zend_get_configuration_directive(ours->name);
		if (ours_set) {
			if (apc_set && Z_TYPE_P(apc_set) == IS_STRING && Z_TYPE_P(ours_set) == IS_STRING
					&& !zend_string_equals(Z_STR_P(apc_set), Z_STR_P(ours_set))) {
				php_error_docref(NULL, E_WARNING, "%s=%s is ignored: %s=%s is set too and wins",
					ZSTR_VAL(apc->name), Z_STRVAL_P(apc_set), ZSTR_VAL(ours->name), Z_STRVAL_P(ours_set));
			}
			ks_cache_ini_set_value(apc, ours->value);
		}
		/* otherwise the twin's handler already mirrored the alias's value
		 * (ks_cache_apc_mirror), as "php" for apc.serializer=default */
	}
}

/* ---- the "apcu" module ------------------------------------------------------- */

static PHP_MINFO_FUNCTION(ks_cache_apcu)
{
	php_info_print_table_start();
	php_info_print_table_row(2, "APCu Support", ks_cache_segment ? "Enabled" : "Disabled");
	php_info_print_table_row(2, "Version", KS_CACHE_APCU_VERSION);
	php_info_print_table_row(2, "Provided by", "keepsake " PHP_KEEPSAKE_VERSION " (keepsake.cache.apcu_compat=1): apcu_* are keepsake_cache_*");
	php_info_print_table_end();
	DISPLAY_INI_ENTRIES();
}

static zend_module_entry ks_cache_apcu_module = {
	STANDARD_MODULE_HEADER,
	"apcu",
	NULL,  /* the apcu_* functions: set by ks_cache_apcu_register */
	NULL,
	NULL,
	NULL,
	NULL,
	PHP_MINFO(ks_cache_apcu),
	KS_CACHE_APCU_VERSION,
	STANDARD_MODULE_PROPERTIES
};

static const struct { const char *name; zend_long value; } ks_cache_apc_constants[] = {
	{ "APC_LIST_ACTIVE", KS_CACHE_LIST_ACTIVE },
	{ "APC_LIST_DELETED", KS_CACHE_LIST_DELETED },
	{ "APC_ITER_TYPE", KS_CACHE_ITER_TYPE },
	{ "APC_ITER_KEY", KS_CACHE_ITER_KEY },
	{ "APC_ITER_VALUE", KS_CACHE_ITER_VALUE },
	{ "APC_ITER_NUM_HITS", KS_CACHE_ITER_NUM_HITS },
	{ "APC_ITER_MTIME", KS_CACHE_ITER_MTIME },
	{ "APC_ITER_CTIME", KS_CACHE_ITER_CTIME },
	{ "APC_ITER_DTIME", KS_CACHE_ITER_DTIME },
	{ "APC_ITER_ATIME", KS_CACHE_ITER_ATIME },
	{ "APC_ITER_REFCOUNT", KS_CACHE_ITER_REFCOUNT },
	{ "APC_ITER_MEM_SIZE", KS_CACHE_ITER_MEM_SIZE },
	{ "APC_ITER_TTL", KS_CACHE_ITER_TTL },
	{ "APC_ITER_NONE", KS_CACHE_ITER_NONE },
	{ "APC_ITER_ALL", KS_CACHE_ITER_ALL },
};

/* The class, constants and INI entries, owned by module `owner`. */
static zend_result ks_cache_apcu_symbols(int type, zend_module_entry *owner)
{
	zend_module_entry *saved = EG(current_module);
	zend_class_entry ce;
	size_t i;

	EG(current_module) = owner;  /* a class belongs to the module being registered */
	INIT_CLASS_ENTRY(ce, "APCUIterator", NULL);
	ks_cache_apcu_iter_ce = zend_register_internal_class_ex(&ce, ks_cache_iter_ce);
	EG(current_module) = saved;
	if (!ks_cache_apcu_iter_ce) {
		return FAILURE;
	}
	ks_cache_apcu_iter_ce->ce_flags |= ZEND_ACC_NOT_SERIALIZABLE;
	for (i = 0; i < sizeof(ks_cache_apc_constants) / sizeof(ks_cache_apc_constants[0]); i++) {
		zend_register_long_constant(ks_cache_apc_constants[i].name, strlen(ks_cache_apc_constants[i].name),
			ks_cache_apc_constants[i].value, CONST_PERSISTENT, owner->module_number);
	}
	if (zend_register_ini_entries_ex(ks_cache_apc_ini, owner->module_number, type) != SUCCESS) {
		return FAILURE;
	}
	ks_cache_apc_ini_sync();
	return SUCCESS;
}

void ks_cache_apcu_register(int type, int module_number, const zend_function_entry *functions)
{
	zend_module_entry *saved = EG(current_module);
	zend_module_entry *owner;

	if (zend_hash_str_exists(&module_registry, "apcu", sizeof("apcu") - 1)) {
		return;  /* APCu itself is loaded: its names win, keepsake keeps its own */
	}
	if (type == MODULE_PERSISTENT) {
		ks_cache_apcu_module.functions = functions;
		owner = zend_register_internal_module(&ks_cache_apcu_module);
		/* registering a module resets the engine's current module */
		EG(current_module) = saved;
	} else {
		owner = saved;
		if (zend_register_functions(NULL, functions, NULL, type) != SUCCESS) {
			owner = NULL;
		}
	}
	if (!owner || ks_cache_apcu_symbols(type, owner) != SUCCESS) {
		php_error_docref(NULL, E_WARNING, "keepsake.cache.apcu_compat=1: the APCu names could not be registered");
	}
}
