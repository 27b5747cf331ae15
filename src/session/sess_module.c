/*
 * sess_module.c: the session part's module hooks: keepsake.session.* INI
 * entries (validated: a bad value gives one warning and is not applied, so
 * the previous value or the default stays), the "keepsake" save handler
 * registration, keepsake_session_stats() and the phpinfo() rows.
 * Nothing here touches Redis: connections open lazily in the first request
 * that uses one, never in MINIT.
 */
#include "php_keepsake.h"
#include "ext/standard/info.h"
#include "SAPI.h"
#include "session/ks_session.h"
#include "session/ks_sess_handler.h"
#include "session/ks_sess_store.h"
#include "session/ks_sess_codec.h"
#include "session/ks_sess_adopt.h"
#include "session/ks_sess_migrate.h"
#include "session/ks_sess_shared_stats.h"
#include "session/session_arginfo.h"
#include "redis/pool.h"
#ifdef KEEPSAKE_TLS
# include "redis/tls.h"
#endif

#include <math.h>

/* ---- INI validation ---------------------------------------------------- */

static zend_result bad_ini(zend_ini_entry *entry, zend_string *v, const char *want)
{
	php_error_docref(NULL, E_WARNING, "Invalid value \"%s\" for %s: want %s; the setting was not changed",
		v ? ZSTR_VAL(v) : "", ZSTR_VAL(entry->name), want);
	return FAILURE;
}

static bool parse_long_str(zend_string *v, zend_long *out)
{
	char *end;
	zend_long l;
	if (!v || ZSTR_LEN(v) == 0) {
		return false;
	}
	errno = 0;
	l = ZEND_STRTOL(ZSTR_VAL(v), &end, 10);
	if (errno || *end) {
		return false;
	}
	*out = l;
	return true;
}

/* A save_path default changed: the worker's parsed save_path is stale
 * (handler.c parses it again at the next PS_OPEN). Addressed like the
 * setting itself, through the handler's base (a TSRM slot under ZTS). */
static void bump_settings_gen(void *mh_arg2)
{
	(*(uint64_t *)(ZEND_INI_GET_BASE() + XtOffsetOf(zend_keepsake_globals, sess.settings_gen)))++;
}

/* The bounds of an integer setting, carried in its mh_arg3. The upper ones
 * keep every conversion in range: milliseconds end up in an int (poll, a
 * BLPOP timeout), levels and database numbers in an int or a long. */
typedef struct ks_ini_range {
	zend_long min, max;
} ks_ini_range;

static const ks_ini_range ks_range_ms = { 0, KS_SESS_MAX_MS };
static const ks_ini_range ks_range_ms_pos = { 1, KS_SESS_MAX_MS };
static const ks_ini_range ks_range_wait_ms = { -1, KS_SESS_MAX_MS };
static const ks_ini_range ks_range_int = { 0, INT_MAX };
static const ks_ini_range ks_range_bytes = { 0, ZEND_LONG_MAX };

/* An integer within the ks_ini_range that mh_arg3 points to. */
static ZEND_INI_MH(ks_on_update_long_range)
{
	const ks_ini_range *r = (const ks_ini_range *)mh_arg3;
	zend_long l;
	zend_long *p = (zend_long *)ZEND_INI_GET_ADDR();
	if (!parse_long_str(new_value, &l) || l < r->min || l > r->max) {
		char want[96];
		snprintf(want, sizeof(want), "an integer from " ZEND_LONG_FMT " to " ZEND_LONG_FMT, r->min, r->max);
		return bad_ini(entry, new_value, want);
	}
	*p = l;
	bump_settings_gen(mh_arg2);   /* needless for the lock and compression settings, and harmless */
	return SUCCESS;
}

