/*
 * ks_sess_migrate.h: reading a session from the store keepsake replaces
 * (phpredis's keys, or PHP's files handler), so a switch logs nobody out.
 * Pure functions and plain POSIX I/O; no PHP state, no Redis.
 *
 * phpredis (the `redis` save handler; read from phpredis's redis_session.c)
 *   data  <prefix><sid>            prefix: its save_path `prefix=`, default
 *                                  "PHPREDIS_SESSION:"
 *   lock  <prefix><sid>_LOCK       held (SET NX) while a phpredis request
 *                                  runs, when redis.session.locking_enabled=1
 *   phpredis's Cluster handler, in its versions that lock, names the lock
 *   so that it hashes to the data's slot: "<key>_LOCK" when the key has a
 *   non-empty first {tag}, "{<key>}_LOCK" when it has no brace at all, and
 *   refuses any other brace shape (ks_sess_mig_phpredis_lock_key).
 *
 * files (php-src ext/session/mod_files.c)
 *   save_path "[N;[MODE;]]DIR": N levels of one-character subdirectories,
 *   then the file: DIR/<sid[0]>/.../<sid[N-1]>/sess_<sid>. A sid is used
 *   only when mod_files would accept it: [a-zA-Z0-9,-], 1 to 256 characters
 *   (php_session_valid_key) and longer than N. None of those characters is
 *   '/' or '.', so every component is a plain name below DIR.
 *   mod_files holds flock(LOCK_EX) on the file for the whole request, and
 *   creates the file (empty) when it opens an unknown id.
 *
 * Ownership: every buffer handed out is malloc'd and the caller frees it.
 * Errors: functions return a ks_sess_mig_status and write one line into
 * `err` that names the cause; no message contains the session id (it is a
 * credential) or any byte read from a file.
 */
#ifndef KS_SESS_MIGRATE_H
#define KS_SESS_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>

#define KS_SESS_MIG_PHPREDIS_PREFIX "PHPREDIS_SESSION:"
#define KS_SESS_MIG_FILES_MAX_SID 256      /* PS_MAX_SID_LENGTH */
#define KS_SESS_MIG_FILES_MAX_DEPTH 255    /* must stay below the longest sid */

typedef enum ks_sess_mig_status {
	KS_SESS_MIG_OK = 0,       /* data read (*out set, never empty) */
	KS_SESS_MIG_NONE,         /* no such session (no file, or an empty one) */
	KS_SESS_MIG_INVALID,      /* the id (or the files save_path) is not acceptable */
	KS_SESS_MIG_REFUSED,      /* a symlink, not a regular file, another user's file */
	KS_SESS_MIG_TOO_BIG,      /* larger than the caller's bound */
	KS_SESS_MIG_LOCK_TIMEOUT, /* an old files worker held the file longer than the budget */
	KS_SESS_MIG_IO,           /* a system call failed (errno text in err) */
	KS_SESS_MIG_NOMEM
} ks_sess_mig_status;

/* ---- phpredis ---------------------------------------------------------- */

typedef enum ks_sess_mig_lock_form {
	KS_SESS_MIG_LOCK_STANDALONE,  /* phpredis's `redis` handler: <key>_LOCK */
	KS_SESS_MIG_LOCK_CLUSTER      /* phpredis's `rediscluster` handler */
} ks_sess_mig_lock_form;

/*
 * phpredis's data key <prefix><sid>, malloc'd and NUL-terminated into *out
 * (length *outlen). The caller has validated sid (ks_sess_sid_valid).
 * Returns KS_SESS_MIG_OK or KS_SESS_MIG_NOMEM (*out NULL).
 */
ks_sess_mig_status ks_sess_mig_phpredis_key(const char *prefix, size_t plen, const char *sid, size_t slen,
	char **out, size_t *outlen);

