/*
 * handler.c: PHP's session contract (ps_module with update_timestamp) on top
 * of the store (ks_sess_store.h). This is the PHP-facing layer: every
 * failure of the layers below becomes exactly one warning here, naming the
 * operation and, through the connection's errstr, the host and the cause.
 *
 * How PHP calls us (ext/session/session.c; mod_files.c is the reference
 * handler). With standard use, one request runs:
 *
 *    PS_OPEN          session_start(): binds the worker's save_path (parsed
 *                     once per worker, see bind_path()) and creates the
 *                     module data, ks_sess_data. No I/O.
 *    PS_CREATE_SID    when the request brought no id (or an invalid one);
 *    PS_VALIDATE_SID  with session.use_strict_mode, to check that the id
 *                     it brought exists (taking the lock and the data for
 *                     the read on the way). Both may repeat; neither warns,
 *                     as PHP retries them: a failure stays sticky on the
 *                     connection and the next operation reports it.
 *    PS_READ          the data, taking the lock in the same round trip.
 *    PS_WRITE or PS_UPDATE_TIMESTAMP
 *                     at session_write_close() or request end: write (or,
 *                     with lazy_write and unchanged data, refresh the TTL)
 *                     and release the lock, in one round trip.
 *    PS_DESTROY       session_destroy(), session_regenerate_id(true).
 *    PS_GC            by probability; Redis TTLs do the work, so nothing.
 *    PS_CLOSE         always, also after a failure, session_abort() and at
 *                     shutdown: releases a lock still held, frees the data.
 *
 * PHP calls PS_OPEN before anything else, and any other PS_* at any time
 * after it, with the module data PS_OPEN set; session_reset() calls PS_OPEN
 * again with the data still set (kept as it is), and session_regenerate_id()
 * changes the id between calls. So every PS_* that names a session starts
 * with begin_op(), as mod_user's ps_call_handler starts every user call: it
 * checks the id, points the request at the host that serves it (routing
 * and building its keys only when the id changed or an operation failed,
 * so a request routes once), and reports a failure a silent call left.
 * A FAILURE return makes PHP warn as well ("Failed to read session data"),
 * so each PS_* returns it only after its own one warning, which says why.
 * We never read or change PS() values: only what PHP passes us.
 *
 * Round trips per request (locking on, existing session, persistent):
 *   read: ACQUIRE (1)   write or TTL refresh: RELEASE (1)   close: 0.
 * With use_strict_mode, PS_VALIDATE_SID does the ACQUIRE (lock_ahead()) and
 * PS_READ sends nothing; an unknown id costs one RELEASE more.
 * read_and_close and unlocked reads: one GET. A RELEASE whose reply was
 * lost costs a reconnect and one resend (release_with()).
 */
#include "php_keepsake.h"
#include "session/ks_sess_handler.h"
#include "session/ks_sess_keys.h"
#include "session/ks_sess_params.h"
#include "session/ks_sess_store.h"
#include "session/ks_sess_codec.h"
#include "session/ks_sess_shared_stats.h"
#include "session/ks_sess_adopt.h"
#include "session/ks_sess_migrate.h"
#include "redis/pool.h"
#include "redis/deadline.h"
#include "ext/random/php_random.h"
#include "main/php_open_temporary_file.h"

#include <unistd.h>

typedef struct ks_sess_data {
	ks_redis_pool *pool;       /* borrowed: KS_SG(pool) */
	ks_redis_conn *conn;       /* borrowed from pool: the host of `sid` (begin_op()), NULL before
	                              the first operation */
	zend_string *sid;          /* the id conn and keys were bound to; NULL before the first */
	ks_sess_keys keys;         /* keys of sid, valid when keys_valid (buffer reused) */
	bool keys_valid;
	bool rebind;               /* a failure was reported since conn was bound: route again */
	ks_redis_conn *lock_conn;  /* the host that holds our lock; set while locked, so the
	                              release goes where the lock is even if conn moved on */
	const char *prefix;        /* borrowed: KS_SG(own).prefix, or "" */
	size_t prefix_len;
	bool persistent;
	int wait_replicas;         /* KS_SG(own).wait_replicas: 0, or WAIT after each write */
	int wait_timeout_ms;       /* KS_SG(own).wait_timeout, >= 1 */
	bool shortfall_told;       /* this request's replica shortfall notice was given */
	bool locked;
	pid_t lock_pid;            /* the process that acquired the lock; valid while locked */
	bool inherited;            /* this process is a fork of the lock's holder: it forgot the
	                              lock and writes nothing of this session (lock_inherited()) */
	bool readonly;
	char *lock_sid;            /* emalloc; set while locked */
	ks_sess_keys lock_keys;    /* keys of lock_sid, valid while locked (buffer reused) */
	char token[KS_SESS_TOKEN_HEX + 1];
	char *fresh_sid;           /* emalloc; NULL when none */
	bool adopted;              /* this request's data came from the old store (migrate_from),
	                              under our lock: its old copy goes once ours is written */
	bool ahead;                /* strict mode's id check took the lock on lock_sid and read its
	                              data (lock_ahead()): the read of that id uses ahead_data */
	ks_redis_reply *ahead_data; /* that data, NULL when none; owned; only while ahead */
	ks_redis_conn *drop_failed; /* borrowed from pool: the host where strict mode's drop of a
	                              refused id's lock failed, its error still sticky there for
	                              the read to report; NULL when none (settle_failed_drop()) */
} ks_sess_data;

PS_FUNCS_UPDATE_TIMESTAMP(keepsake);

const ps_module ks_sess_ps_module = { PS_MOD_UPDATE_TIMESTAMP(keepsake) };

/* ---- error kinds ------------------------------------------------------ */

const char *ks_sess_err_name(ks_sess_err_kind kind)
{
	static const char *const names[KS_SESS_ERR_COUNT] = {
		[KS_SESS_ERR_NONE] = "ok", [KS_SESS_ERR_CONNECT] = "connect", [KS_SESS_ERR_IO] = "io",
		[KS_SESS_ERR_TIMEOUT] = "timeout", [KS_SESS_ERR_PROTOCOL] = "protocol", [KS_SESS_ERR_AUTH] = "auth",
		[KS_SESS_ERR_REPLY] = "reply", [KS_SESS_ERR_CONFIG] = "config", [KS_SESS_ERR_OOM] = "oom",
		[KS_SESS_ERR_SAVE_PATH] = "save_path", [KS_SESS_ERR_INVALID_SID] = "invalid_sid",
		[KS_SESS_ERR_CODEC] = "codec",
	};
	return (unsigned)kind < KS_SESS_ERR_COUNT ? names[kind] : "unknown";
}

