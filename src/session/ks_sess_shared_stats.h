/*
 * ks_sess_shared_stats.h: the session counters of every worker of one
 * master (a php-fpm master, or a CLI process and its forks), summed in a
 * small shared area.
 *
 * The area is one MAP_SHARED|MAP_ANONYMOUS page mapped in MINIT, before
 * php-fpm forks its workers, so every worker (and every fork of a CLI
 * process) adds to the same counters. It belongs to the session part and is
 * separate from the cache's segment. It holds counters only, never session
 * data, ids or host names.
 *
 * Invariants:
 *  - Every field is a uint64_t changed only by __atomic read-modify-write
 *    operations (add, or a CAS loop for the maximum): updates are lock-free,
 *    and a worker that dies (SIGKILL included) loses nothing it had already
 *    added, and can never leave the area locked or half-written.
 *  - Each update goes to the worker's own counters (G(stats), G(redis),
 *    plain adds: a worker owns them) and to the area, so the area is the sum
 *    of the workers' counters since the master started. The two sets are
 *    added one after the other, not as one transaction: a reader racing a
 *    request may see one more in one field than in another (e.g. a wait
 *    counted in lock_waits and not yet in its histogram bucket); once no
 *    request runs, every sum is exact.
 *  - The area lives until MSHUTDOWN of the process that mapped it; the
 *    Redis counters' `shared` pointer points into it (set per request in
 *    RINIT, so ZTS threads started later get it too).
 */
#ifndef KS_SESS_SHARED_STATS_H
#define KS_SESS_SHARED_STATS_H

#include "php.h"
#include "session/ks_sess_globals.h"
#include "redis/conn.h"

/* Maps the area (MINIT: no Redis, no network). FAILURE after one
 * E_CORE_WARNING when the kernel refuses the mapping; the module carries on
 * without it (every function here then works on the worker's counters only). */
zend_result ks_sess_shared_minit(void);
void ks_sess_shared_mshutdown(void);
/* Points this worker's (thread's) Redis counters at the area. */
void ks_sess_shared_rinit(void);

/* Adds n to *field, a counter of G(stats), and to the same counter in the
 * area. */
void ks_sess_stats_add(uint64_t *field, uint64_t n);
/* Counts one lock acquisition that waited `ms` milliseconds: lock_waits,
 * lock_wait_ms_total, lock_wait_ms_max and one histogram bucket, in the
 * worker's counters and in the area. */
void ks_sess_stats_wait(int64_t ms);

/* Copies the area's counters into *s and *r (atomic loads; r->shared is
 * NULL). Returns false when there is no area (never mapped). */
bool ks_sess_shared_snapshot(ks_sess_stats *s, ks_redis_counters *r);
/* Unix time at which the area was mapped (when the master started) or last reset. */
time_t ks_sess_shared_since(void);
/* Sets every counter of the area to zero and `since` to now
 * (keepsake_session_stats_reset(), the status page's "reset"). The workers'
 * own counters are left alone. A request running meanwhile may leave a
 * count it made before the reset in one field and after it in another. */
void ks_sess_shared_reset(void);

/* The histogram's buckets: bucket i (< KS_SESS_WAIT_BUCKETS - 1) counts
 * waits of at most ks_sess_wait_bound_ms(i) ms; the last counts the rest. */
int64_t ks_sess_wait_bound_ms(int bucket);
int ks_sess_wait_bucket(int64_t ms);
/* The q-quantile (0 < q < 1) of the waits in s's histogram, in ms,
 * interpolated linearly inside its bucket (as Prometheus's
 * histogram_quantile does) and never above lock_wait_ms_max; 0 with no
 * waits. Pure. */
double ks_sess_wait_quantile(const ks_sess_stats *s, double q);

/* Adds lock_wait_histogram (upper bound in ms => count, "inf" last) and
 * lock_wait_ms_p50/_p95/_p99 to the array `arr`, from s. */
void ks_sess_stats_add_histogram(zval *arr, const ks_sess_stats *s);

#endif
