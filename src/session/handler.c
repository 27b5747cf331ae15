/*
 * handler.c: PHP's session contract (ps_module with update_timestamp) on top
 * of the store (ks_sess_store.h). This is the PHP-facing layer: every
 * failure of the layers below becomes exactly one warning here, naming the
 * operation and, through the connection's errstr, the host and the cause.
 *
 * Round trips per request (locking on, existing session, persistent):
 *   read: ACQUIRE (1)   write or TTL refresh: RELEASE (1)   close: 0.
 * read_and_close and unlocked reads: one GET. A RELEASE whose reply was
 * lost costs a reconnect and one resend (release_with()).
 */
#include "php_keepsake.h"
#include "session/ks_sess_handler.h"
#include "session/ks_sess_keys.h"
#include "session/ks_sess_store.h"
#include "session/ks_sess_codec.h"
#include "redis/pool.h"
#include "ext/random/php_random.h"

#include <unistd.h>

#define G(f) KEEPSAKE_G(sess.f)

typedef struct ks_sess_data {
	ks_redis_path path;        /* parsed save_path (malloc) */
	ks_redis_pool *pool;       /* borrowed: G(pool) */
	ks_redis_conn *conn;       /* borrowed from pool: the host of the session being
	                              handled (route()), NULL before the first one */
	ks_redis_conn *lock_conn;  /* the host that holds our lock; set while locked, so the
	                              release goes where the lock is even if conn moved on */
	const char *prefix;        /* points into path: hosts[0]'s prefix, or that of the
	                              sentinel host carrying master= */
	size_t prefix_len;
	bool persistent;
	bool locked;
	pid_t lock_pid;            /* the process that acquired the lock; valid while locked */
	bool inherited;            /* this process is a fork of the lock's holder: it forgot the
	                              lock and writes nothing of this session (lock_inherited()) */
	bool readonly;
	char *lock_sid;            /* emalloc; set while locked */
	ks_sess_keys lock_keys;
	char token[KS_SESS_TOKEN_HEX + 1];
	char *fresh_sid;           /* emalloc; NULL when none */
} ks_sess_data;

PS_FUNCS_UPDATE_TIMESTAMP(keepsake);

const ps_module ks_sess_ps_module = { PS_MOD_UPDATE_TIMESTAMP(keepsake) };

/* ---- reporting ------------------------------------------------------ */

static void count_error(int kind)
{
	if (kind > 0 && kind < KS_SESS_ERR_COUNT) {
		G(stats).errors[kind]++;
	}
}

/* The one warning for a Redis-layer failure, with `also` appended; clears it for the next call. */
static void report_also(ks_sess_data *d, const char *op, const char *also)
{
	ks_redis_conn *c = d->conn;
	count_error(c->err);
	php_error_docref(NULL, E_WARNING, "keepsake: %s failed: %s%s", op, c->errstr, also);
	ks_redis_conn_reset_error(c);
}

static void report(ks_sess_data *d, const char *op)
{
	report_also(d, op, "");
}

/* A failure left sticky by create_sid/validate_sid (which must not warn:
 * PHP retries them) is reported by the next operation that can fail. */
static bool pending_error(ks_sess_data *d, const char *op)
{
	if (d->conn->err == KS_REDIS_OK) {
		return false;
	}
	report(d, op);
	return true;
}

static bool check_sid(zend_string *key, const char *op)
{
	if (ks_sess_sid_valid(ZSTR_VAL(key), ZSTR_LEN(key))) {
		return true;
	}
	count_error(KS_SESS_ERR_INVALID_SID);
	php_error_docref(NULL, E_WARNING,
		"keepsake: %s refused: invalid session id (%zu characters; only a-z A-Z 0-9 \",\" \"-\" are allowed, at most %d)",
		op, ZSTR_LEN(key), KS_SESS_MAX_SID);
	return false;
}

/*
 * Points d->conn at the host that serves session id `key` (a ring picks it
 * when save_path lists several hosts): every operation on one session goes
 * to one host. Warns and returns false only when out of memory.
 */
