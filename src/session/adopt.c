/*
 * adopt.c: reading and deleting the old store's copy of a session
 * (ks_sess_adopt.h), on top of the key names and file walk of migrate.c.
 *
 * phpredis: one round trip per look, PTTL of phpredis's lock and GET of its
 * data pipelined together. A lock that is held (PTTL > 0, or -1: no TTL)
 * means an old worker is inside a request for this session; its write is
 * yet to come, so the data is not taken: the pair is asked again after a
 * short sleep, until the lock is gone or the budget spent. keepsake never
 * takes phpredis's lock itself: its own lock already orders keepsake's
 * requests, and only an old worker's request that is already running can
 * overlap (see docs/session.md on keeping each user on one side).
 */
#include "session/ks_sess_adopt.h"
#include "session/ks_sess_migrate.h"
#include "redis/deadline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void set_err(char *err, size_t errlen, const char *msg)
{
	if (err && errlen) {
		snprintf(err, errlen, "%s", msg);
	}
}

static void nap_ms(int64_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
	}
}

/* ---- phpredis ---------------------------------------------------------- */

/* The data key and (when lock is not NULL) the lock key of sid, malloc'd;
 * false on OOM (err set). */
static bool phpredis_keys(const ks_sess_adopt_src *s, const char *sid, size_t len, char **key, size_t *klen,
	char **lock, size_t *llen, char *err, size_t errlen)
{
	if (lock) {
		*lock = NULL;
	}
	if (ks_sess_mig_phpredis_key(s->prefix, s->prefix_len, sid, len, key, klen) != KS_SESS_MIG_OK) {
		set_err(err, errlen, "out of memory building phpredis's key");
		return false;
	}
	if (lock && ks_sess_mig_phpredis_lock_key(*key, *klen, s->cluster ? KS_SESS_MIG_LOCK_CLUSTER
		: KS_SESS_MIG_LOCK_STANDALONE, lock, llen) == KS_SESS_MIG_NOMEM) {
		free(*key);
		*key = NULL;
		set_err(err, errlen, "out of memory building phpredis's lock key");
		return false;
	}
	return true;   /* *lock NULL: a key phpredis's Cluster handler never locks */
}

/* One round trip: PTTL lock (when there is one), GET key. Sets *held when
 * the lock is held, else *out to the data (NULL when none). */
static ks_redis_status phpredis_look(ks_redis_conn *c, const char *key, size_t klen, const char *lock,
	size_t llen, bool *held, char **out, size_t *outlen)
{
	ks_redis_reply *r[2] = { NULL, NULL };
	unsigned n = 0, i;
	ks_redis_cmd cmd;
	ks_redis_status st = KS_REDIS_OK;

	*held = false;
	if (lock) {
		ks_redis_cmd_init(&cmd, "PTTL");
		ks_redis_cmd_append_len(&cmd, lock, llen);
		st = ks_redis_append_cmd(c, &cmd);
		ks_redis_cmd_free(&cmd);
		n++;
	}
	ks_redis_cmd_init(&cmd, "GET");
	ks_redis_cmd_append_len(&cmd, key, klen);
	if (st == KS_REDIS_OK) {
		st = ks_redis_append_cmd(c, &cmd);
	}
	ks_redis_cmd_free(&cmd);
	n++;
	if (st != KS_REDIS_OK || ks_redis_exec(c, r, n, 0, KS_REDIS_RETRY_SAFE) != KS_REDIS_OK) {
		return c->err;
	}
	for (i = 0; i < n && st == KS_REDIS_OK; i++) {
		if (r[i]->kind == KS_REDIS_REPLY_ERROR) {
			char what[300];
			snprintf(what, sizeof(what), "%s of phpredis's session on %s", i + 1 < n ? "PTTL" : "GET",
				ks_redis_conn_desc(c));
			st = ks_redis_reply_error(c, what, r[i]);
		}
	}
	if (st == KS_REDIS_OK) {
		ks_redis_reply *d = r[n - 1];

		*held = lock && r[0]->kind == KS_REDIS_REPLY_INTEGER && r[0]->integer != -2;
		if (!*held && d->kind == KS_REDIS_REPLY_STRING && d->len > 0) {
			if ((*out = malloc(d->len)) == NULL) {
				st = ks_redis_conn_set_error(c, KS_REDIS_ERR_OOM, "out of memory reading phpredis's session from %s",
					ks_redis_conn_desc(c));
			} else {
				memcpy(*out, d->str, d->len);
				*outlen = d->len;
			}
		}
	}
	for (i = 0; i < n; i++) {
		ks_redis_reply_free(r[i]);
	}
	return st;
}