static ZEND_INI_MH(ks_on_update_seconds)
{
	double *p = (double *)ZEND_INI_GET_ADDR();
	char *end;
	double d;
	if (!new_value || !ZSTR_LEN(new_value)) {
		return bad_ini(entry, new_value, "seconds > 0, e.g. 1.5");
	}
	d = zend_strtod(ZSTR_VAL(new_value), (const char **)&end);
	if (*end || !(d > 0) || !isfinite(d) || d > KS_REDIS_MAX_TIMEOUT_S) {
		return bad_ini(entry, new_value, "seconds > 0 (at most 86400), e.g. 1.5");
	}
	*p = d;
	bump_settings_gen(mh_arg2);
	return SUCCESS;
}

static ZEND_INI_MH(ks_on_update_action)
{
	zend_long *p = (zend_long *)ZEND_INI_GET_ADDR();
	if (new_value && zend_string_equals_literal_ci(new_value, "fail")) {
		*p = KS_SESS_ACTION_FAIL;
	} else if (new_value && zend_string_equals_literal_ci(new_value, "readonly")) {
		*p = KS_SESS_ACTION_READONLY;
	} else {
		return bad_ini(entry, new_value, "fail or readonly");
	}
	return SUCCESS;
}

/* keepsake.session.migrate_from: the values of ks_sess_adopt_from. */
static ZEND_INI_MH(ks_on_update_migrate_from)
{
	zend_long *p = (zend_long *)ZEND_INI_GET_ADDR();
	if (new_value && (zend_string_equals_literal_ci(new_value, "none") || ZSTR_LEN(new_value) == 0)) {
		*p = KS_SESS_ADOPT_FROM_NONE;
	} else if (new_value && zend_string_equals_literal_ci(new_value, "phpredis")) {
		*p = KS_SESS_ADOPT_FROM_PHPREDIS;
	} else if (new_value && zend_string_equals_literal_ci(new_value, "files")) {
		*p = KS_SESS_ADOPT_FROM_FILES;
	} else {
		return bad_ini(entry, new_value, "none, phpredis or files");
	}
	return SUCCESS;
}

static ZEND_INI_MH(ks_on_update_compression)
{
	zend_long *p = (zend_long *)ZEND_INI_GET_ADDR();
	zend_long algo;
	if (new_value && (zend_string_equals_literal_ci(new_value, "none") || ZSTR_LEN(new_value) == 0)) {
		algo = KS_SESS_COMPRESS_NONE;
	} else if (new_value && zend_string_equals_literal_ci(new_value, "lz4")) {
		algo = KS_SESS_COMPRESS_LZ4;
	} else if (new_value && zend_string_equals_literal_ci(new_value, "zstd")) {
		algo = KS_SESS_COMPRESS_ZSTD;
	} else {
		return bad_ini(entry, new_value, "none, lz4 or zstd");
	}
	if (!ks_sess_codec_available(algo)) {
		return bad_ini(entry, new_value, "a compression this build has (it was built without it)");
	}
	*p = algo;
	return SUCCESS;
}

/* PHP's string and boolean handlers, and a bump of settings_gen. */
static ZEND_INI_MH(ks_on_update_param_string)
{
	if (OnUpdateString(entry, new_value, mh_arg1, mh_arg2, mh_arg3, stage) == FAILURE) {
		return FAILURE;
	}
	bump_settings_gen(mh_arg2);
	return SUCCESS;
}

static ZEND_INI_MH(ks_on_update_param_bool)
{
	if (OnUpdateBool(entry, new_value, mh_arg1, mh_arg2, mh_arg3, stage) == FAILURE) {
		return FAILURE;
	}
	bump_settings_gen(mh_arg2);
	return SUCCESS;
}

/*
 * auth and sentinel_auth are secrets: phpinfo()'s INI table (and php -i)
 * shows a mask. Only the display: ini_get() and ini_get_all() return the
 * value in clear, as for every PHP INI setting, and PHP's own warnings
 * quote session.save_path as written (docs/session.md, "Passwords").
 */
static ZEND_INI_DISP(ks_display_secret)
{
	zend_string *v = (type == ZEND_INI_DISPLAY_ORIG && ini_entry->modified) ? ini_entry->orig_value : ini_entry->value;
	if (v && ZSTR_LEN(v)) {
		PUTS("********");
	} else if (sapi_module.phpinfo_as_text) {
		PUTS("no value");
	} else {
		PUTS("<i>no value</i>");
	}
}