static bool route(ks_sess_data *d, zend_string *key)
{
	ks_redis_conn *c = ks_redis_pool_route(d->pool, ZSTR_VAL(key), ZSTR_LEN(key));
	if (!c) {
		php_error_docref(NULL, E_WARNING, "keepsake: out of memory creating a Redis connection");
		return false;
	}
	d->conn = c;
	return true;
}

/* ---- helpers -------------------------------------------------------- */

static long data_ttl(void)
{
	zend_long t = INI_INT("session.gc_maxlifetime");
	if (t <= 0) {
		return 1440;
	}
	return t > INT_MAX ? INT_MAX : (long)t;
}

static int64_t lock_ttl_ms(void)
{
	return ks_sess_lock_ttl_ms(G(lock_ttl), INI_INT("max_execution_time"));
}

/*
 * session_start(['read_and_close' => true]) is a local flag of
 * PHP_FUNCTION(session_start): a handler is never told. Reading it from the
 * running session_start() frame lets such a read skip the lock (1 round trip
 * instead of 2, and no waiting behind a writer); if the frame is not
 * recognised we simply lock, and close releases it.
 */
static bool in_read_and_close(void)
{
	zend_execute_data *ex = EG(current_execute_data);
	zval *opts, *v;

	if (!ex || !ex->func || ex->func->type != ZEND_INTERNAL_FUNCTION || !ex->func->common.function_name
		|| !zend_string_equals_literal_ci(ex->func->common.function_name, "session_start")
		|| ZEND_CALL_NUM_ARGS(ex) < 1) {
		return false;
	}
	opts = ZEND_CALL_ARG(ex, 1);
	ZVAL_DEREF(opts);
	if (Z_TYPE_P(opts) != IS_ARRAY) {
		return false;
	}
	v = zend_hash_str_find(Z_ARRVAL_P(opts), "read_and_close", sizeof("read_and_close") - 1);
	return v && zval_get_long(v) != 0;
}

static int build_keys(ks_sess_data *d, zend_string *sid, ks_sess_keys *k)
{
	if (ks_sess_keys_build(k, d->prefix, d->prefix_len, ZSTR_VAL(sid), ZSTR_LEN(sid)) < 0) {
		php_error_docref(NULL, E_WARNING, "keepsake: out of memory building session keys");
		return -1;
	}
	return 0;
}

static void forget_lock(ks_sess_data *d)
{
	d->locked = false;
	d->lock_conn = NULL;
	if (d->lock_sid) {
		efree(d->lock_sid);
		d->lock_sid = NULL;
	}
	ks_sess_keys_free(&d->lock_keys);
}

/*
 * After fork() a child has a copy of the module data, lock included, but
 * the lock is its parent's: releasing it, or writing under it, would pull
 * it from under the parent, whose own write would then be refused as if
 * its lock had expired. A process that did not acquire the lock therefore
 * forgets it without any I/O and writes nothing of this session until
 * close; the parent carries on as if there had been no fork. True in such
 * a process.
 */
static bool lock_inherited(ks_sess_data *d)
{
	if (d->locked && d->lock_pid != getpid()) {
		forget_lock(d);
		d->inherited = true;
	}
	return d->inherited;
}

static bool holds_lock_for(ks_sess_data *d, zend_string *sid)
{
	return d->locked && d->lock_sid && !strcmp(d->lock_sid, ZSTR_VAL(sid));
}

/* "ks:sess:{abcdef…}:lock": names the session without printing its whole id. */
static void lock_name(ks_sess_data *d, char *buf, size_t len)
{
	const char *sid = d->lock_sid ? d->lock_sid : "";
	snprintf(buf, len, "%.*s{%.6s%s}:lock", (int)(d->prefix_len > 100 ? 100 : d->prefix_len), d->prefix,
		sid, strlen(sid) > 6 ? "..." : "");
}

/* A failure after which the release may have run in Redis although its
 * reply never arrived intact: the socket broke or timed out after the
 * script was sent, or the reply was garbled. A refused connect sent nothing. */
