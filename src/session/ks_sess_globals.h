/*
 * ks_sess_globals.h: the session part's slice of the module globals.
 *
 * Three kinds of fields:
 *  - INI-backed settings (keepsake.session.*): written only by PHP's INI
 *    machinery through the OnUpdate handlers in sess_module.c, which reject
 *    bad values (so every value here is valid).
 *  - per-worker state that outlives requests: `pool`, the Redis
 *    connections of this worker's save_path, one per host, with the ring
 *    that routes session ids to them (redis/pool.h; malloc'd, freed in
 *    GSHUTDOWN), and the counters reported by keepsake_session_stats()
 *    (`redis` is malloc'd in GINIT, freed in GSHUTDOWN).
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

/* How many statuses the Redis layer has (KS_REDIS_STATUS_COUNT, which
 * sess_module.c checks this against at compile time): this header must not
 * include redis/status.h to learn it. */
#define KS_SESS_ERR_REDIS_KINDS 9

/* Error kinds counted by keepsake_session_stats()['errors']: the Redis
 * layer's statuses first (same values), then the session layer's own. */
typedef enum ks_sess_err_kind {
	KS_SESS_ERR_SAVE_PATH = KS_SESS_ERR_REDIS_KINDS,
	KS_SESS_ERR_INVALID_SID,
	KS_SESS_ERR_CODEC,          /* stored data could not be decompressed */
	KS_SESS_ERR_COUNT
} ks_sess_err_kind;

typedef struct ks_sess_stats {
	uint64_t lock_acquisitions;   /* locks taken */
	uint64_t lock_waits;          /* acquisitions that had to wait at least once */
	uint64_t lock_wait_ms_total;
	uint64_t lock_wait_ms_max;
	uint64_t lock_timeouts;       /* wait budget exhausted */
	uint64_t lost_locks;          /* fenced write/refresh/destroy refused */
	uint64_t release_resends;     /* releases sent a second time (lost reply, or READONLY) */
	uint64_t readonly_sessions;   /* lock timeouts in readonly mode */
	uint64_t errors[KS_SESS_ERR_COUNT];   /* index: ks_redis_status or ks_sess_err_kind */
} ks_sess_stats;

#define KS_SESS_ACTION_FAIL     0
#define KS_SESS_ACTION_READONLY 1

#define KS_SESS_COMPRESS_NONE 0
#define KS_SESS_COMPRESS_LZ4  1
#define KS_SESS_COMPRESS_ZSTD 2

typedef struct ks_sess_globals {
	/* INI (see docs/session.md for meaning and defaults) */
	bool locking;
	zend_long lock_ttl;            /* ms; 0 = max_execution_time + 5 s, at least 30 s */
	zend_long lock_wait;           /* ms; -1 = the lock TTL; 0 = a single try */
	zend_long lock_timeout_action; /* KS_SESS_ACTION_* */
	double connect_timeout;        /* s, > 0 */
	double read_timeout;           /* s, > 0 */
	bool persistent;
	char *prefix;
	char *auth;                    /* never displayed: masked in phpinfo */
	char *user;
	char *sentinel_auth;           /* sentinel:// only: the sentinels' password; masked too */
	char *sentinel_user;
	zend_long database;
	zend_long compression;         /* KS_SESS_COMPRESS_* */
	zend_long compression_threshold; /* bytes; data shorter than this is stored raw */
	zend_long compression_level;   /* 0 = the library's default */

	/* per worker */
	struct ks_redis_pool *pool;    /* NULL until the first session needs it */
	struct ks_redis_counters *redis; /* malloc'd in GINIT, never NULL after it */
	ks_sess_stats stats;
} ks_sess_globals_t;

#endif