#ifdef ZTS
# define KS_GLOBALS_BASE ((void *)&keepsake_globals_id)
#else
# define KS_GLOBALS_BASE ((void *)&keepsake_globals)
#endif
#define KS_LONG_RANGE(name, def, field, range) \
	ZEND_INI_ENTRY3_EX(name, def, PHP_INI_ALL, ks_on_update_long_range, \
		(void *)XtOffsetOf(zend_keepsake_globals, sess.field), KS_GLOBALS_BASE, (void *)(range), NULL)

/* The INI entry of a save_path default, by its kind (ks_sess_params.h). */
#define KS_INI_ENTRY(setting, handler, def, arg3, disp) \
	ZEND_INI_ENTRY3_EX("keepsake.session." #setting, def, PHP_INI_ALL, handler, \
		(void *)XtOffsetOf(zend_keepsake_globals, sess.setting), KS_GLOBALS_BASE, (void *)(arg3), disp)
#define KS_INI_SECONDS(setting, def) KS_INI_ENTRY(setting, ks_on_update_seconds, def, NULL, NULL)
#define KS_INI_UINT(setting, def)    KS_INI_ENTRY(setting, ks_on_update_long_range, def, &ks_range_int, NULL)
#define KS_INI_MS(setting, def)      KS_INI_ENTRY(setting, ks_on_update_long_range, def, &ks_range_ms_pos, NULL)
#define KS_INI_BOOL(setting, def)    KS_INI_ENTRY(setting, ks_on_update_param_bool, def, NULL, zend_ini_boolean_displayer_cb)
#define KS_INI_STR(setting, def)     KS_INI_ENTRY(setting, ks_on_update_param_string, def, NULL, NULL)
#define KS_INI_SECRET(setting, def)  KS_INI_ENTRY(setting, ks_on_update_param_string, def, NULL, ks_display_secret)
#define KS_INI_PARAM_C(setting, kind, def, field) KS_INI_##kind(setting, def)
#define KS_INI_PARAM_O(name, kind, def) KS_INI_##kind(name, def)

/* ZEND_INI_GET_ADDR() adds mh_arg1 (offset) to mh_arg2 (base): the STD_
 * macros' convention, reused by the custom handlers above. */
