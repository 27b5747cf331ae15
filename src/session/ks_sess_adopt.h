/*
 * ks_sess_adopt.h: the old store's copy of a session (phpredis's key, or a
 * file of PHP's files handler), read on a locked miss so that keepsake can
 * adopt it, and deleted once keepsake has written its own copy. No PHP
 * warnings here: each call returns a result and, for what is not a Redis
 * error (those stay sticky on the connection), one line in `err` naming the
 * cause, never the session id nor any byte of the data.
 *
 * The source (ks_sess_adopt_src) is built by the handler for one request
 * from the keepsake.session.migrate_* settings; every pointer in it is
 * borrowed for the duration of the call.
 *
 * Where the old copy is looked for:
 *   phpredis  GET <prefix><sid> on `conn` (the session's host; on cluster://
 *             the node of that key's own slot), after checking phpredis's
 *             lock <key>_LOCK (cluster form on cluster://) in the same round
 *             trip. While that lock is held (an old phpredis worker is inside
 *             a request for this session) the pair is polled, every
 *             KS_SESS_ADOPT_POLL_MS at most, within the caller's budget:
 *             phpredis has no wake list.
 *   files     <dir>/<N levels>/sess_<sid> through ks_sess_mig_files_read()
 *             (no symlink followed below dir, owner checked, flock(LOCK_SH)
 *             waited for within the budget).
 */
#ifndef KS_SESS_ADOPT_H
#define KS_SESS_ADOPT_H

#include "redis/conn.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KS_SESS_ADOPT_POLL_MS 10
/* The largest old copy adopted: a files session is read into memory whole. */
#define KS_SESS_ADOPT_MAX_BYTES ((size_t)64 << 20)

typedef enum ks_sess_adopt_from {
	KS_SESS_ADOPT_FROM_NONE = 0,
	KS_SESS_ADOPT_FROM_PHPREDIS,
	KS_SESS_ADOPT_FROM_FILES
} ks_sess_adopt_from;

typedef struct ks_sess_adopt_src {
	ks_sess_adopt_from from;
	/* phpredis */
	ks_redis_conn *conn;          /* where <prefix><sid> lives */
	bool cluster;                 /* phpredis's Cluster handler names the lock differently */
	const char *prefix;           /* migrate_prefix */
	size_t prefix_len;
	/* files */
	const char *files_path;       /* migrate_path: "[N;[MODE;]]DIR" */
	size_t files_path_len;
	const char *tmp_dir;          /* DIR when files_path gives none (PHP's temporary directory) */
} ks_sess_adopt_src;

typedef enum ks_sess_adopt_result {
	KS_SESS_ADOPT_OK,       /* read: *out holds the data; delete/exists: done / it exists */
	KS_SESS_ADOPT_NONE,     /* no old copy (or, files, an id mod_files would not accept) */
	KS_SESS_ADOPT_REFUSED,  /* files: a symlink, not a regular file, another user's file, too
	                           large, a malformed migrate_path: err says which; never adopted */
	KS_SESS_ADOPT_TIMEOUT,  /* the old handler's lock was held for the whole budget (err) */
	KS_SESS_ADOPT_FAILED,   /* files: a system call failed (err) */
	KS_SESS_ADOPT_REDIS     /* phpredis: the error is sticky on src->conn */
} ks_sess_adopt_result;

/*
 * Reads the old copy of session sid (validated by ks_sess_sid_valid),
 * waiting at most wait_ms for the old handler's lock. OK: *out malloc'd
 * (the caller frees it), *outlen > 0.
 */
ks_sess_adopt_result ks_sess_adopt_read(const ks_sess_adopt_src *s, const char *sid, size_t len,
	int64_t wait_ms, char **out, size_t *outlen, char *err, size_t errlen);

/* Deletes the old copy. OK when deleted, NONE when there was none. */
ks_sess_adopt_result ks_sess_adopt_delete(const ks_sess_adopt_src *s, const char *sid, size_t len,
	char *err, size_t errlen);

/* Whether an old copy exists (strict mode's check), without waiting for
 * its lock: OK when it exists (a files session locked by an old worker
 * counts as existing), NONE when not. */
ks_sess_adopt_result ks_sess_adopt_exists(const ks_sess_adopt_src *s, const char *sid, size_t len,
	char *err, size_t errlen);

#endif