static bool reply_lost(ks_redis_status st)
{
	return st == KS_REDIS_ERR_IO || st == KS_REDIS_ERR_TIMEOUT || st == KS_REDIS_ERR_PROTOCOL;
}

/*
 * Fenced write/refresh/destroy + release of the lock we hold on sid.
 * Returns SUCCESS, or FAILURE after its one warning.
 *
 * Sent at most twice. The release script is idempotent (its receipt, see
 * ks_sess_store.h), so after a lost reply it goes once more, with the same
 * token and payload, on a fresh connection: it then either does the work
 * (the first never ran) or answers "done before", and the request reports
 * success exactly when the write was applied. A READONLY answer (a demoted
 * master, which wrote nothing) is resent the same way, to the new master.
 */
static zend_result release_with(ks_sess_data *d, ks_sess_release_mode mode, const char *val, size_t len,
	const char *op)
{
	ks_sess_release_result res = KS_SESS_REL_LOST;
	bool maybe_ran = false;
	char name[160];
	ks_redis_status st;

	d->conn = d->lock_conn;   /* the release goes where the lock is (phpredis #1422) */
	st = ks_sess_lock_release(d->conn, &d->lock_keys, d->token, mode, val, len, data_ttl(), &res);
	if (st != KS_REDIS_OK && (reply_lost(st) || d->conn->drop_on_reset)) {
		/* Resetting drops the socket, so the resend connects afresh (and
		 * sentinel:// asks the sentinels again). cluster:// resends to the
		 * same node: the map is only marked stale, and reloaded by the next
		 * request's route, so after a failover the resend fails to connect
		 * and the request warns that Redis may have applied the write. */
		maybe_ran = reply_lost(st);
		G(stats).release_resends++;
		ks_redis_conn_reset_error(d->conn);
		st = ks_sess_lock_release(d->conn, &d->lock_keys, d->token, mode, val, len, data_ttl(), &res);
	}

	lock_name(d, name, sizeof(name));
	forget_lock(d);
	if (st != KS_REDIS_OK) {
		/* Neither reply arrived: one of the two runs may have been applied. */
		maybe_ran = mode != KS_SESS_REL_ONLY && (maybe_ran || reply_lost(st));
		report_also(d, op, maybe_ran ? "; Redis may have applied it all the same" : "");
		return FAILURE;
	}
	if (res == KS_SESS_REL_LOST) {
		G(stats).lost_locks++;
		if (mode == KS_SESS_REL_ONLY) {
			return SUCCESS;   /* nothing was to be written: no harm done */
		}
		php_error_docref(NULL, E_WARNING,
			"keepsake: %s refused: the session lock %s expired (lock TTL %lld ms) and was taken by another request; "
			"this request's %s was not applied so that it cannot overwrite newer data",
			op, name, (long long)lock_ttl_ms(),
			mode == KS_SESS_REL_DESTROY ? "destroy" : "data");
		return FAILURE;
	}
	return SUCCESS;
}

/* Turns stored bytes into the session string PHP gets. */
static zend_result decode_into(const char *s, size_t n, zend_string **val)
{
	char *out = NULL, err[160];
	size_t outlen = 0;
	int rc = ks_sess_codec_decode(s, n, &out, &outlen, err, sizeof(err));
	if (rc < 0) {
		count_error(KS_SESS_ERR_CODEC);
		php_error_docref(NULL, E_WARNING, "keepsake: session read failed: %s", err);
		return FAILURE;
	}
	if (rc == 0) {
		*val = zend_string_init(s, n, 0);
	} else {
		*val = zend_string_init(out, outlen, 0);
		free(out);
	}
	return SUCCESS;
}

/* ---- open / close --------------------------------------------------- */

/*
 * PS_OPEN: parses save_path (INI keepsake.session.* give the defaults) and
 * binds the worker's connection. No I/O. On a malformed save_path: one
 * warning pointing at the bad part, FAILURE (session_start() returns false).
 * Called again by session_reset() with the module data still set: kept.
 */