static const zend_ini_entry_def ks_sess_ini[] = {
	STD_PHP_INI_BOOLEAN("keepsake.session.locking", "1", PHP_INI_ALL, OnUpdateBool, sess.locking,
		zend_keepsake_globals, keepsake_globals)
	KS_LONG_RANGE("keepsake.session.lock_ttl", "0", lock_ttl, &ks_range_ms)
	KS_LONG_RANGE("keepsake.session.lock_wait", "-1", lock_wait, &ks_range_wait_ms)
	STD_PHP_INI_ENTRY("keepsake.session.lock_timeout_action", "fail", PHP_INI_ALL, ks_on_update_action,
		sess.lock_timeout_action, zend_keepsake_globals, keepsake_globals)
	KS_SESS_PARAM_TABLE(KS_INI_PARAM_C, KS_INI_PARAM_O)
	STD_PHP_INI_ENTRY("keepsake.session.compression", "none", PHP_INI_ALL, ks_on_update_compression,
		sess.compression, zend_keepsake_globals, keepsake_globals)
	KS_LONG_RANGE("keepsake.session.compression_threshold", "1024", compression_threshold, &ks_range_bytes)
	KS_LONG_RANGE("keepsake.session.compression_level", "0", compression_level, &ks_range_int)
	STD_PHP_INI_ENTRY("keepsake.session.migrate_from", "none", PHP_INI_ALL, ks_on_update_migrate_from,
		sess.migrate_from, zend_keepsake_globals, keepsake_globals)
	STD_PHP_INI_ENTRY("keepsake.session.migrate_prefix", KS_SESS_MIG_PHPREDIS_PREFIX, PHP_INI_ALL, OnUpdateString,
		sess.migrate_prefix, zend_keepsake_globals, keepsake_globals)
	STD_PHP_INI_ENTRY("keepsake.session.migrate_path", "", PHP_INI_ALL, OnUpdateString,
		sess.migrate_path, zend_keepsake_globals, keepsake_globals)
PHP_INI_END()

/* ---- hooks -------------------------------------------------------------- */

zend_result ks_sess_minit(int type, int module_number)
{
	if (zend_register_ini_entries_ex(ks_sess_ini, module_number, type) == FAILURE) {
		return FAILURE;
	}
	if (zend_register_functions(NULL, ext_functions, NULL, type) == FAILURE) {
		return FAILURE;
	}
	ks_sess_store_minit();
	/* The all-workers counters are optional: without their page (it warned)
	 * sessions work, and keepsake_session_stats(true) reports this process's
	 * counters with all_workers false, as the cache carries on disabled
	 * when its segment is refused. */
	(void)ks_sess_shared_minit();
	return php_session_register_module(&ks_sess_ps_module);
}

zend_result ks_sess_mshutdown(int type, int module_number)
{
	ks_sess_shared_mshutdown();
	return SUCCESS;
}

zend_result ks_sess_rinit(void)
{
	ks_sess_shared_rinit();
	return SUCCESS;
}
/* The connection must outlive RSHUTDOWN: ext/session writes and closes
 * after us (it is loaded first, so its RSHUTDOWN runs last). */
zend_result ks_sess_rshutdown(void) { return SUCCESS; }

void ks_sess_ginit(struct ks_sess_globals *g)
{
	memset(g, 0, sizeof(*g));
	/* Persistent (malloc): the counters live as long as the worker. The
	 * globals hold a pointer so that php_keepsake.h needs no Redis header. */
	g->redis = pecalloc(1, sizeof(*g->redis), 1);
}

/* Runs at module shutdown (per thread under ZTS): the worker's connections
 * and parsed save_path, then the TLS contexts they shared (tls.c keeps
 * them per thread). */
void ks_sess_gshutdown(struct ks_sess_globals *g)
{
	ks_redis_pool_free(g->pool);   /* closes without I/O if a parent owns the fds */
	g->pool = NULL;
	pefree(g->redis, 1);
	g->redis = NULL;
	ks_sess_forget_path(&g->path_src, &g->own);
#ifdef KEEPSAKE_TLS
	ks_redis_tls_cache_clear();
#endif
}

/* TLS contexts this worker built (each loads the CA bundle and the key): one
 * per set of tls_* parameters while they and their files stay the same. */
static uint64_t tls_contexts_built(void)
{
#ifdef KEEPSAKE_TLS
	return ks_redis_tls_ctx_builds();
#else
	return 0;
#endif
}

void ks_sess_minfo(void)
{
	char buf[1024];
	ks_redis_pool *p = KS_SG(pool);
	const ks_redis_conn *c = p ? ks_redis_pool_current(p) : NULL;
	bool spw;
	php_info_print_table_row(2, "hiredis version", ks_redis_library_version());
	php_info_print_table_row(2, "Session save handler", "keepsake");
	snprintf(buf, sizeof(buf), "none%s%s", ks_sess_codec_available(KS_SESS_COMPRESS_LZ4) ? ", lz4" : "",
		ks_sess_codec_available(KS_SESS_COMPRESS_ZSTD) ? ", zstd" : "");
	php_info_print_table_row(2, "Session compression", buf);
	/* Descriptions hold scheme, host and port only: never a password. */
	php_info_print_table_row(2, "Session Redis topology", p ? ks_redis_pool_topology(p) : "none yet");
	if (p) {
		ks_redis_pool_describe(p, buf, sizeof(buf));
		php_info_print_table_row(2, "Session Redis hosts", buf);
	}
	php_info_print_table_row(2, "Session Redis connection",
		c ? (ks_redis_conn_is_connected(c) ? ks_redis_conn_node(c) : "not connected") : "none yet");
	php_info_print_table_row(2, "Session Redis auth", (c && ks_redis_conn_has_auth(c))
		? "set (hidden)" : (KS_SG(auth) && *KS_SG(auth) ? "set (hidden)" : "none"));
	/* Shown before the first session too, from the INI default, like the auth row. */
	if (!p || !ks_redis_pool_sentinel_auth(p, &spw)) {
		spw = KS_SG(sentinel_auth) && *KS_SG(sentinel_auth);
	}
	php_info_print_table_row(2, "Session Redis sentinel auth", spw ? "set (hidden)" : "none");
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)KS_SG(redis)->round_trips);
	php_info_print_table_row(2, "Session round trips", buf);
