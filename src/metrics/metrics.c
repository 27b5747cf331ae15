/*
 * metrics.c: keepsake_metrics(), both parts' numbers in the Prometheus text
 * exposition format (version 0.0.4).
 *
 * It reads each part only through that part's PHP functions
 * (keepsake_session_stats(true), keepsake_cache_enabled(),
 * keepsake_cache_info(true), keepsake_cache_sma_info()), called through the
 * function table, so it depends on neither part's internals and the numbers
 * are, by construction, the ones those functions return. A part configured
 * out contributes nothing; a disabled cache only keepsake_cache_enabled 0.
 *
 * Conventions (those promtool checks): every family has HELP and TYPE lines;
 * counters end in _total; times are in seconds and sizes in bytes; label
 * values are escaped (\\, \", \n) and made UTF-8. Nothing printed can hold a password: the
 * session part describes hosts by scheme, host and port only.
 */
#include "php_keepsake.h"
#include "zend_smart_str.h"
#include "metrics/ks_metrics.h"
#include "metrics/metrics_arginfo.h"

/* ---- the text format ---------------------------------------------------- */

static void family(smart_str *o, const char *name, const char *type, const char *help)
{
	smart_str_append_printf(o, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* The length of the well-formed UTF-8 sequence at s (n bytes left), or 0
 * (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xBF;
	size_t len, i;

	if (s[0] < 0x80) {
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		lo = s[0] == 0xE0 ? 0xA0 : 0x80;
		hi = s[0] == 0xED ? 0x9F : 0xBF;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		lo = s[0] == 0xF0 ? 0x90 : 0x80;
		hi = s[0] == 0xF4 ? 0x8F : 0xBF;
	} else {
		return 0;
	}
	if (n < len || s[1] < lo || s[1] > hi) {
		return 0;
	}
	for (i = 2; i < len; i++) {
		if (s[i] < 0x80 || s[i] > 0xBF) {
			return 0;
		}
	}
	return len;
}

/* A label value as the format wants it: \\, \" and \n escaped, and UTF-8
 * (promtool, and Prometheus's scrape, refuse the whole text for one value
 * that is not, e.g. a unix socket path in Latin-1): each byte that does not
 * start a well-formed sequence becomes U+FFFD. */
static void label_value(smart_str *o, const char *v)
{
	const unsigned char *p = (const unsigned char *)v;
	size_t n = strlen(v), len;

	while (n > 0) {
		switch (*p) {
			case '\\': smart_str_appends(o, "\\\\"); len = 1; break;
			case '"': smart_str_appends(o, "\\\""); len = 1; break;
			case '\n': smart_str_appends(o, "\\n"); len = 1; break;
			default:
				len = utf8_len(p, n);
				if (len == 0) {
					smart_str_appends(o, "\xEF\xBF\xBD");
					len = 1;
				} else {
					smart_str_appendl(o, (const char *)p, len);
				}
		}
		p += len;
		n -= len;
	}
}

/* name{label="value"} (label NULL: no braces), then the value. */
static void sample_start(smart_str *o, const char *name, const char *label, const char *value)
{
	smart_str_appends(o, name);
	if (label) {
		smart_str_append_printf(o, "{%s=\"", label);
		label_value(o, value);
		smart_str_appends(o, "\"}");
	}
	smart_str_appendc(o, ' ');
}

static void sample_long(smart_str *o, const char *name, const char *label, const char *value, zend_long v)
{
	sample_start(o, name, label, value);
	smart_str_append_long(o, v);
	smart_str_appendc(o, '\n');
}

#ifdef KEEPSAKE_SESSION   /* the cache reports whole numbers only */
static void sample_double(smart_str *o, const char *name, const char *label, const char *value, double v)
{
	sample_start(o, name, label, value);
	smart_str_append_printf(o, "%.17g\n", v);
}
#endif

/* ---- reading the parts' arrays ------------------------------------------ */

/* Calls the PHP function `name` with up to one bool argument; true with an
 * array in *ret (the caller frees it), false when the function is missing
 * or returned anything else (e.g. false when the cache is disabled). */
static bool call_array(const char *name, int arg, zval *ret)
{
	zend_function *fn = zend_hash_str_find_ptr(CG(function_table), name, strlen(name));
	zval a;

	ZVAL_UNDEF(ret);
	if (!fn) {
		return false;
	}
	ZVAL_BOOL(&a, arg > 0);
	zend_call_known_function(fn, NULL, NULL, ret, arg >= 0 ? 1 : 0, &a, NULL);
	if (Z_TYPE_P(ret) != IS_ARRAY) {
		zval_ptr_dtor(ret);
		ZVAL_UNDEF(ret);
		return false;
	}
	return true;
}

static zend_long get_long(const zval *arr, const char *key)
{
	zval *v = zend_hash_str_find(Z_ARRVAL_P(arr), key, strlen(key));
	return v ? zval_get_long(v) : 0;
}

static zval *get_array(const zval *arr, const char *key)
{
	zval *v = zend_hash_str_find(Z_ARRVAL_P(arr), key, strlen(key));
	return v && Z_TYPE_P(v) == IS_ARRAY ? v : NULL;
}

/* One family per entry: the array key, the metric name, its type and help. */
typedef struct ks_metric_def {
	const char *key, *name, *type, *help;
} ks_metric_def;

static void emit_table(smart_str *o, const zval *arr, const ks_metric_def *defs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		family(o, defs[i].name, defs[i].type, defs[i].help);
		sample_long(o, defs[i].name, NULL, NULL, get_long(arr, defs[i].key));
	}
}

/* A family with one sample per element of the array arr[key], labelled
 * label="<element key>". */
static void emit_labelled(smart_str *o, const zval *arr, const char *key, const char *name, const char *type,
	const char *label, const char *help)
{
	zval *sub = get_array(arr, key), *v;
	zend_string *k;
	zend_ulong idx;

	family(o, name, type, help);
	if (!sub) {
		return;
	}
	ZEND_HASH_FOREACH_KEY_VAL(Z_ARRVAL_P(sub), idx, k, v) {
		char num[24];
		if (!k) {
			snprintf(num, sizeof(num), ZEND_ULONG_FMT, idx);
		}
		sample_long(o, name, label, k ? ZSTR_VAL(k) : num, zval_get_long(v));
	} ZEND_HASH_FOREACH_END();
}

/* ---- the session part --------------------------------------------------- */

#ifdef KEEPSAKE_SESSION
static const ks_metric_def sess_defs[] = {
	{ "lock_acquisitions", "keepsake_session_lock_acquisitions_total", "counter", "Session locks taken, by all workers of this master." },
	{ "lock_waits", "keepsake_session_lock_waits_total", "counter", "Lock acquisitions that had to wait." },
	{ "lock_timeouts", "keepsake_session_lock_timeouts_total", "counter", "Lock waits that ran out of keepsake.session.lock_wait." },
	{ "lost_locks", "keepsake_session_lost_locks_total", "counter", "Writes refused because the lock had expired and was taken." },
	{ "release_resends", "keepsake_session_release_resends_total", "counter", "Releases and lock drops sent a second time (a lost reply, or a demoted master)." },
	{ "readonly_sessions", "keepsake_session_readonly_sessions_total", "counter", "Requests that got a read-only session after a lock timeout." },
	{ "replica_shortfalls", "keepsake_session_replica_shortfalls_total", "counter", "Writes fewer replicas acknowledged than keepsake.session.wait_replicas asks." },
	{ "round_trips", "keepsake_session_redis_round_trips_total", "counter", "Redis round trips of the session handler." },
	{ "commands", "keepsake_session_redis_commands_total", "counter", "Redis commands sent by the session handler." },
	{ "connects", "keepsake_session_redis_connects_total", "counter", "Successful connects to Redis." },
	{ "reconnects", "keepsake_session_redis_reconnects_total", "counter", "Connects that replaced a socket used before." },
};

/* keepsake_session_lock_wait_seconds: the ms buckets as cumulative seconds. */
static void emit_wait_histogram(smart_str *o, const zval *st)
{
	const char *name = "keepsake_session_lock_wait_seconds";
	zval *h = get_array(st, "lock_wait_histogram"), *v;
	zend_string *k;
	zend_ulong ms;
	zend_long cum = 0;

	family(o, name, "histogram", "Time session lock acquisitions waited (those that waited).");
	if (h) {
		ZEND_HASH_FOREACH_KEY_VAL(Z_ARRVAL_P(h), ms, k, v) {
			char le[32];
			cum += zval_get_long(v);
			if (k) {
				snprintf(le, sizeof(le), "+Inf");
			} else {
				snprintf(le, sizeof(le), "%.3f", (double)ms / 1000.0);
			}
			sample_long(o, "keepsake_session_lock_wait_seconds_bucket", "le", le, cum);
		} ZEND_HASH_FOREACH_END();
	}
	sample_double(o, "keepsake_session_lock_wait_seconds_sum", NULL, NULL, (double)get_long(st, "lock_wait_ms_total") / 1000.0);
	sample_long(o, "keepsake_session_lock_wait_seconds_count", NULL, NULL, get_long(st, "lock_waits"));
}

static void emit_session(smart_str *o)
{
	zval st, *nodes, *v;
	zval *topo;

	if (!call_array("keepsake_session_stats", 1, &st)) {
		return;
	}
	emit_table(o, &st, sess_defs, sizeof(sess_defs) / sizeof(sess_defs[0]));
	emit_labelled(o, &st, "errors", "keepsake_session_errors_total", "counter", "kind", "Session handler errors by kind.");
	emit_wait_histogram(o, &st);
	family(o, "keepsake_session_lock_wait_max_seconds", "gauge", "The longest session lock wait.");
	sample_double(o, "keepsake_session_lock_wait_max_seconds", NULL, NULL, (double)get_long(&st, "lock_wait_ms_max") / 1000.0);
	family(o, "keepsake_session_stats_start_time_seconds", "gauge", "Unix time from which the session counters count (the master's start).");
	sample_long(o, "keepsake_session_stats_start_time_seconds", NULL, NULL, get_long(&st, "since"));
	/* This worker's save_path hosts (none before its first session). */
	family(o, "keepsake_session_node_info", "gauge", "The Redis hosts of this worker's session.save_path (scheme, host and port).");
	nodes = get_array(&st, "nodes");
	topo = zend_hash_str_find(Z_ARRVAL(st), "topology", sizeof("topology") - 1);
	if (nodes && topo && Z_TYPE_P(topo) == IS_STRING) {
		ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(nodes), v) {
			if (Z_TYPE_P(v) == IS_STRING) {
				smart_str_appends(o, "keepsake_session_node_info{topology=\"");
				label_value(o, Z_STRVAL_P(topo));
				smart_str_appends(o, "\",node=\"");
				label_value(o, Z_STRVAL_P(v));
				smart_str_appends(o, "\"} 1\n");
			}
		} ZEND_HASH_FOREACH_END();
	}
	zval_ptr_dtor(&st);
}
#endif

