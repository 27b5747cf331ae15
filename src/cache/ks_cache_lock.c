/*
 * ks_cache_lock.c: robust process-shared mutexes (see ks_cache_lock.h).
 */
#include "cache/ks_cache_lock.h"

#include <errno.h>
#include <time.h>

#define KS_CACHE_LOCK_SPINS 200

int ks_cache_lock_init(pthread_mutex_t *m)
{
	pthread_mutexattr_t attr;
	int rc = pthread_mutexattr_init(&attr);

	if (rc != 0) {
		return rc;
	}
	rc = pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
	if (rc == 0) {
		rc = pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
	}
	if (rc == 0) {
		rc = pthread_mutex_init(m, &attr);
	}
	pthread_mutexattr_destroy(&attr);
	return rc;
}

/* An EOWNERDEAD lock is ours; mark it consistent so it stays usable. */
static ks_cache_lock_result ks_cache_lock_owner_died(pthread_mutex_t *m)
{
	if (pthread_mutex_consistent(m) != 0) {
		pthread_mutex_unlock(m);
		return KS_CACHE_LK_FAILED;
	}
	return KS_CACHE_LK_RECOVERED;
}

ks_cache_lock_result ks_cache_lock_acquire(pthread_mutex_t *m, unsigned timeout_ms, int *waited)
{
	struct timespec deadline;
	ks_cache_lock_result r = ks_cache_lock_try(m);
	int rc;

	*waited = 0;
	if (r != KS_CACHE_LK_TIMEOUT) {
		return r;
	}
	*waited = 1;
	/* Critical sections are a few hundred ns: spin briefly before paying
	 * for a futex sleep and a context switch. */
	for (int spin = 0; spin < KS_CACHE_LOCK_SPINS; spin++) {
		ks_cache_cpu_relax();
		r = ks_cache_lock_try(m);
		if (r != KS_CACHE_LK_TIMEOUT) {
			return r;
		}
	}
	/* timedlock only accepts CLOCK_REALTIME deadlines for robust mutexes. */
	if (clock_gettime(CLOCK_REALTIME, &deadline) != 0) {
		return KS_CACHE_LK_FAILED;
	}
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long) (timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	do {
		rc = pthread_mutex_timedlock(m, &deadline);
	} while (rc == EINTR);
	switch (rc) {
	case 0:
		return KS_CACHE_LK_ACQUIRED;
	case EOWNERDEAD:
		return ks_cache_lock_owner_died(m);
	case ETIMEDOUT:
		return KS_CACHE_LK_TIMEOUT;
	default:
		return KS_CACHE_LK_FAILED;
	}
}

ks_cache_lock_result ks_cache_lock_try(pthread_mutex_t *m)
{
	int rc = pthread_mutex_trylock(m);

	if (rc == 0) {
		return KS_CACHE_LK_ACQUIRED;
	}
	if (rc == EOWNERDEAD) {
		return ks_cache_lock_owner_died(m);
	}
	return rc == EBUSY ? KS_CACHE_LK_TIMEOUT : KS_CACHE_LK_FAILED;
}

void ks_cache_lock_release(pthread_mutex_t *m)
{
	pthread_mutex_unlock(m);
}
