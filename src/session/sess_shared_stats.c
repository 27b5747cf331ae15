/*
 * sess_shared_stats.c: the session counters summed over every worker of one
 * master, in a page of shared memory (layout and invariants in
 * ks_sess_shared_stats.h), and the lock-wait histogram's arithmetic.
 */
#include "php_keepsake.h"
#include "session/ks_sess_shared_stats.h"
#include "redis/conn.h"

#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define G(f) KEEPSAKE_G(sess.f)

typedef struct ks_sess_shared {
	ks_sess_stats stats;        /* the workers' ks_sess_stats, summed */
	ks_redis_counters redis;    /* the workers' Redis counters, summed; .shared stays NULL */
	uint64_t since;             /* unix time of the mapping or of the last reset */
} ks_sess_shared;

_Static_assert(sizeof(ks_sess_stats) % sizeof(uint64_t) == 0, "ks_sess_stats must hold uint64_t fields only");

/* Process-wide: mapped once in MINIT, shared by every thread and fork. */
static ks_sess_shared *area = NULL;
static size_t area_len = 0;

zend_result ks_sess_shared_minit(void)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t unit = page > 0 ? (size_t)page : 4096;
	void *p;

	area_len = (sizeof(ks_sess_shared) + unit - 1) / unit * unit;
	p = mmap(NULL, area_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		php_error_docref(NULL, E_CORE_WARNING, "keepsake: cannot map %zu bytes of shared memory for the session counters: %s; "
			"keepsake_session_stats(true) reports this process's counters only", area_len, strerror(errno));
		area_len = 0;
		return FAILURE;
	}
	area = p;   /* zero-filled by the kernel */
	area->since = (uint64_t)time(NULL);
	ks_sess_shared_rinit();
	return SUCCESS;
}

void ks_sess_shared_mshutdown(void)
{
	if (area) {
		if (G(redis)) {
			G(redis)->shared = NULL;
		}
		(void)munmap(area, area_len);
		area = NULL;
	}
}

void ks_sess_shared_rinit(void)
{
	if (G(redis)) {   /* allocated by GINIT, which runs before this */
		G(redis)->shared = area ? &area->redis : NULL;
	}
}

static void shared_add(size_t field, uint64_t n)
{
	if (area) {
		__atomic_add_fetch((uint64_t *)((char *)&area->stats + field), n, __ATOMIC_RELAXED);
	}
}

void ks_sess_stats_add(uint64_t *field, uint64_t n)
{
	size_t off = (size_t)((char *)field - (char *)&G(stats));

	ZEND_ASSERT(off < sizeof(ks_sess_stats));
	*field += n;
	shared_add(off, n);
}