/* ---- the cache part ----------------------------------------------------- */

#ifdef KEEPSAKE_CACHE
static const ks_metric_def cache_defs[] = {
	{ "num_hits", "keepsake_cache_hits_total", "counter", "Cache fetches that found the key." },
	{ "num_misses", "keepsake_cache_misses_total", "counter", "Cache fetches that did not find the key." },
	{ "num_inserts", "keepsake_cache_inserts_total", "counter", "Entries stored." },
	{ "num_deletes", "keepsake_cache_deletes_total", "counter", "Entries deleted." },
	{ "expunges", "keepsake_cache_expunges_total", "counter", "Whole-cache wipes on a full cache (always 0: keepsake evicts single entries)." },
	{ "store_failures", "keepsake_cache_store_failures_total", "counter", "Stores refused for want of memory." },
	{ "lock_waits", "keepsake_cache_lock_waits_total", "counter", "Shard lock acquisitions that had to wait." },
	{ "lock_timeouts", "keepsake_cache_lock_timeouts_total", "counter", "Shard lock waits that ran out of keepsake.cache.lock_timeout." },
	{ "read_fallbacks", "keepsake_cache_read_fallbacks_total", "counter", "Lock-free reads that fell back to the shard lock." },
	{ "recoveries", "keepsake_cache_recoveries_total", "counter", "Shards repaired after a process died holding their lock." },
	{ "num_entries", "keepsake_cache_entries", "gauge", "Entries in the cache." },
	{ "leases", "keepsake_cache_leases", "gauge", "Open entry() leases (keys being computed)." },
	{ "num_slots", "keepsake_cache_slots", "gauge", "Hash table slots." },
	{ "shards", "keepsake_cache_shards", "gauge", "Shards (each with its own lock and memory)." },
	{ "mem_size", "keepsake_cache_memory_used_bytes", "gauge", "Memory held by entries." },
	{ "mem_free", "keepsake_cache_memory_free_bytes", "gauge", "Memory free for entries." },
	{ "mem_total", "keepsake_cache_memory_size_bytes", "gauge", "Memory of all shards' arenas." },
	{ "start_time", "keepsake_cache_start_time_seconds", "gauge", "Unix time at which the cache segment was created." },
};

