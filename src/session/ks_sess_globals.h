/*
 * ks_sess_globals.h: the session part's slice of the module globals.
 *
 * Three kinds of fields:
 *  - INI-backed settings (keepsake.session.*): written only by PHP's INI
 *    machinery through the OnUpdate handlers in sess_module.c, which reject
 *    bad values (so every value here is valid). The save_path defaults are
 *    generated from the table of ks_sess_params.h; every write to one of
 *    them bumps `settings_gen`.
 *  - per-worker state that outlives requests: `pool`, the Redis
 *    connections of this worker's save_path, one per host, with the ring
 *    that routes session ids to them (redis/pool.h; malloc'd, freed in
 *    GSHUTDOWN); the parsed form of that save_path (`path_src`, `own`),
 *    valid while the string and `settings_gen` stay the same, so a worker
 *    parses its save_path once; and the counters reported by
 *    keepsake_session_stats() (`redis` is malloc'd in GINIT, freed in
 *    GSHUTDOWN).
 *  - nothing per request: the request's state lives in the session module
 *    data (ks_sess_data, handler.c) between PS_OPEN and PS_CLOSE.
 * No locks: a worker (or a ZTS thread) owns its globals.
 *
 * Included by php_keepsake.h, and so by every file of the module, the
 * cache part's too: it must not include it back, and it names the Redis
 * layer's types only through forward declarations (pointers), so that no
 * file outside the session part compiles a Redis or hiredis header
 * (scripts/check-layers checks it).
 */
#ifndef KS_SESS_GLOBALS_H
#define KS_SESS_GLOBALS_H

#include "php.h"

struct ks_redis_pool;       /* redis/pool.h */
struct ks_redis_counters;   /* redis/conn.h */

#include "session/ks_sess_params.h"

/* Every session file reaches its globals through this one macro. */
#define KS_SG(f) KEEPSAKE_G(sess.f)

/* Error kinds counted by keepsake_session_stats()['errors'], named by
 * ks_sess_err_name() (handler.c). The session layer's own, not the Redis
 * layer's statuses: ks_sess_err_from_redis() maps each of those to one of
 * the kinds from CONNECT to OOM. */
typedef enum ks_sess_err_kind {
	KS_SESS_ERR_NONE = 0,
	KS_SESS_ERR_CONNECT,
	KS_SESS_ERR_IO,
	KS_SESS_ERR_TIMEOUT,
	KS_SESS_ERR_PROTOCOL,
	KS_SESS_ERR_AUTH,
	KS_SESS_ERR_REPLY,
	KS_SESS_ERR_CONFIG,
	KS_SESS_ERR_OOM,
	KS_SESS_ERR_SAVE_PATH,
	KS_SESS_ERR_INVALID_SID,
	KS_SESS_ERR_CODEC,          /* stored data could not be decompressed */
	KS_SESS_ERR_COUNT
} ks_sess_err_kind;

/* The lock-wait histogram's buckets: powers of two from 1 ms to 32768 ms,
 * then one for longer waits (ks_sess_shared_stats.h). */
#define KS_SESS_WAIT_BUCKETS 17

typedef struct ks_sess_stats {
	uint64_t lock_acquisitions;   /* locks taken */
	uint64_t lock_waits;          /* acquisitions that had to wait at least once */
	uint64_t lock_wait_ms_total;
	uint64_t lock_wait_ms_max;
	uint64_t lock_timeouts;       /* wait budget exhausted */
	uint64_t lost_locks;          /* fenced write/refresh/destroy refused */
	uint64_t release_resends;     /* releases and drops sent a second time (lost reply, or READONLY) */
	uint64_t readonly_sessions;   /* lock timeouts in readonly mode */
	uint64_t replica_shortfalls;  /* writes that fewer than wait_replicas replicas acknowledged in time */
	uint64_t errors[KS_SESS_ERR_COUNT];   /* index: ks_sess_err_kind */
	uint64_t wait_hist[KS_SESS_WAIT_BUCKETS];   /* lock_waits by wait time; sums to lock_waits */
} ks_sess_stats;

#define KS_SESS_ACTION_FAIL     0
#define KS_SESS_ACTION_READONLY 1

#define KS_SESS_COMPRESS_NONE 0
#define KS_SESS_COMPRESS_LZ4  1
#define KS_SESS_COMPRESS_ZSTD 2

/* The C type of a setting of each kind of ks_sess_params.h. */
#define KS_SESS_SETTING_CTYPE_SECONDS double
#define KS_SESS_SETTING_CTYPE_UINT    zend_long
#define KS_SESS_SETTING_CTYPE_BOOL    bool
#define KS_SESS_SETTING_CTYPE_STR     char *
#define KS_SESS_SETTING_CTYPE_SECRET  char *
#define KS_SESS_SETTING_CTYPE_MS      zend_long
#define KS_SESS_SETTING_FIELD_C(setting, kind, def, field) KS_SESS_SETTING_CTYPE_##kind setting;
#define KS_SESS_SETTING_FIELD_O(name, kind, def) KS_SESS_SETTING_CTYPE_##kind name;

typedef struct ks_sess_globals {
	/* INI (see docs/session.md for meaning and defaults) */
	bool locking;
	zend_long lock_ttl;            /* ms; 0 = max_execution_time + 5 s, at least 30 s */
	zend_long lock_wait;           /* ms; -1 = the lock TTL; 0 = a single try */
	zend_long lock_timeout_action; /* KS_SESS_ACTION_* */
	zend_long compression;         /* KS_SESS_COMPRESS_* */
	zend_long compression_threshold; /* bytes; data shorter than this is stored raw */
	zend_long compression_level;   /* 0 = the library's default */
	zend_long migrate_from;        /* KS_SESS_ADOPT_FROM_* (ks_sess_adopt.h): the store a locked
	                                  miss looks in; 0 (none) = look nowhere */
	char *migrate_prefix;          /* phpredis's key prefix (its save_path prefix=) */
	char *migrate_path;            /* the files handler's save_path "[N;[MODE;]]DIR"; "" = PHP's
	                                  temporary directory, as mod_files */
	/* INI: the save_path defaults, one per row of ks_sess_params.h (auth and
	 * sentinel_auth are never displayed: masked in phpinfo) */
	KS_SESS_PARAM_TABLE(KS_SESS_SETTING_FIELD_C, KS_SESS_SETTING_FIELD_O)
	uint64_t settings_gen;         /* bumped by every write to one of those */

	/* per worker */
	struct ks_redis_pool *pool;          /* NULL until the first session needs it */
	char *path_src;                /* malloc'd: the save_path `pool` and `own` were parsed
	                                  from; NULL when none (or the last one was malformed) */
	uint64_t path_gen;             /* settings_gen when path_src was parsed */
	ks_sess_own_params own;        /* the session parameters of path_src (malloc'd strings) */
	struct ks_redis_counters *redis; /* malloc'd in GINIT, never NULL after it; ->shared: the
	                                    all-workers page's set (set in RINIT) */
	ks_sess_stats stats;           /* changed only through ks_sess_stats_add()/_wait(), which also
	                                  add to the all-workers page (ks_sess_shared_stats.h) */
	zend_ulong contended_hash;     /* hash of the last session id whose lock this worker had to
	                                  wait for; 0 = none (handler.c, expect_contention()) */
	int64_t contended_at;          /* ks_redis_now_ms() of that wait's end */
} ks_sess_globals_t;

#endif