/* The session layer's kind for a Redis status (KS_SESS_ERR_NONE for OK). */
static ks_sess_err_kind err_from_redis(ks_redis_status st)
{
	switch (st) {
		case KS_REDIS_OK: return KS_SESS_ERR_NONE;
		case KS_REDIS_ERR_CONNECT: return KS_SESS_ERR_CONNECT;
		case KS_REDIS_ERR_IO: return KS_SESS_ERR_IO;
		case KS_REDIS_ERR_TIMEOUT: return KS_SESS_ERR_TIMEOUT;
		case KS_REDIS_ERR_PROTOCOL: return KS_SESS_ERR_PROTOCOL;
		case KS_REDIS_ERR_AUTH: return KS_SESS_ERR_AUTH;
		case KS_REDIS_ERR_REPLY: return KS_SESS_ERR_REPLY;
		case KS_REDIS_ERR_CONFIG: return KS_SESS_ERR_CONFIG;
		case KS_REDIS_ERR_OOM:
		case KS_REDIS_STATUS_COUNT: break;
	}
	return KS_SESS_ERR_OOM;
}

/* ---- reporting ------------------------------------------------------ */

static void count_error(ks_sess_err_kind kind)
{
	if (kind > KS_SESS_ERR_NONE && kind < KS_SESS_ERR_COUNT) {
		ks_sess_stats_add(&KS_SG(stats).errors[kind], 1);
	}
}

/* The one warning for a Redis-layer failure, with `also` appended; clears it
 * for the next call, which routes again (a cluster map may have moved). */