PS_OPEN_FUNC(keepsake)
{
	ks_redis_params defs;
	ks_sess_data *d;
	char err[256];
	ks_redis_path path;

	if (PS_GET_MOD_DATA()) {
		return SUCCESS;
	}
	memset(&defs, 0, sizeof(defs));
	defs.connect_timeout_ms = ks_redis_seconds_to_ms(G(connect_timeout));
	defs.read_timeout_ms = ks_redis_seconds_to_ms(G(read_timeout));
	defs.database = (long)G(database);
	defs.auth = G(auth);
	defs.user = G(user);
	defs.sentinel_auth = G(sentinel_auth);   /* used by sentinel:// hosts only */
	defs.sentinel_user = G(sentinel_user);
	defs.prefix = G(prefix);
	defs.persistent = G(persistent);
	defs.weight = 1;
	defs.tls_verify = true;   /* verification is on unless a save_path says tls_verify=0 */

	if (ks_redis_path_parse(save_path, strlen(save_path), &defs, &path, err, sizeof(err)) < 0) {
		count_error(KS_SESS_ERR_SAVE_PATH);
		php_error_docref(NULL, E_WARNING, "keepsake: malformed session.save_path: %s", err);
		/* The old hosts are no longer the save_path's: stats and phpinfo say "none". */
		ks_redis_pool_free(G(pool));
		G(pool) = NULL;
		return FAILURE;
	}
	/* The worker keeps its connections (and ring) while the save_path stays the same. */
	if (G(pool) && !ks_redis_pool_matches(G(pool), &path)) {
		ks_redis_pool_free(G(pool));
		G(pool) = NULL;
	}
	if (!G(pool) && !(G(pool) = ks_redis_pool_new(&path, G(redis), "session", err, sizeof(err)))) {
		count_error(KS_SESS_ERR_SAVE_PATH);
		php_error_docref(NULL, E_WARNING, "keepsake: malformed session.save_path: %s", err);
		ks_redis_path_dtor(&path);
		return FAILURE;
	}
	ks_redis_pool_reset_errors(G(pool));   /* a previous request's failure is old news */

	d = ecalloc(1, sizeof(*d));
	d->path = path;
	d->pool = G(pool);
	d->conn = NULL;
	d->prefix = ks_redis_path_shared_params(&d->path)->prefix ? ks_redis_path_shared_params(&d->path)->prefix : "";
	d->prefix_len = strlen(d->prefix);
	d->persistent = ks_redis_path_shared_params(&d->path)->persistent;
	PS_SET_MOD_DATA(d);
	return SUCCESS;
}

/*
 * PS_CLOSE: releases a lock still held (session_abort(), read_and_close that
 * was not recognised, a failed write path) and drops a non-persistent
 * socket. Always SUCCESS: PHP ignores it, and a lock we could not release
 * expires with its TTL.
 */
PS_CLOSE_FUNC(keepsake)
{
	ks_sess_data *d = PS_GET_MOD_DATA();
	if (!d) {
		return SUCCESS;
	}
	(void)lock_inherited(d);
	if (d->locked) {
		if (d->lock_conn->err != KS_REDIS_OK) {
			ks_redis_conn_reset_error(d->lock_conn);
		}
		(void)release_with(d, KS_SESS_REL_ONLY, NULL, 0, "session lock release");
	}
	forget_lock(d);
	ks_redis_pool_reset_errors(d->pool);
	if (!d->persistent) {
		ks_redis_pool_disconnect(d->pool);
	}
	if (d->fresh_sid) {
		efree(d->fresh_sid);
	}
	ks_redis_path_dtor(&d->path);
	efree(d);
	PS_SET_MOD_DATA(NULL);
	return SUCCESS;
}

/* ---- read ------------------------------------------------------------- */

static void count_acquired(const ks_sess_wait_info *w)
{
	G(stats).lock_acquisitions++;
	if (w->waited) {
		uint64_t ms = w->waited_ms > 0 ? (uint64_t)w->waited_ms : 0;
		G(stats).lock_waits++;
		G(stats).lock_wait_ms_total += ms;
		if (ms > G(stats).lock_wait_ms_max) {
			G(stats).lock_wait_ms_max = ms;
		}
	}
}

