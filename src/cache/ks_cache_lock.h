/*
 * ks_cache_lock.h: robust, process-shared mutexes with bounded waits.
 *
 * A ks_cache_lock lives in the shared segment (inside a shard header) and is used
 * by every process forked from the one that ran MINIT. It is a
 * PTHREAD_PROCESS_SHARED, PTHREAD_MUTEX_ROBUST mutex: when its owner dies,
 * the kernel hands it to the next locker with EOWNERDEAD, which we report as
 * KS_CACHE_LK_RECOVERED so the caller can repair the structures the lock covers
 * (and nothing else). Waits are bounded by pthread_mutex_timedlock with a
 * CLOCK_REALTIME deadline; no caller can hang on a lock.
 *
 * No PHP headers: this layer never touches zvals or the Zend allocator.
 */
#ifndef KS_CACHE_LOCK_H
#define KS_CACHE_LOCK_H

#include <pthread.h>

typedef enum ks_cache_lock_result {
	KS_CACHE_LK_ACQUIRED = 0,  /* held, the protected data is consistent */
	KS_CACHE_LK_RECOVERED,     /* held, but the previous owner died inside: repair */
	KS_CACHE_LK_TIMEOUT,         /* not held: the deadline passed */
	KS_CACHE_LK_FAILED         /* not held: the mutex is unusable */
} ks_cache_lock_result;

/* A CPU hint for spin-wait loops. */
static inline void ks_cache_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

/* Initialises *m as a robust process-shared mutex. Returns 0 or an errno. */
int ks_cache_lock_init(pthread_mutex_t *m);

/*
 * Takes *m, waiting at most timeout_ms. *waited is set to 1 when the lock
 * was contended (the uncontended fast path did not succeed), else 0.
 * On KS_CACHE_LK_RECOVERED the mutex has already been made consistent.
 */
ks_cache_lock_result ks_cache_lock_acquire(pthread_mutex_t *m, unsigned timeout_ms, int *waited);

/* Takes *m only if it is free right now; KS_CACHE_LK_TIMEOUT when it is busy. */
ks_cache_lock_result ks_cache_lock_try(pthread_mutex_t *m);

/* Releases *m, which the caller holds. */
void ks_cache_lock_release(pthread_mutex_t *m);

#endif