/*
 * phpredis's lock key for data key `key`, in `form`, malloc'd into *out.
 * Returns KS_SESS_MIG_OK, KS_SESS_MIG_NOMEM, or KS_SESS_MIG_INVALID for the
 * cluster form of a key whose braces phpredis refuses (an empty first {}
 * or an unmatched brace; phpredis never locks such a session) or of an
 * empty key.
 */
ks_sess_mig_status ks_sess_mig_phpredis_lock_key(const char *key, size_t klen, ks_sess_mig_lock_form form,
	char **out, size_t *outlen);

/* ---- files ------------------------------------------------------------- */

/* A parsed files save_path. `dir` points into the parsed string. */
typedef struct ks_sess_mig_files_path {
	size_t depth;        /* N: levels of subdirectories */
	int mode;            /* MODE (octal), 0600 when absent; reported, never used */
	const char *dir;     /* DIR; NULL when the save_path is empty (PHP then
	                        uses its temporary directory: the caller decides) */
	size_t dir_len;
} ks_sess_mig_files_path;

/*
 * Parses "[N;[MODE;]]DIR" as mod_files does: up to two ';' split it, the
 * rest is DIR (it may hold ';'). N is decimal, MODE octal 0..07777.
 * Stricter than mod_files: N must be 0..KS_SESS_MIG_FILES_MAX_DEPTH and
 * digits only, MODE octal digits only, and DIR may not be empty once N or
 * MODE is given (mod_files would then use "/"). An empty save_path gives
 * dir NULL. Returns KS_SESS_MIG_OK or KS_SESS_MIG_INVALID with err set.
 */
ks_sess_mig_status ks_sess_mig_files_path_parse(const char *s, size_t len, ks_sess_mig_files_path *p,
	char *err, size_t errlen);

/* mod_files's id rule: [a-zA-Z0-9,-], 1..256 characters, and more than
 * `depth` of them (each level takes one). */
bool ks_sess_mig_files_sid_valid(const char *sid, size_t len, size_t depth);

/*
 * The file's path relative to DIR: "<c1>/.../<cN>/sess_<sid>", NUL-terminated
 * in buf. Returns its length, or -1 when the sid is not valid for `depth` or
 * buf (buflen bytes) is too small.
 */
long ks_sess_mig_files_relpath(size_t depth, const char *sid, size_t len, char *buf, size_t buflen);

/*
 * Opens DIR (dir_len bytes, not NUL-terminated) for the calls below: the
 * directory the administrator configured, followed if it is a symlink.
 * Returns an fd (O_DIRECTORY, close-on-exec) or -1 with err set.
 */
int ks_sess_mig_files_open_dir(const char *dir, size_t dir_len, char *err, size_t errlen);

/*
 * Reads session `sid` below the directory dirfd: each subdirectory and the
 * file are opened with openat(O_NOFOLLOW), so no symlink is followed below
 * DIR; the file must be a regular file owned by this process's user or root
 * (mod_files's rule; any owner when running as root) and at most max_bytes.
 * It is read under flock(LOCK_SH), so a files worker that holds LOCK_EX for
 * its request is waited for, polling, at most lock_wait_ms; shared because
 * this only reads (the caller's own lock orders keepsake's requests).
 * OK: *out malloc'd (not NUL-terminated), *outlen > 0. NONE: no file, or an
 * empty one (mod_files leaves one behind for every id it opened).
 */
ks_sess_mig_status ks_sess_mig_files_read(int dirfd, size_t depth, const char *sid, size_t len,
	size_t max_bytes, int lock_wait_ms, char **out, size_t *outlen, char *err, size_t errlen);

/*
 * Removes the file of `sid` below dirfd (never through a symlinked
 * subdirectory; a symlink named sess_<sid> is removed itself, not its
 * target). OK when removed, NONE when there was none.
 */
ks_sess_mig_status ks_sess_mig_files_unlink(int dirfd, size_t depth, const char *sid, size_t len,
	char *err, size_t errlen);

#endif