/* Locked read: SUCCESS with *data (maybe NULL), or FAILURE after a warning. */
static zend_result read_locked(ks_sess_data *d, zend_string *key, bool fresh, ks_redis_reply **data)
{
	unsigned char raw[KS_SESS_TOKEN_BYTES];
	ks_sess_keys k;
	ks_sess_wait_info w;
	int64_t ttl = lock_ttl_ms(), wait = ks_sess_lock_wait_ms(G(lock_wait), lock_ttl_ms());
	ks_sess_acquire_result res;

	if (holds_lock_for(d, key)) {
		/* session_reset(): we still hold the lock; just read again. */
		if (ks_sess_get(d->conn, &d->lock_keys, data) != KS_REDIS_OK) {
			report(d, "session read");
			return FAILURE;
		}
		return SUCCESS;
	}
	if (d->locked) {
		ks_redis_conn *target = d->conn;   /* release_with moves conn to the old lock's host */
		(void)release_with(d, KS_SESS_REL_ONLY, NULL, 0, "session lock release");
		d->conn = target;
	}
	if (php_random_bytes_silent(raw, sizeof(raw)) == FAILURE) {
		php_error_docref(NULL, E_WARNING, "keepsake: session read failed: no randomness for the lock token");
		return FAILURE;
	}
	ks_sess_hex(raw, sizeof(raw), d->token);
	if (build_keys(d, key, &k) < 0) {
		return FAILURE;
	}
	res = ks_sess_lock_acquire(d->conn, &k, d->token, ttl, wait, data_ttl(), fresh, data, &w);
	if (res == KS_SESS_ACQ_ERROR && d->conn->drop_on_reset) {
		/* The node was demoted (READONLY): nothing was written. Dropping the
		 * socket makes the next connect find the current master (sentinel://
		 * asks the sentinels again); one more try, then report. */
		ks_redis_conn_reset_error(d->conn);
		res = ks_sess_lock_acquire(d->conn, &k, d->token, ttl, wait, data_ttl(), fresh, data, &w);
	}
	switch (res) {
		case KS_SESS_ACQ_OK:
			count_acquired(&w);
			d->locked = true;
			d->lock_pid = getpid();
			d->lock_conn = d->conn;
			d->lock_sid = estrndup(ZSTR_VAL(key), ZSTR_LEN(key));
			d->lock_keys = k;
			return SUCCESS;
		case KS_SESS_ACQ_COLLISION:
			ks_sess_keys_free(&k);
			php_error_docref(NULL, E_WARNING,
				"keepsake: session read failed: the newly generated session id is already in use; refusing to share it");
			return FAILURE;
		case KS_SESS_ACQ_ERROR:
			ks_sess_keys_free(&k);
			report(d, "session read (lock acquire)");
			return FAILURE;
		case KS_SESS_ACQ_TIMEOUT:
			break;
	}
	G(stats).lock_timeouts++;
	if (G(lock_timeout_action) != KS_SESS_ACTION_READONLY) {
		php_error_docref(NULL, E_WARNING,
			"keepsake: session read failed: timed out after %lld ms waiting for the session lock %.100s{%.6s...}:lock "
			"(keepsake.session.lock_wait)", (long long)w.waited_ms, d->prefix, ZSTR_VAL(key));
		ks_sess_keys_free(&k);
		return FAILURE;
	}
	G(stats).readonly_sessions++;
	php_error_docref(NULL, E_NOTICE,
		"keepsake: the session lock was not free after %lld ms; the session is read-only in this request",
		(long long)w.waited_ms);
	d->readonly = true;
	if (ks_sess_get(d->conn, &k, data) != KS_REDIS_OK) {
		ks_sess_keys_free(&k);
		report(d, "session read");
		return FAILURE;
	}
	ks_sess_keys_free(&k);
	return SUCCESS;
}

/*
 * PS_READ: the session's data, "" when it does not exist. With locking (and
 * not read_and_close) the lock is taken in the same round trip. FAILURE
 * makes session_start() return false, after our one warning.
 */