#ifdef KEEPSAKE_DEBUG
	php_info_print_table_row(2, "Session debug hooks", "enabled (test build)");
#endif
}

/* ---- keepsake_session_stats() ------------------------------------------- */

static void add_u64(zval *arr, const char *key, uint64_t v)
{
	add_assoc_long(arr, key, v > ZEND_LONG_MAX ? ZEND_LONG_MAX : (zend_long)v);
}

PHP_FUNCTION(keepsake_session_stats)
{
	const ks_sess_stats *s = &KS_SG(stats);
	const ks_redis_counters *r = KS_SG(redis);
	ks_sess_stats all_stats;
	ks_redis_counters all_redis;
	bool all_workers = false;
	zval errors;
	int i;

	ZEND_PARSE_PARAMETERS_START(0, 1)
		Z_PARAM_OPTIONAL
		Z_PARAM_BOOL(all_workers)
	ZEND_PARSE_PARAMETERS_END();
	/* Without the area (refused at startup) these are this process's counters. */
	all_workers = all_workers && ks_sess_shared_snapshot(&all_stats, &all_redis);
	if (all_workers) {
		s = &all_stats;
		r = &all_redis;
	}
	array_init(return_value);
	add_u64(return_value, "lock_acquisitions", s->lock_acquisitions);
	add_u64(return_value, "lock_waits", s->lock_waits);
	add_u64(return_value, "lock_wait_ms_total", s->lock_wait_ms_total);
	add_u64(return_value, "lock_wait_ms_max", s->lock_wait_ms_max);
	add_u64(return_value, "lock_timeouts", s->lock_timeouts);
	add_u64(return_value, "lost_locks", s->lost_locks);
	add_u64(return_value, "release_resends", s->release_resends);
	add_u64(return_value, "readonly_sessions", s->readonly_sessions);
	add_u64(return_value, "replica_shortfalls", s->replica_shortfalls);
	add_u64(return_value, "round_trips", r->round_trips);
	add_u64(return_value, "commands", r->commands);
	add_u64(return_value, "connects", r->connects);
	add_u64(return_value, "reconnects", r->reconnects);
	add_u64(return_value, "tls_contexts_built", tls_contexts_built());
	/* Where sessions go: the topology, its hosts, and the node of the last session. */
	{
		const ks_redis_pool *p = KS_SG(pool);
		zval nodes;
		size_t h;

		add_assoc_string(return_value, "topology", p ? (char *)ks_redis_pool_topology(p) : "none");
		add_assoc_string(return_value, "node", !p || !ks_redis_pool_current(p) ? ""
			: (char *)ks_redis_conn_node(ks_redis_pool_current(p)));
		array_init(&nodes);
		for (h = 0; p && h < ks_redis_pool_nhosts(p); h++) {
			add_next_index_string(&nodes, ks_redis_pool_host_desc(p, h));
		}
		add_assoc_zval(return_value, "nodes", &nodes);
	}
	array_init(&errors);
	for (i = KS_SESS_ERR_NONE + 1; i < KS_SESS_ERR_COUNT; i++) {
		add_u64(&errors, ks_sess_err_name((ks_sess_err_kind)i), s->errors[i]);
	}
	add_assoc_zval(return_value, "errors", &errors);
	ks_sess_stats_add_histogram(return_value, s);
	add_assoc_bool(return_value, "all_workers", all_workers);
	add_assoc_long(return_value, "since", all_workers ? (zend_long)ks_sess_shared_since() : 0);
}