/*
 * Per-shard memory: free is the sum of the shard's free blocks
 * (sma_info's block_lists); used is its arena size less free less the
 * arena's fixed overhead, which is the same in every shard.
 */
static void emit_shards(smart_str *o, const zval *info, const zval *sma)
{
	zval *lists = get_array(sma, "block_lists"), *list, *blk;
	zend_long nseg = get_long(sma, "num_seg"), seg = get_long(sma, "seg_size");
	zend_long overhead = nseg > 0
		? (get_long(info, "mem_total") - get_long(info, "mem_size") - get_long(info, "mem_free")) / nseg : 0;
	zend_ulong i;
	smart_str used = {0};

	family(o, "keepsake_cache_shard_memory_free_bytes", "gauge", "Free memory of one shard.");
	if (!lists) {
		return;
	}
	ZEND_HASH_FOREACH_NUM_KEY_VAL(Z_ARRVAL_P(lists), i, list) {
		char shard[24];
		zend_long free = 0;
		if (Z_TYPE_P(list) == IS_ARRAY) {
			ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(list), blk) {
				if (Z_TYPE_P(blk) == IS_ARRAY) {
					free += get_long(blk, "size");
				}
			} ZEND_HASH_FOREACH_END();
		}
		snprintf(shard, sizeof(shard), ZEND_ULONG_FMT, i);
		sample_long(o, "keepsake_cache_shard_memory_free_bytes", "shard", shard, free);
		sample_long(&used, "keepsake_cache_shard_memory_used_bytes", "shard", shard, seg - free - overhead);
	} ZEND_HASH_FOREACH_END();
	family(o, "keepsake_cache_shard_memory_used_bytes", "gauge", "Memory held by entries in one shard.");
	if (used.s) {
		smart_str_append(o, used.s);
		smart_str_free(&used);
	}
}