PS_READ_FUNC(keepsake)
{
	ks_sess_data *d = PS_GET_MOD_DATA();
	ks_redis_reply *data = NULL;
	bool fresh;
	zend_result rc;

	if (!d || !check_sid(key, "session read") || !route(d, key) || pending_error(d, "session read")) {
		return FAILURE;
	}
	fresh = d->fresh_sid && !strcmp(d->fresh_sid, ZSTR_VAL(key));
	if (d->fresh_sid) {
		efree(d->fresh_sid);
		d->fresh_sid = NULL;
	}
	d->readonly = false;
	if (G(locking) && !in_read_and_close() && !lock_inherited(d)) {
		if (read_locked(d, key, fresh, &data) == FAILURE) {
			return FAILURE;
		}
	} else {
		ks_sess_keys k;
		if (build_keys(d, key, &k) < 0) {
			return FAILURE;
		}
		if (ks_sess_get(d->conn, &k, &data) != KS_REDIS_OK) {
			ks_sess_keys_free(&k);
			report(d, "session read");
			return FAILURE;
		}
		ks_sess_keys_free(&k);
		if (fresh && data) {
			ks_redis_reply_free(data);
			php_error_docref(NULL, E_WARNING,
				"keepsake: session read failed: the newly generated session id is already in use; refusing to share it");
			return FAILURE;
		}
	}
	if (!data) {
		*val = ZSTR_EMPTY_ALLOC();
		return SUCCESS;
	}
	rc = decode_into(data->str, data->len, val);
	ks_redis_reply_free(data);
	if (rc == FAILURE && d->locked) {
		(void)release_with(d, KS_SESS_REL_ONLY, NULL, 0, "session lock release");
	}
	return rc;
}

/* ---- write / update_timestamp / destroy -------------------------------- */

static zend_result store_generic(ks_sess_data *d, zend_string *key, zend_string *val, bool touch)
{
	const char *op = touch ? "session TTL refresh" : "session write";
	char *packed = NULL;
	const char *out = ZSTR_VAL(val);
	size_t outlen = ZSTR_LEN(val);
	zend_result rc = SUCCESS;

	if (d->readonly) {
		php_error_docref(NULL, E_NOTICE,
			"keepsake: session data not written: the session is read-only in this request (its lock wait timed out)");
		return SUCCESS;
	}
	if (lock_inherited(d)) {
		/* An unchanged session (touch) needs no word: nothing is lost. */
		if (!touch) {
			php_error_docref(NULL, E_NOTICE,
				"keepsake: session data not written: this process (pid %ld) is a fork of the one that holds the "
				"session lock, which alone writes the session (call session_abort() in the child)", (long)getpid());
		}
		return SUCCESS;
	}
	/* In touch mode the data is only stored if the key vanished meanwhile;
	 * it is packed the same way so every stored copy reads back alike. */
	if (ks_sess_codec_encode(G(compression), G(compression_level), (size_t)G(compression_threshold),
		ZSTR_VAL(val), ZSTR_LEN(val), &packed, &outlen) == 1) {
		out = packed;
	} else {
		outlen = ZSTR_LEN(val);
	}
	if (holds_lock_for(d, key)) {
		rc = release_with(d, touch ? KS_SESS_REL_TOUCH : KS_SESS_REL_WRITE, out, outlen, op);
	} else {
		ks_sess_keys k;
		if (build_keys(d, key, &k) < 0) {
			rc = FAILURE;
		} else {
			ks_redis_status st = touch ? ks_sess_touch(d->conn, &k, out, outlen, data_ttl())
				: ks_sess_set(d->conn, &k, out, outlen, data_ttl());
			ks_sess_keys_free(&k);
			if (st != KS_REDIS_OK) {
				report(d, op);
				rc = FAILURE;
			}
		}
	}
	free(packed);
	return rc;
}