static ks_sess_adopt_result phpredis_read(const ks_sess_adopt_src *s, const char *sid, size_t len,
	int64_t wait_ms, char **out, size_t *outlen, char *err, size_t errlen)
{
	int64_t deadline = ks_redis_now_ms() + (wait_ms > 0 ? wait_ms : 0);
	char *key, *lock;
	size_t klen, llen = 0;
	ks_sess_adopt_result rc;

	if (!phpredis_keys(s, sid, len, &key, &klen, &lock, &llen, err, errlen)) {
		ks_redis_conn_set_error(s->conn, KS_REDIS_ERR_OOM, "%s", err);
		return KS_SESS_ADOPT_REDIS;
	}
	for (;;) {
		bool held;
		int64_t left;

		if (phpredis_look(s->conn, key, klen, lock, llen, &held, out, outlen) != KS_REDIS_OK) {
			rc = KS_SESS_ADOPT_REDIS;
			break;
		}
		if (!held) {
			rc = *out ? KS_SESS_ADOPT_OK : KS_SESS_ADOPT_NONE;
			break;
		}
		left = deadline - ks_redis_now_ms();
		if (left <= 0) {
			snprintf(err, errlen, "phpredis's session lock %.100s<sid>_LOCK on %s was held for the whole lock wait of %lld ms",
				s->prefix, ks_redis_conn_desc(s->conn), (long long)(wait_ms > 0 ? wait_ms : 0));
			rc = KS_SESS_ADOPT_TIMEOUT;
			break;
		}
		nap_ms(left < KS_SESS_ADOPT_POLL_MS ? left : KS_SESS_ADOPT_POLL_MS);
	}
	free(key);
	free(lock);
	return rc;
}

/* DEL or EXISTS of phpredis's data key: OK when its integer reply is > 0. */
static ks_sess_adopt_result phpredis_key_cmd(const ks_sess_adopt_src *s, const char *name, const char *sid,
	size_t len, char *err, size_t errlen)
{
	ks_redis_reply *r = NULL;
	ks_redis_cmd cmd;
	char *key;
	size_t klen;
	ks_redis_status st;
	ks_sess_adopt_result rc = KS_SESS_ADOPT_REDIS;

	if (!phpredis_keys(s, sid, len, &key, &klen, NULL, NULL, err, errlen)) {
		ks_redis_conn_set_error(s->conn, KS_REDIS_ERR_OOM, "%s", err);
		return KS_SESS_ADOPT_REDIS;
	}
	ks_redis_cmd_init(&cmd, name);
	ks_redis_cmd_append_len(&cmd, key, klen);
	free(key);
	st = ks_redis_append_cmd(s->conn, &cmd);
	ks_redis_cmd_free(&cmd);
	if (st != KS_REDIS_OK || ks_redis_exec(s->conn, &r, 1, 0, KS_REDIS_RETRY_SAFE) != KS_REDIS_OK) {
		return rc;
	}
	if (r->kind == KS_REDIS_REPLY_INTEGER) {
		rc = r->integer > 0 ? KS_SESS_ADOPT_OK : KS_SESS_ADOPT_NONE;
	} else {
		char what[300];
		snprintf(what, sizeof(what), "%s of phpredis's session on %s", name, ks_redis_conn_desc(s->conn));
		if (r->kind == KS_REDIS_REPLY_ERROR) {
			ks_redis_reply_error(s->conn, what, r);
		} else {
			ks_redis_conn_set_error(s->conn, KS_REDIS_ERR_PROTOCOL, "unexpected reply to %s", what);
		}
	}
	ks_redis_reply_free(r);
	return rc;
}

/* ---- files ------------------------------------------------------------- */

static ks_sess_adopt_result from_mig(ks_sess_mig_status st)
{
	switch (st) {
		case KS_SESS_MIG_OK: return KS_SESS_ADOPT_OK;
		case KS_SESS_MIG_NONE:
		case KS_SESS_MIG_INVALID: return KS_SESS_ADOPT_NONE;   /* mod_files would not have it either */
		case KS_SESS_MIG_REFUSED:
		case KS_SESS_MIG_TOO_BIG: return KS_SESS_ADOPT_REFUSED;
		case KS_SESS_MIG_LOCK_TIMEOUT: return KS_SESS_ADOPT_TIMEOUT;
		case KS_SESS_MIG_IO:
		case KS_SESS_MIG_NOMEM: break;
	}
	return KS_SESS_ADOPT_FAILED;
}