static void emit_cache(smart_str *o)
{
	zval en, info, sma;
	bool on;

	family(o, "keepsake_cache_enabled", "gauge", "1 when the cache is enabled in this process.");
	ZVAL_UNDEF(&en);
	{
		zend_function *fn = zend_hash_str_find_ptr(CG(function_table), "keepsake_cache_enabled", sizeof("keepsake_cache_enabled") - 1);
		if (fn) {
			zend_call_known_function(fn, NULL, NULL, &en, 0, NULL, NULL);
		}
	}
	on = Z_TYPE(en) == IS_TRUE;
	zval_ptr_dtor(&en);
	sample_long(o, "keepsake_cache_enabled", NULL, NULL, on);
	if (!on || !call_array("keepsake_cache_info", 1, &info)) {
		return;
	}
	emit_table(o, &info, cache_defs, sizeof(cache_defs) / sizeof(cache_defs[0]));
	emit_labelled(o, &info, "evictions", "keepsake_cache_evictions_total", "counter", "cause", "Entries evicted, by cause.");
	if (call_array("keepsake_cache_sma_info", 0, &sma)) {
		emit_shards(o, &info, &sma);
		emit_labelled(o, &sma, "free_histogram", "keepsake_cache_free_blocks", "gauge", "size",
			"Free blocks by size in bytes (fragmentation).");
		zval_ptr_dtor(&sma);
	}
	zval_ptr_dtor(&info);
}
#endif

/* ---- keepsake_metrics() -------------------------------------------------- */

PHP_FUNCTION(keepsake_metrics)
{
	smart_str o = {0};

	ZEND_PARSE_PARAMETERS_NONE();
	family(&o, "keepsake_build_info", "gauge", "keepsake's version and the parts built in.");
	smart_str_append_printf(&o, "keepsake_build_info{version=\"%s\",session=\"%s\",cache=\"%s\"} 1\n", PHP_KEEPSAKE_VERSION,
#ifdef KEEPSAKE_SESSION
		"yes",
#else
		"no",
#endif
#ifdef KEEPSAKE_CACHE
		"yes"
#else
		"no"
#endif
	);
#ifdef KEEPSAKE_SESSION
	emit_session(&o);
#endif
#ifdef KEEPSAKE_CACHE
	emit_cache(&o);
#endif
	smart_str_0(&o);
	RETURN_STR(o.s);
}

zend_result ks_metrics_minit(int type)
{
	return zend_register_functions(NULL, ext_functions, NULL, type);
}