/* PS_WRITE: SET data EX gc_maxlifetime, fenced by our lock when we hold one. */
PS_WRITE_FUNC(keepsake)
{
	ks_sess_data *d = PS_GET_MOD_DATA();
	if (!d || !check_sid(key, "session write") || !route(d, key) || pending_error(d, "session write")) {
		return FAILURE;
	}
	return store_generic(d, key, val, false);
}

/* PS_UPDATE_TIMESTAMP: lazy_write found the data unchanged: refresh the TTL
 * only (the data is re-stored only if the key vanished meanwhile). */
PS_UPDATE_TIMESTAMP_FUNC(keepsake)
{
	ks_sess_data *d = PS_GET_MOD_DATA();
	if (!d || !check_sid(key, "session TTL refresh") || !route(d, key) || pending_error(d, "session TTL refresh")) {
		return FAILURE;
	}
	return store_generic(d, key, val, true);
}

/* PS_DESTROY: deletes the data; SUCCESS when it did not exist. */
PS_DESTROY_FUNC(keepsake)
{
	ks_sess_data *d = PS_GET_MOD_DATA();
	ks_sess_keys k;
	ks_redis_status st;

	if (!d || !check_sid(key, "session destroy") || !route(d, key) || pending_error(d, "session destroy")) {
		return FAILURE;
	}
	if (lock_inherited(d)) {
		php_error_docref(NULL, E_WARNING,
			"keepsake: session destroy refused: this process (pid %ld) is a fork of the one that holds the session lock",
			(long)getpid());
		return FAILURE;
	}
	if (holds_lock_for(d, key)) {
		return release_with(d, KS_SESS_REL_DESTROY, NULL, 0, "session destroy");
	}
	if (build_keys(d, key, &k) < 0) {
		return FAILURE;
	}
	st = ks_sess_del(d->conn, &k);
	ks_sess_keys_free(&k);
	if (st != KS_REDIS_OK) {
		report(d, "session destroy");
		return FAILURE;
	}
	return SUCCESS;
}

/* PS_GC: Redis TTLs collect expired sessions. */
PS_GC_FUNC(keepsake)
{
	*nrdels = 0;
	return 0;
}

/*
 * PS_CREATE_SID: PHP's own generator (sid_length, sid_bits_per_character).
 * No round trip: the id is remembered, and the read that follows checks, in
 * its ACQUIRE or GET, that nothing is stored under it yet (a collision fails
 * that read instead of sharing someone's session). session_create_id() also
 * checks through validate_sid.
 */
PS_CREATE_SID_FUNC(keepsake)
{
	ks_sess_data *d = PS_GET_MOD_DATA();
	zend_string *id;
#ifdef KEEPSAKE_DEBUG
	/* Test hook (debug builds only): force the "random" id, so a test can
	 * make it collide with an existing session. */
	const char *forced = getenv("KEEPSAKE_DEBUG_FORCE_SID");
	id = forced && *forced ? zend_string_init(forced, strlen(forced), 0) : php_session_create_id(mod_data);
#else
	id = php_session_create_id(mod_data);
#endif
	if (d && id) {
		if (d->fresh_sid) {
			efree(d->fresh_sid);
		}
		d->fresh_sid = estrndup(ZSTR_VAL(id), ZSTR_LEN(id));
	}
	return id;
}

/*
 * PS_VALIDATE_SID (session.use_strict_mode=1): SUCCESS when data exists under
 * the id. No warning on a Redis failure: PHP would then create a new id, and
 * the read reports the (sticky) error once.
 */
PS_VALIDATE_SID_FUNC(keepsake)
{
	ks_sess_data *d = PS_GET_MOD_DATA();
	ks_sess_keys k;
	bool exists = false;

	if (!d || !ks_sess_sid_valid(ZSTR_VAL(key), ZSTR_LEN(key)) || !route(d, key) || d->conn->err != KS_REDIS_OK) {
		return FAILURE;
	}
	if (build_keys(d, key, &k) < 0) {
		return FAILURE;
	}
	(void)ks_sess_exists(d->conn, &k, &exists);
	ks_sess_keys_free(&k);
	return exists ? SUCCESS : FAILURE;
}