/* *max = the larger of *max and v, by compare-and-swap: no lock, no lost update. */
static void atomic_max(uint64_t *max, uint64_t v)
{
	uint64_t cur = __atomic_load_n(max, __ATOMIC_RELAXED);

	while (v > cur && !__atomic_compare_exchange_n(max, &cur, v, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
		/* cur now holds the value another worker stored: try again against it */
	}
}

void ks_sess_stats_wait(int64_t ms)
{
	uint64_t v = ms > 0 ? (uint64_t)ms : 0;
	int b = ks_sess_wait_bucket(ms);

	ks_sess_stats_add(&G(stats).lock_waits, 1);
	ks_sess_stats_add(&G(stats).lock_wait_ms_total, v);
	ks_sess_stats_add(&G(stats).wait_hist[b], 1);
	if (v > G(stats).lock_wait_ms_max) {
		G(stats).lock_wait_ms_max = v;
	}
	if (area) {
		atomic_max(&area->stats.lock_wait_ms_max, v);
	}
}

static uint64_t load(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

bool ks_sess_shared_snapshot(ks_sess_stats *s, ks_redis_counters *r)
{
	const uint64_t *src;
	uint64_t *dst = (uint64_t *)s;
	size_t i;

	if (!area) {
		return false;
	}
	src = (const uint64_t *)&area->stats;
	for (i = 0; i < sizeof(ks_sess_stats) / sizeof(uint64_t); i++) {
		dst[i] = load(&src[i]);
	}
	r->round_trips = load(&area->redis.round_trips);
	r->commands = load(&area->redis.commands);
	r->connects = load(&area->redis.connects);
	r->reconnects = load(&area->redis.reconnects);
	r->shared = NULL;
	return true;
}

time_t ks_sess_shared_since(void)
{
	return area ? (time_t)__atomic_load_n(&area->since, __ATOMIC_RELAXED) : 0;
}

void ks_sess_shared_reset(void)
{
	uint64_t *p;
	size_t i;

	if (!area) {
		return;
	}
	p = (uint64_t *)&area->stats;
	for (i = 0; i < sizeof(ks_sess_stats) / sizeof(uint64_t); i++) {
		__atomic_store_n(&p[i], 0, __ATOMIC_RELAXED);
	}
	__atomic_store_n(&area->redis.round_trips, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&area->redis.commands, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&area->redis.connects, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&area->redis.reconnects, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&area->since, (uint64_t)time(NULL), __ATOMIC_RELAXED);
}

PHP_FUNCTION(keepsake_session_stats_reset)
{
	ZEND_PARSE_PARAMETERS_NONE();
	ks_sess_shared_reset();
	RETURN_BOOL(area != NULL);
}

/* ---- the histogram ------------------------------------------------------ */

int64_t ks_sess_wait_bound_ms(int bucket)
{
	return (int64_t)1 << bucket;   /* 1, 2, 4, ... 32768 ms */
}

int ks_sess_wait_bucket(int64_t ms)
{
	int b = 0;

	while (b < KS_SESS_WAIT_BUCKETS - 1 && ms > ks_sess_wait_bound_ms(b)) {
		b++;
	}
	return b;
}

double ks_sess_wait_quantile(const ks_sess_stats *s, double q)
{
	uint64_t total = 0, seen = 0;
	double rank, lo, hi, est;
	int b;

	for (b = 0; b < KS_SESS_WAIT_BUCKETS; b++) {
		total += s->wait_hist[b];
	}
	if (total == 0) {
		return 0;
	}
	rank = q * (double)total;
	for (b = 0; b < KS_SESS_WAIT_BUCKETS - 1; b++) {
		if ((double)(seen + s->wait_hist[b]) >= rank && s->wait_hist[b] > 0) {
			break;
		}
		seen += s->wait_hist[b];
	}
	lo = b == 0 ? 0 : (double)ks_sess_wait_bound_ms(b - 1);
	if (b == KS_SESS_WAIT_BUCKETS - 1) {
		/* the open bucket has no upper bound: the longest wait is the best one */
		est = (double)s->lock_wait_ms_max > lo ? (double)s->lock_wait_ms_max : lo;
	} else {
		hi = (double)ks_sess_wait_bound_ms(b);
		est = lo + (hi - lo) * (rank - (double)seen) / (double)s->wait_hist[b];
	}
	return est > (double)s->lock_wait_ms_max ? (double)s->lock_wait_ms_max : est;
}

void ks_sess_stats_add_histogram(zval *arr, const ks_sess_stats *s)
{
	zval h;
	int b;

	array_init(&h);
	for (b = 0; b < KS_SESS_WAIT_BUCKETS; b++) {
		zend_long n = s->wait_hist[b] > ZEND_LONG_MAX ? ZEND_LONG_MAX : (zend_long)s->wait_hist[b];
		if (b < KS_SESS_WAIT_BUCKETS - 1) {
			add_index_long(&h, (zend_ulong)ks_sess_wait_bound_ms(b), n);
		} else {
			add_assoc_long(&h, "inf", n);
		}
	}
	add_assoc_zval(arr, "lock_wait_histogram", &h);
	add_assoc_double(arr, "lock_wait_ms_p50", ks_sess_wait_quantile(s, 0.50));
	add_assoc_double(arr, "lock_wait_ms_p95", ks_sess_wait_quantile(s, 0.95));
	add_assoc_double(arr, "lock_wait_ms_p99", ks_sess_wait_quantile(s, 0.99));
}