/* Opens migrate_path's directory: -1 with *rc and err set when it cannot be
 * used (a malformed path, or a directory that cannot be opened: refused,
 * so that a wrong setting does not fail every new session). */
static int files_dir(const ks_sess_adopt_src *s, size_t *depth, ks_sess_adopt_result *rc, char *err, size_t errlen)
{
	ks_sess_mig_files_path p;
	char why[200];
	int fd;

	*rc = KS_SESS_ADOPT_REFUSED;
	if (ks_sess_mig_files_path_parse(s->files_path, s->files_path_len, &p, why, sizeof(why)) != KS_SESS_MIG_OK) {
		snprintf(err, errlen, "keepsake.session.migrate_path: %s", why);
		return -1;
	}
	if (!p.dir) {
		p.dir = s->tmp_dir ? s->tmp_dir : "/tmp";
		p.dir_len = strlen(p.dir);
	}
	*depth = p.depth;
	if ((fd = ks_sess_mig_files_open_dir(p.dir, p.dir_len, why, sizeof(why))) < 0) {
		snprintf(err, errlen, "keepsake.session.migrate_path: %s", why);
	}
	return fd;
}

typedef enum files_op { FILES_READ, FILES_EXISTS, FILES_DELETE } files_op;

static ks_sess_adopt_result files_do(const ks_sess_adopt_src *s, files_op op, const char *sid, size_t len,
	int64_t wait_ms, char **out, size_t *outlen, char *err, size_t errlen)
{
	ks_sess_adopt_result rc;
	ks_sess_mig_status st;
	size_t depth;
	char *tmp = NULL;
	size_t tmplen = 0;
	int dirfd = files_dir(s, &depth, &rc, err, errlen);

	if (dirfd < 0) {
		return rc;
	}
	if (op == FILES_DELETE) {
		st = ks_sess_mig_files_unlink(dirfd, depth, sid, len, err, errlen);
	} else {
		int ms = wait_ms <= 0 ? 0 : wait_ms > 86400000 ? 86400000 : (int)wait_ms;
		st = ks_sess_mig_files_read(dirfd, depth, sid, len, KS_SESS_ADOPT_MAX_BYTES, ms,
			out ? out : &tmp, out ? outlen : &tmplen, err, errlen);
		free(tmp);
		if (op == FILES_EXISTS && st == KS_SESS_MIG_LOCK_TIMEOUT) {
			st = KS_SESS_MIG_OK;   /* an old worker is using it: it exists */
		}
	}
	close(dirfd);
	return from_mig(st);
}

/* ---- the API ------------------------------------------------------------ */

ks_sess_adopt_result ks_sess_adopt_read(const ks_sess_adopt_src *s, const char *sid, size_t len,
	int64_t wait_ms, char **out, size_t *outlen, char *err, size_t errlen)
{
	*out = NULL;
	*outlen = 0;
	if (s->from == KS_SESS_ADOPT_FROM_PHPREDIS) {
		return phpredis_read(s, sid, len, wait_ms, out, outlen, err, errlen);
	}
	if (s->from == KS_SESS_ADOPT_FROM_FILES) {
		return files_do(s, FILES_READ, sid, len, wait_ms, out, outlen, err, errlen);
	}
	return KS_SESS_ADOPT_NONE;
}

ks_sess_adopt_result ks_sess_adopt_delete(const ks_sess_adopt_src *s, const char *sid, size_t len,
	char *err, size_t errlen)
{
	if (s->from == KS_SESS_ADOPT_FROM_PHPREDIS) {
		return phpredis_key_cmd(s, "DEL", sid, len, err, errlen);
	}
	if (s->from == KS_SESS_ADOPT_FROM_FILES) {
		return files_do(s, FILES_DELETE, sid, len, 0, NULL, NULL, err, errlen);
	}
	return KS_SESS_ADOPT_NONE;
}

ks_sess_adopt_result ks_sess_adopt_exists(const ks_sess_adopt_src *s, const char *sid, size_t len,
	char *err, size_t errlen)
{
	if (s->from == KS_SESS_ADOPT_FROM_PHPREDIS) {
		return phpredis_key_cmd(s, "EXISTS", sid, len, err, errlen);
	}
	if (s->from == KS_SESS_ADOPT_FROM_FILES) {
		return files_do(s, FILES_EXISTS, sid, len, 0, NULL, NULL, err, errlen);
	}
	return KS_SESS_ADOPT_NONE;
}