static void report_also(ks_sess_data *d, const char *op, const char *also)
{
	ks_redis_conn *c = d->conn;
	count_error(err_from_redis(c->err));
	php_error_docref(NULL, E_WARNING, "keepsake: %s failed: %s%s", op, c->errstr, also);
	ks_redis_conn_reset_error(c);
	d->rebind = true;
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

/* ---- binding a request to a session ---------------------------------- */

/*
 * Points d->conn at the host that serves session id `key` (a ring picks it
 * when save_path lists several hosts; every operation on one session goes
 * to one host) and builds its keys. Done again only when the id changed
 * (session_regenerate_id()), a failure was reported since, or the keys
 * went to the lock (read_locked()). Warns and returns false only when out
 * of memory.
 */
static bool bind_session(ks_sess_data *d, zend_string *key)
{
	if (!d->conn || d->rebind || !d->sid || !zend_string_equals(d->sid, key)) {
		ks_redis_conn *c = ks_redis_pool_route(d->pool, ZSTR_VAL(key), ZSTR_LEN(key));
		if (!c) {
			php_error_docref(NULL, E_WARNING, "keepsake: out of memory creating a Redis connection");
			return false;
		}
		d->conn = c;
		d->rebind = false;
		d->keys_valid = false;
		if (d->sid) {
			zend_string_release(d->sid);
		}
		d->sid = zend_string_copy(key);
	}
	if (!d->keys_valid) {
		if (ks_sess_keys_rebuild(&d->keys, d->prefix, d->prefix_len, ZSTR_VAL(key), ZSTR_LEN(key)) < 0) {
			php_error_docref(NULL, E_WARNING, "keepsake: out of memory building session keys");
			return false;
		}
		d->keys_valid = true;
	}
	return true;
}

/*
 * A drop that failed (drop_checked_lock()) left its error sticky on its
 * host for the read to report, which it does when the read goes to that
 * host. On a ring the new id that replaces a refused one often lives on
 * another host, and the failure would then be cleared unseen by the next
 * request: it is counted (keepsake_session_stats()['errors']) as a
 * reported failure is, and cleared, without a warning (the request itself
 * goes on, and the lock expires with its TTL). So it is too at close when
 * nothing reported it. A failure reported since is left alone.
 */
static void settle_failed_drop(ks_sess_data *d, bool closing)
{
	ks_redis_conn *c = d->drop_failed;

	if (c == NULL || (c == d->conn && !closing && c->err != KS_REDIS_OK)) {
		return;   /* none, or the operation now beginning reports it */
	}
	if (c->err != KS_REDIS_OK) {
		count_error(err_from_redis(c->err));
		ks_redis_conn_reset_error(c);
	}
	d->drop_failed = NULL;
}

/*
 * The preamble of every PS_* that names a session, as mod_user's
 * ps_call_handler is of every user handler call: the module data, a valid
 * id, the host and keys of that id, and no failure left unreported. NULL
 * (after at most one warning naming `op`) when the operation cannot go on.
 * With `op` NULL it is silent (PS_VALIDATE_SID: PHP must not see a warning)
 * and leaves a sticky failure for the next operation to report.
 */
static ks_sess_data *begin_op(void **mod_data, zend_string *key, const char *op)
{
	ks_sess_data *d = PS_GET_MOD_DATA();

	if (!d) {
		return NULL;
	}
	if (op ? !check_sid(key, op) : !ks_sess_sid_valid(ZSTR_VAL(key), ZSTR_LEN(key))) {
		return NULL;
	}
	if (!bind_session(d, key)) {
		return NULL;
	}
	settle_failed_drop(d, false);
	if (op ? pending_error(d, op) : d->conn->err != KS_REDIS_OK) {
		return NULL;
	}
	return d;
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
	return ks_sess_lock_ttl_ms(KS_SG(lock_ttl), INI_INT("max_execution_time"));
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

/* Forgets the lock (no I/O); lock_keys keeps its buffer for the next one. */
static void forget_lock(ks_sess_data *d)
{
	if (d->ahead) {
		ks_redis_reply_free(d->ahead_data);
		d->ahead_data = NULL;
		d->ahead = false;
	}
	d->locked = false;
	d->lock_conn = NULL;
	if (d->lock_sid) {
		efree(d->lock_sid);
		d->lock_sid = NULL;
	}
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
	if (d->locked && d->lock_pid != ks_redis_self_pid()) {
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

/* The WAIT this request's writes ask for (ks_sess_store.h). */
static void wait_init(ks_sess_data *d, ks_sess_wait *w)
{
	memset(w, 0, sizeof(*w));
	w->replicas = d->wait_replicas;
	w->timeout_ms = d->wait_timeout_ms;
	w->acked = -1;
}

/* After a write that WAITed: fewer replicas than asked is counted and told
 * once per request (an E_NOTICE naming the node). The write stands: the
 * data is on the master, only not yet known to be on enough replicas. */
static void wait_check(ks_sess_data *d, const ks_sess_wait *w, const char *op)
{
	if (w->replicas <= 0 || w->acked >= w->replicas) {
		return;
	}
	ks_sess_stats_add(&KS_SG(stats).replica_shortfalls, 1);
	if (d->shortfall_told) {
		return;
	}
	d->shortfall_told = true;
	if (w->err[0]) {
		php_error_docref(NULL, E_NOTICE, "keepsake: %s applied, but not known to be on %d replica(s): %s",
			op, w->replicas, w->err);
	} else {
		php_error_docref(NULL, E_NOTICE,
			"keepsake: %s applied on %s, but only %lld of %d replica(s) acknowledged it within %d ms (WAIT); "
			"the data is on the master", op, ks_redis_conn_node(d->conn), w->acked, w->replicas, w->timeout_ms);
	}
}

/*
 * A write, TTL refresh or destroy failed with status `failed` (the
 * connection's sticky error, not yet reported): true when the lock may
 * still be ours and Redis can be asked to give it back. Redis refused the
 * write with an error reply (OOM under noeviction; a value longer than
 * proto-max-bulk-len, after which Redis also closes the connection), or
 * the connection broke. Not after a timeout or a failed connect (Redis is
 * slow or away: another try would cost another timeout), nor after
 * READONLY or MASTERDOWN (the node takes no writes; the release was
 * already sent once more after rediscovery).
 */
static bool lock_worth_giving_back(const ks_sess_data *d, ks_redis_status failed)
{
	return (failed == KS_REDIS_ERR_REPLY && !d->conn->drop_on_reset) || failed == KS_REDIS_ERR_IO
		|| failed == KS_REDIS_ERR_PROTOCOL;
}

/*
 * After the failed write's one warning (report_also() has cleared the
 * error, dropping a broken socket): the lock goes back, silently. Left
 * alone it would hold every later request of the session for the rest of
 * its TTL (lock_wait defaults to the whole TTL). It goes as a drop
 * (ks_sess_lock_drop: fenced, a no-op when the lock is no longer ours or a
 * lost run already released it, writing nothing but the lock's own keys,
 * which Redis takes also when out of memory; sent once more after a lost
 * reply). A socket Redis closed after its error reply (a protocol error)
 * is noticed first by the staleness poll. A failure that remains is
 * dropped: the lock expires with its TTL.
 */
static void give_back_after_failure(ks_sess_data *d)
{
	ks_sess_sent sent;

	ks_redis_conn_recheck(d->conn);
	if (ks_sess_lock_drop(d->conn, &d->lock_keys, d->token, lock_ttl_ms(), &sent) != KS_REDIS_OK) {
		ks_redis_conn_reset_error(d->conn);
	}
	if (sent.resent) {
		ks_sess_stats_add(&KS_SG(stats).release_resends, 1);
	}
}

/*
 * Fenced write/refresh/destroy + release of the lock we hold on sid.
 * Returns SUCCESS, or FAILURE after its one warning.
 *
 * Sent at most twice (ks_sess_lock_release, ks_sess_sent): after a lost
 * reply it goes once more, with the same token and payload, on a fresh
 * connection, and then either does the work (the first never ran) or
 * answers "done before" (its receipt), so the request reports success
 * exactly when the write was applied. A READONLY answer (a demoted master,
 * which wrote nothing) is resent the same way, to the new master. When
 * the write still failed, the lock is given back without it
 * (give_back_after_failure()).
 */
static zend_result release_with(ks_sess_data *d, ks_sess_release_mode mode, const char *val, size_t len,
	const char *op)
{
	ks_sess_release_result res = KS_SESS_REL_LOST;
	ks_sess_sent sent;
	char name[160];
	ks_sess_wait w;
	ks_redis_status st;

	if (d->conn != d->lock_conn) {
		d->rebind = true;     /* the next operation routes again, from where it was */
	}
	d->conn = d->lock_conn;   /* the release goes where the lock is (phpredis #1422) */
	wait_init(d, &w);
	st = ks_sess_lock_release(d->conn, &d->lock_keys, d->token, mode, val, len, data_ttl(), lock_ttl_ms(), &w,
		&res, &sent);
	if (sent.resent) {
		ks_sess_stats_add(&KS_SG(stats).release_resends, 1);
	}
	lock_name(d, name, sizeof(name));
	if (st != KS_REDIS_OK) {
		/* No reply arrived: a run whose reply was lost may have been applied. */
		bool give_back = mode != KS_SESS_REL_ONLY && lock_worth_giving_back(d, st);

		report_also(d, op, mode != KS_SESS_REL_ONLY && sent.maybe_ran ? "; Redis may have applied it all the same" : "");
		if (give_back) {
			give_back_after_failure(d);
		}
		forget_lock(d);
		return FAILURE;
	}
	forget_lock(d);
	if (res == KS_SESS_REL_LOST) {
		ks_sess_stats_add(&KS_SG(stats).lost_locks, 1);
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
	if (mode != KS_SESS_REL_ONLY) {
		wait_check(d, &w, op);
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

/* The conversion of a setting of each kind into its connection parameter. */
#define KS_SESS_TO_PARAM_SECONDS(v) ks_redis_seconds_to_ms(v)
#define KS_SESS_TO_PARAM_UINT(v)    ((long)(v))
#define KS_SESS_TO_PARAM_STR(v)     (v)
#define KS_SESS_TO_PARAM_MS(v)      ((long)(v))
#define KS_SESS_TO_PARAM_SECRET(v)  (v)

/* The defaults a save_path is parsed with: the INI settings of the table
 * of ks_sess_params.h over the Redis layer's own (ks_redis_params_init:
 * weight 1, TLS verification on). Strings are borrowed from the globals. */
static void param_defaults(ks_redis_params *conn, ks_sess_own_params *own)
{
	ks_redis_params_init(conn);
	memset(own, 0, sizeof(*own));
#define KS_SESS_DEFAULT_C(setting, kind, def, field) conn->field = KS_SESS_TO_PARAM_##kind(KS_SG(setting));
#define KS_SESS_DEFAULT_O(name, kind, def) own->name = KS_SG(name);
	KS_SESS_PARAM_TABLE(KS_SESS_DEFAULT_C, KS_SESS_DEFAULT_O)
#undef KS_SESS_DEFAULT_C
#undef KS_SESS_DEFAULT_O
}

void ks_sess_forget_path(char **path_src, ks_sess_own_params *own)
{
	free(*path_src);
	*path_src = NULL;
	ks_sess_own_params_dtor(own);
}

/* A malformed save_path: its one warning. The old hosts are no longer the
 * save_path's, so stats and phpinfo say "none". */
static zend_result path_refused(const char *err)
{
	count_error(KS_SESS_ERR_SAVE_PATH);
	php_error_docref(NULL, E_WARNING, "keepsake: malformed session.save_path: %s", err);
	ks_redis_pool_free(KS_SG(pool));
	KS_SG(pool) = NULL;
	ks_sess_forget_path(&KS_SG(path_src), &KS_SG(own));
	return FAILURE;
}

/*
 * Binds the worker to save_path: its pool (KS_SG(pool)) and its session
 * parameters (KS_SG(own)). The parse is kept while the string and the
 * keepsake.session.* defaults (settings_gen) stay the same, so a worker
 * parses its save_path once, not in every PS_OPEN; the pool (connections,
 * ring, slot map) is kept while it serves the same hosts with the same
 * parameters. FAILURE after one warning when save_path is malformed.
 */
static zend_result bind_path(const char *save_path)
{
	ks_redis_params defs;
	ks_sess_own_params own_defs, own;
	ks_redis_path path;
	char err[256];

	if (KS_SG(pool) && KS_SG(path_src) && KS_SG(path_gen) == KS_SG(settings_gen)
		&& !strcmp(KS_SG(path_src), save_path)) {
		return SUCCESS;
	}
	param_defaults(&defs, &own_defs);
	if (ks_sess_path_parse(save_path, strlen(save_path), &defs, &own_defs, &path, &own, err, sizeof(err)) < 0) {
		return path_refused(err);
	}
	if (KS_SG(pool) && !ks_redis_pool_matches(KS_SG(pool), &path)) {
		ks_redis_pool_free(KS_SG(pool));
		KS_SG(pool) = NULL;
	}
	if (!KS_SG(pool) && !(KS_SG(pool) = ks_redis_pool_new(&path, KS_SG(redis), "session", err, sizeof(err)))) {
		ks_redis_path_dtor(&path);
		ks_sess_own_params_dtor(&own);
		return path_refused(err);
	}
	ks_redis_path_dtor(&path);   /* the pool holds its own copy */
	ks_sess_forget_path(&KS_SG(path_src), &KS_SG(own));
	KS_SG(own) = own;
	KS_SG(path_src) = strdup(save_path);   /* NULL (OOM): parsed again next time */
	KS_SG(path_gen) = KS_SG(settings_gen);
	return SUCCESS;
}

/*
 * PS_OPEN: binds the worker's pool and parsed save_path (bind_path(); INI
 * keepsake.session.* give the defaults) and creates the module data. No
 * I/O. On a malformed save_path: one warning pointing at the bad part,
 * FAILURE (session_start() returns false). Called again by session_reset()
 * with the module data still set: kept.
 */
PS_OPEN_FUNC(keepsake)
{
	ks_sess_data *d;

	if (PS_GET_MOD_DATA()) {
		return SUCCESS;
	}
	if (bind_path(save_path) == FAILURE) {
		return FAILURE;
	}
	ks_redis_pool_reset_errors(KS_SG(pool));   /* a previous request's failure is old news */
	ks_redis_pool_recheck(KS_SG(pool));        /* each socket is polled once per request, not per command */

	d = ecalloc(1, sizeof(*d));
	d->pool = KS_SG(pool);
	d->prefix = KS_SG(own).prefix ? KS_SG(own).prefix : "";
	d->prefix_len = strlen(d->prefix);
	d->persistent = KS_SG(own).persistent;
	d->wait_replicas = (int)KS_SG(own).wait_replicas;
	d->wait_timeout_ms = KS_SG(own).wait_timeout > 0 ? (int)KS_SG(own).wait_timeout : 1;
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
	settle_failed_drop(d, true);
	ks_redis_pool_reset_errors(d->pool);
	if (!d->persistent) {
		ks_redis_pool_disconnect(d->pool);
	}
	if (d->fresh_sid) {
		efree(d->fresh_sid);
	}
	if (d->sid) {
		zend_string_release(d->sid);
	}
	ks_sess_keys_free(&d->keys);
	ks_sess_keys_free(&d->lock_keys);
	efree(d);
	PS_SET_MOD_DATA(NULL);
	return SUCCESS;
}

/* ---- migration: the old store's copy (keepsake.session.migrate_from) ---- */

static const char *old_store_name(void)
{
	return KS_SG(migrate_from) == KS_SESS_ADOPT_FROM_FILES ? "files" : "phpredis";
}

/*
 * Where the old copy of `key` is (ks_sess_adopt.h): phpredis's key on the
 * session's host, except on cluster://, where <prefix><sid> carries no
 * {sid} tag and lives in a slot of its own (and so, maybe, on another
 * node). False when migration is off, or (after a warning) out of memory.
 */
static bool old_store(ks_sess_data *d, zend_string *key, ks_sess_adopt_src *s)
{
	memset(s, 0, sizeof(*s));
	s->from = (ks_sess_adopt_from)KS_SG(migrate_from);
	if (s->from == KS_SESS_ADOPT_FROM_NONE) {
		return false;
	}
	s->prefix = KS_SG(migrate_prefix) ? KS_SG(migrate_prefix) : "";
	s->prefix_len = strlen(s->prefix);
	s->files_path = KS_SG(migrate_path) ? KS_SG(migrate_path) : "";
	s->files_path_len = strlen(s->files_path);
	s->tmp_dir = php_get_temporary_directory();
	s->conn = d->conn;
	s->cluster = !strcmp(ks_redis_pool_topology(d->pool), "cluster");
	if (s->from == KS_SESS_ADOPT_FROM_PHPREDIS && s->cluster) {
		char *old;
		size_t len;

		if (ks_sess_mig_phpredis_key(s->prefix, s->prefix_len, ZSTR_VAL(key), ZSTR_LEN(key), &old, &len)
			!= KS_SESS_MIG_OK || !(s->conn = ks_redis_pool_route(d->pool, old, len))) {
			if (old) {
				free(old);
			}
			php_error_docref(NULL, E_WARNING, "keepsake: out of memory looking for the phpredis session");
			return false;
		}
		free(old);
	}
	return true;
}

/* The one warning for a failure on the old store; clears a Redis error. */
static void old_store_warn(const ks_sess_adopt_src *s, ks_sess_adopt_result res, const char *op, const char *err)
{
	if (res == KS_SESS_ADOPT_REDIS) {
		count_error(err_from_redis(s->conn->err));
		php_error_docref(NULL, E_WARNING, "keepsake: %s (the old phpredis session) failed: %s", op, s->conn->errstr);
		ks_redis_conn_reset_error(s->conn);
		return;
	}
	php_error_docref(NULL, E_WARNING, "keepsake: %s (the old %s session) failed: %s", op, old_store_name(), err);
}

/*
 * A locked read found no keepsake data for `key`: looks in the old store
 * and, when a copy is there, makes it this request's data (*val) under our
 * lock. The write (or, with lazy_write, the TTL refresh, whose script
 * stores the data when our key does not exist) puts it under keepsake's
 * key, and then drop_old_copy() deletes the old one. The old handler's
 * lock is waited for within what is left of lock_wait since `started`.
 * SUCCESS with *val NULL when there is nothing to adopt, or when the old
 * copy is refused (a symlink, another user's file: one warning, and the
 * request goes on with a new session); FAILURE after one warning, with our
 * lock released, when the old store could not be read (the user keeps the
 * old session for the next try).
 */
static zend_result adopt_old_copy(ks_sess_data *d, zend_string *key, int64_t started, zend_string **val)
{
	int64_t wait = ks_sess_lock_wait_ms(KS_SG(lock_wait), lock_ttl_ms()) - (ks_redis_now_ms() - started);
	ks_sess_adopt_src s;
	ks_sess_adopt_result res;
	char err[400] = "", *out;
	size_t outlen;

	if (!old_store(d, key, &s)) {
		return SUCCESS;
	}
	res = ks_sess_adopt_read(&s, ZSTR_VAL(key), ZSTR_LEN(key), wait, &out, &outlen, err, sizeof(err));
	if (res == KS_SESS_ADOPT_OK) {
		*val = zend_string_init(out, outlen, 0);
		free(out);
		d->adopted = true;
		return SUCCESS;
	}
	if (res == KS_SESS_ADOPT_NONE) {
		return SUCCESS;
	}
	if (res == KS_SESS_ADOPT_REFUSED) {
		php_error_docref(NULL, E_WARNING, "keepsake: session read: the old %s session was not adopted: %s",
			old_store_name(), err);
		return SUCCESS;
	}
	if (res == KS_SESS_ADOPT_TIMEOUT) {
		ks_sess_stats_add(&KS_SG(stats).lock_timeouts, 1);
	}
	old_store_warn(&s, res, "session read", err);
	d->rebind = true;
	(void)release_with(d, KS_SESS_REL_ONLY, NULL, 0, "session lock release");
	return FAILURE;
}

/* Our copy is written (or the session destroyed): the old one goes. A
 * failure costs one warning and leaves a copy that keepsake never reads
 * again for this id (its own key now exists) and that expires there. */
static void drop_old_copy(ks_sess_data *d, zend_string *key, const char *op)
{
	ks_sess_adopt_src s;
	ks_sess_adopt_result res;
	char err[400] = "";

	d->adopted = false;
	if (!old_store(d, key, &s)) {
		return;
	}
	res = ks_sess_adopt_delete(&s, ZSTR_VAL(key), ZSTR_LEN(key), err, sizeof(err));
	if (res != KS_SESS_ADOPT_OK && res != KS_SESS_ADOPT_NONE) {
		old_store_warn(&s, res, op, err);
	}
}

/* Strict mode: an id that only the old store has is a known id (else PHP
 * would hand the user a new one: logged out). So is one the old store could
 * not be asked about (a phpredis node that did not answer or answered with
 * an error, a failed system call), unless the failure is left sticky on
 * d->conn for the read to report: refused, it would log the user out on a
 * failure nobody hears of (on cluster:// the old key's node is often
 * another, whose error is cleared here); kept, the read asks the old store
 * again, and adopts the copy or reports the failure once. Silent, as
 * validate_sid. */
static bool old_copy_exists(ks_sess_data *d, zend_string *key)
{
	ks_sess_adopt_src s;
	ks_sess_adopt_result res;
	char err[400];

	if (!old_store(d, key, &s)) {
		return false;
	}
	res = ks_sess_adopt_exists(&s, ZSTR_VAL(key), ZSTR_LEN(key), err, sizeof(err));
	if (res == KS_SESS_ADOPT_OK) {
		return true;
	}
	if (s.conn != d->conn) {
		ks_redis_conn_reset_error(s.conn);   /* only d->conn's error is reported later */
	}
	return (res == KS_SESS_ADOPT_REDIS || res == KS_SESS_ADOPT_FAILED) && d->conn->err == KS_REDIS_OK;
}

/* Strict mode's answer for an id: `here` (keepsake's store has it), or
 * else, with migrate_from, whether the old store has it. */
static bool exists_or_old(ks_sess_data *d, zend_string *key, bool here)
{
	return here || (KS_SG(migrate_from) != KS_SESS_ADOPT_FROM_NONE && old_copy_exists(d, key));
}

/*
 * Gives back a lock strict mode's check took with d->token on the id behind
 * keys (ks_sess_lock_drop, which sends it once more after a lost reply or a
 * demoted node), so the request goes on with a new id instead of failing
 * on a reply it has no use for. A failure that remains stays sticky for the
 * read to report, or is counted when the read goes elsewhere
 * (settle_failed_drop()).
 */
static void drop_checked_lock(ks_sess_data *d, ks_redis_conn *c, const ks_sess_keys *k)
{
	ks_sess_sent sent;

	if (ks_sess_lock_drop(c, k, d->token, lock_ttl_ms(), &sent) != KS_REDIS_OK) {
		d->drop_failed = c;
	}
	if (sent.resent) {
		ks_sess_stats_add(&KS_SG(stats).release_resends, 1);
	}
}

/* ---- read ------------------------------------------------------------- */

static void count_acquired(const ks_sess_wait_info *w)
{
	ks_sess_stats_add(&KS_SG(stats).lock_acquisitions, 1);
	if (w->waited) {
		ks_sess_stats_wait(w->waited_ms);
	}
}

/* session_reset() while we hold the lock: just read again. */
static zend_result reread_locked(ks_sess_data *d, ks_redis_reply **data)
{
	if (ks_sess_get(d->conn, &d->lock_keys, data) != KS_REDIS_OK) {
		report(d, "session read");
		return FAILURE;
	}
	return SUCCESS;
}

/* The lock is ours: its keys move to lock_keys (a swap: no copy, no
 * malloc), and d->keys is rebuilt from its old buffer when next needed. */
static void keep_lock(ks_sess_data *d, zend_string *key, const ks_sess_wait_info *w)
{
	ks_sess_keys spare = d->lock_keys;

	count_acquired(w);
	d->locked = true;
	d->lock_pid = ks_redis_self_pid();
	d->lock_conn = d->conn;
	d->lock_sid = estrndup(ZSTR_VAL(key), ZSTR_LEN(key));
	d->lock_keys = d->keys;
	d->keys = spare;
	d->keys_valid = false;
}

/* The lock wait ran out: fail, or (lock_timeout_action=readonly) read
 * without the lock and skip this request's write. */
static zend_result lock_wait_timed_out(ks_sess_data *d, zend_string *key, const ks_sess_wait_info *w,
	ks_redis_reply **data)
{
	ks_sess_stats_add(&KS_SG(stats).lock_timeouts, 1);
	if (KS_SG(lock_timeout_action) != KS_SESS_ACTION_READONLY) {
		php_error_docref(NULL, E_WARNING,
			"keepsake: session read failed: timed out after %lld ms waiting for the session lock %.100s{%.6s...}:lock "
			"(keepsake.session.lock_wait)", (long long)w->waited_ms, d->prefix, ZSTR_VAL(key));
		return FAILURE;
	}
	ks_sess_stats_add(&KS_SG(stats).readonly_sessions, 1);
	php_error_docref(NULL, E_NOTICE,
		"keepsake: the session lock was not free after %lld ms; the session is read-only in this request",
		(long long)w->waited_ms);
	d->readonly = true;
	if (ks_sess_get(d->conn, &d->keys, data) != KS_REDIS_OK) {
		report(d, "session read");
		return FAILURE;
	}
	return SUCCESS;
}

/* How long a wait for one session's lock makes this worker expect the next
 * request for that session to find its lock held (contended spells of
 * parallel requests last milliseconds; the wake list lives this long). */
#define KS_SESS_CONTENDED_MEMORY_MS KS_SESS_WAKE_TTL_MS

static zend_ulong sid_hash(zend_string *key)
{
	zend_ulong h = zend_hash_func(ZSTR_VAL(key), ZSTR_LEN(key));
	return h ? h : 1;   /* 0 means "none" */
}

/* True when this worker waited for the lock of this session moments ago:
 * the next acquire starts with the script (ks_sess_lock_acquire). A wrong
 * guess (a hash collision, a spell that just ended) costs Lua, not a
 * round trip. */
static bool expect_contention(zend_string *key)
{
	return KS_SG(contended_hash) == sid_hash(key) && ks_redis_now_ms() - KS_SG(contended_at) < KS_SESS_CONTENDED_MEMORY_MS;
}

static void remember_contention(zend_string *key, const ks_sess_wait_info *w)
{
	if (w->waited) {
		KS_SG(contended_hash) = sid_hash(key);
		KS_SG(contended_at) = ks_redis_now_ms();
	} else if (KS_SG(contended_hash) == sid_hash(key)) {
		KS_SG(contended_hash) = 0;   /* the lock was free: the spell is over */
	}
}

/* A fresh random lock token into d->token; false when there is no randomness. */
static bool new_token(ks_sess_data *d)
{
	unsigned char raw[KS_SESS_TOKEN_BYTES];

	if (php_random_bytes_silent(raw, sizeof(raw)) == FAILURE) {
		return false;
	}
	ks_sess_hex(raw, sizeof(raw), d->token);
	return true;
}

/* Locked read: SUCCESS with *data (maybe NULL), or FAILURE after a warning. */
static zend_result read_locked(ks_sess_data *d, zend_string *key, bool fresh, ks_redis_reply **data)
{
	ks_sess_wait_info w;
	int64_t ttl = lock_ttl_ms(), wait = ks_sess_lock_wait_ms(KS_SG(lock_wait), lock_ttl_ms());
	ks_sess_acquire_result res;

	if (holds_lock_for(d, key)) {
		if (d->ahead) {   /* strict mode's id check took the lock and read the data */
			*data = d->ahead_data;
			d->ahead_data = NULL;
			d->ahead = false;
			return SUCCESS;
		}
		return reread_locked(d, data);
	}
	if (d->locked) {
		ks_redis_conn *target = d->conn;   /* release_with moves conn to the old lock's host */
		(void)release_with(d, KS_SESS_REL_ONLY, NULL, 0, "session lock release");
		d->conn = target;
	}
	if (!new_token(d)) {
		php_error_docref(NULL, E_WARNING, "keepsake: session read failed: no randomness for the lock token");
		return FAILURE;
	}
	res = ks_sess_lock_acquire(d->conn, &d->keys, d->token, ttl, wait, data_ttl(), fresh,
		!fresh && expect_contention(key), data, &w);
	if (res == KS_SESS_ACQ_ERROR && d->conn->drop_on_reset) {
		/* The node was demoted (READONLY): nothing was written. Dropping the
		 * socket makes the next connect find the current master (sentinel://
		 * asks the sentinels again); one more try, then report. */
		ks_redis_conn_reset_error(d->conn);
		res = ks_sess_lock_acquire(d->conn, &d->keys, d->token, ttl, wait, data_ttl(), fresh, false, data, &w);
	}
	if (res == KS_SESS_ACQ_OK || res == KS_SESS_ACQ_TIMEOUT) {
		remember_contention(key, &w);
	}
	switch (res) {
		case KS_SESS_ACQ_OK:
			keep_lock(d, key, &w);
			return SUCCESS;
		case KS_SESS_ACQ_COLLISION:
			if (w.drop_resent) {
				ks_sess_stats_add(&KS_SG(stats).release_resends, 1);
			}
			if (d->conn->err != KS_REDIS_OK) {
				/* The drop failed for good (collided()): the one warning is
				 * the collision's, so the failure is counted without one, as
				 * strict mode's failed drop is (settle_failed_drop()). */
				count_error(err_from_redis(d->conn->err));
				ks_redis_conn_reset_error(d->conn);
				d->rebind = true;
			}
			php_error_docref(NULL, E_WARNING,
				"keepsake: session read failed: the newly generated session id is already in use; refusing to share it");
			return FAILURE;
		case KS_SESS_ACQ_ERROR:
			report(d, "session read (lock acquire)");
			return FAILURE;
		case KS_SESS_ACQ_TIMEOUT:
			break;
	}
	return lock_wait_timed_out(d, key, &w, data);
}

/* Unlocked read (locking off, read_and_close, or a fork of the holder). */
static zend_result read_unlocked(ks_sess_data *d, bool fresh, ks_redis_reply **data)
{
	if (ks_sess_get(d->conn, &d->keys, data) != KS_REDIS_OK) {
		report(d, "session read");
		return FAILURE;
	}
	if (fresh && *data) {
		ks_redis_reply_free(*data);
		*data = NULL;
		php_error_docref(NULL, E_WARNING,
			"keepsake: session read failed: the newly generated session id is already in use; refusing to share it");
		return FAILURE;
	}
	return SUCCESS;
}

/*
 * PS_READ: the session's data, "" when it does not exist. With locking (and
 * not read_and_close) the lock is taken in the same round trip. FAILURE
 * makes session_start() return false, after our one warning.
 */
PS_READ_FUNC(keepsake)
{
	ks_sess_data *d = begin_op(mod_data, key, "session read");
	ks_redis_reply *data = NULL;
	int64_t started = ks_redis_now_ms();
	bool fresh;
	zend_result rc;

	if (!d) {
		return FAILURE;
	}
	d->adopted = false;
	fresh = d->fresh_sid && !strcmp(d->fresh_sid, ZSTR_VAL(key));
	if (d->fresh_sid) {
		efree(d->fresh_sid);
		d->fresh_sid = NULL;
	}
	d->readonly = false;
	rc = KS_SG(locking) && !in_read_and_close() && !lock_inherited(d) ? read_locked(d, key, fresh, &data)
		: read_unlocked(d, fresh, &data);
	if (rc == FAILURE) {
		return FAILURE;
	}
	if (!data) {
		*val = NULL;
		if (!fresh && holds_lock_for(d, key) && KS_SG(migrate_from) != KS_SESS_ADOPT_FROM_NONE
			&& adopt_old_copy(d, key, started, val) == FAILURE) {
			return FAILURE;
		}
		if (!*val) {
			*val = ZSTR_EMPTY_ALLOC();
		}
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

/* True (after its notice, if any) when this request must not write. */
static bool write_skipped(ks_sess_data *d, bool touch)
{
	if (d->readonly) {
		/* An unchanged session (touch) needs no word: nothing is lost, and
		 * session_start() already gave the notice of the timeout. */
		if (!touch) {
			php_error_docref(NULL, E_NOTICE,
				"keepsake: session data not written: the session is read-only in this request (its lock wait timed out)");
		}
		return true;
	}
	if (lock_inherited(d)) {
		/* An unchanged session (touch) needs no word: nothing is lost. */
		if (!touch) {
			php_error_docref(NULL, E_NOTICE,
				"keepsake: session data not written: this process (pid %ld) is a fork of the one that holds the "
				"session lock, which alone writes the session (call session_abort() in the child)", (long)getpid());
		}
		return true;
	}
	return false;
}

static zend_result store_generic(ks_sess_data *d, zend_string *key, zend_string *val, bool touch)
{
	const char *op = touch ? "session TTL refresh" : "session write";
	char *packed = NULL;
	const char *out = ZSTR_VAL(val);
	size_t outlen = ZSTR_LEN(val);
	zend_result rc = SUCCESS;

	if (write_skipped(d, touch)) {
		return SUCCESS;
	}
	/* In touch mode the data is only stored if the key vanished meanwhile;
	 * it is packed the same way so every stored copy reads back alike. */
	if (ks_sess_codec_encode(KS_SG(compression), KS_SG(compression_level), (size_t)KS_SG(compression_threshold),
		ZSTR_VAL(val), ZSTR_LEN(val), &packed, &outlen) == 1) {
		out = packed;
	} else {
		outlen = ZSTR_LEN(val);
	}
	if (holds_lock_for(d, key)) {
		bool adopted = d->adopted;

		rc = release_with(d, touch ? KS_SESS_REL_TOUCH : KS_SESS_REL_WRITE, out, outlen, op);
		if (rc == SUCCESS && adopted) {
			drop_old_copy(d, key, op);
		}
	} else {
		ks_sess_wait w;
		ks_redis_status st;

		wait_init(d, &w);
		st = touch ? ks_sess_touch(d->conn, &d->keys, out, outlen, data_ttl(), &w)
			: ks_sess_set(d->conn, &d->keys, out, outlen, data_ttl(), &w);
		if (st != KS_REDIS_OK) {
			report(d, op);
			rc = FAILURE;
		} else {
			wait_check(d, &w, op);
		}
	}
	free(packed);
	return rc;
}

/* PS_WRITE: SET data EX gc_maxlifetime, fenced by our lock when we hold one. */
PS_WRITE_FUNC(keepsake)
{
	ks_sess_data *d = begin_op(mod_data, key, "session write");
	return d ? store_generic(d, key, val, false) : FAILURE;
}

/* PS_UPDATE_TIMESTAMP: lazy_write found the data unchanged: refresh the TTL
 * only (the data is re-stored only if the key vanished meanwhile). */
PS_UPDATE_TIMESTAMP_FUNC(keepsake)
{
	ks_sess_data *d = begin_op(mod_data, key, "session TTL refresh");
	return d ? store_generic(d, key, val, true) : FAILURE;
}

/* PS_DESTROY: deletes the data; SUCCESS when it did not exist. Refused in a
 * fork of the lock holder and in a read-only request (lock_timeout_action). */
PS_DESTROY_FUNC(keepsake)
{
	ks_sess_data *d = begin_op(mod_data, key, "session destroy");
	ks_sess_wait w;

	if (!d) {
		return FAILURE;
	}
	if (lock_inherited(d)) {
		php_error_docref(NULL, E_WARNING,
			"keepsake: session destroy refused: this process (pid %ld) is a fork of the one that holds the session lock",
			(long)getpid());
		return FAILURE;
	}
	if (d->readonly) {
		/* Deleting the data under another request's lock would not last:
		 * that request's release writes it back (also a TTL refresh, which
		 * stores the data when the key is gone), so a logout would be
		 * undone after session_destroy() said it was done. */
		php_error_docref(NULL, E_WARNING,
			"keepsake: session destroy refused: the session is read-only in this request (its lock wait timed out), "
			"and the request that holds its lock would write it back");
		return FAILURE;
	}
	if (holds_lock_for(d, key)) {
		if (release_with(d, KS_SESS_REL_DESTROY, NULL, 0, "session destroy") == FAILURE) {
			return FAILURE;
		}
	} else {
		wait_init(d, &w);
		if (ks_sess_del(d->conn, &d->keys, &w) != KS_REDIS_OK) {
			report(d, "session destroy");
			return FAILURE;
		}
		wait_check(d, &w, "session destroy");
	}
	if (KS_SG(migrate_from) != KS_SESS_ADOPT_FROM_NONE) {
		drop_old_copy(d, key, "session destroy");   /* or the next request adopts it again */
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
 * Strict mode's check of an id that session_start() is about to read, in
 * the read's own round trip: the Lua-free acquire (ks_sess_lock_try) says
 * whether data exists, and when it also took the lock, the read that
 * follows uses that lock and data (d->ahead) and sends nothing. Done only
 * where PS_READ would take the lock: locking on, not read_and_close, no
 * lock held already (session_reset(), session_create_id() inside a
 * session: a plain EXISTS then), and not an id this worker just made.
 * Returns 1 exists (in keepsake's store, or with migrate_from in the old
 * one; or Redis failed, the error sticky: the id is kept, see
 * unknown_id_kept()), 0 not, -1 not known (the caller asks EXISTS). A lock
 * taken on an id that is then refused is dropped at once (silently: sent
 * once more after a lost reply or a demoted node, and a failure that
 * remains stays sticky for the read to report; drop_checked_lock()), so a
 * refused id costs one round trip more than before, and a known one one
 * less. The drop leaves
 * no receipt: a client that sprays made-up ids leaves no key behind, and
 * each such id writes only the lock's SET NX and its DEL (a read-only check
 * would need Lua in every strict request's acquire, or a round trip more).
 */
static int lock_ahead(ks_sess_data *d, zend_string *key)
{
	ks_redis_reply *data = NULL;
	ks_sess_wait_info w = { false, 0, false };
	int exists = -1;

	if (!KS_SG(locking) || d->locked || in_read_and_close() || lock_inherited(d)
		|| (d->fresh_sid && !strcmp(d->fresh_sid, ZSTR_VAL(key))) || !new_token(d)) {
		return -1;
	}
	if (ks_sess_lock_try(d->conn, &d->keys, d->token, lock_ttl_ms(), data_ttl(), &data, &exists) != 1) {
		if (d->conn->err != KS_REDIS_OK) {
			return 1;   /* not known: kept (unknown_id_kept()), and the read reports the error */
		}
		if (exists < 0) {
			/* An error reply (a server without GETEX, a cluster redirection):
			 * our SET may still have taken the lock, under a token the read
			 * will not use. Give it back (fenced: a no-op when not ours). */
			drop_checked_lock(d, d->conn, &d->keys);
			return -1;
		}
		return exists_or_old(d, key, exists == 1) ? 1 : 0;
	}
	keep_lock(d, key, &w);
	d->ahead = true;
	d->ahead_data = data;
	/* An id only the old store has keeps the lock: the read adopts that
	 * copy under it. So does one the old store could not be asked about
	 * (an error reply, or none in time), whose failure stays sticky on
	 * this connection: a drop could not get past it, and the lock would
	 * stay for its whole TTL (give_back() sends nothing on a connection
	 * that failed before; resetting it to drop the lock would clear that
	 * failure unseen, and the request would go on with a new id: a user
	 * logged out on a failure nobody hears of). Kept, the read reports
	 * that error and close gives the lock back. */
	if (!exists_or_old(d, key, data != NULL) && d->lock_conn->err == KS_REDIS_OK) {
		drop_checked_lock(d, d->lock_conn, &d->lock_keys);
		forget_lock(d);
		return 0;
	}
	return 1;
}

/*
 * Strict mode's answer for an id Redis could not be asked about (the
 * failure stays sticky on d->conn, and the read that follows reports it
 * once and fails): an id the request brought is kept. Refused, it would
 * make PHP send the browser a new id before that read fails, and the user
 * would stay logged out after Redis is back, the session still stored
 * under the old id. Kept, session_start() returns false and no cookie
 * changes, and nothing can be stored under the unchecked id, as the read
 * fails. An id this worker has just made (session_regenerate_id(),
 * session_create_id(): PHP asks whether it collides) is answered "not
 * there", as it is new in any case.
 */
static bool unknown_id_kept(ks_sess_data *d, zend_string *key)
{
	return !(d->fresh_sid && !strcmp(d->fresh_sid, ZSTR_VAL(key)));
}

/*
 * PS_VALIDATE_SID (session.use_strict_mode=1): SUCCESS when data exists under
 * the id (lock_ahead(), or EXISTS). No warning on a Redis failure: the id is
 * kept (unknown_id_kept()) and the read reports the (sticky) error once.
 */
PS_VALIDATE_SID_FUNC(keepsake)
{
	ks_sess_data *d = begin_op(mod_data, key, NULL);
	bool exists = false;
	int ahead;

	if (!d) {
		return FAILURE;
	}
	ahead = lock_ahead(d, key);
	if (ahead >= 0) {
		exists = ahead == 1;
	} else if (ks_sess_exists(d->conn, &d->keys, &exists) == KS_REDIS_OK) {
		exists = exists_or_old(d, key, exists);
	} else {
		exists = unknown_id_kept(d, key);
	}
	return exists ? SUCCESS : FAILURE;
}
