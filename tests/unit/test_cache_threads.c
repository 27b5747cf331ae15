/*
 * test_cache_threads.c: the cache store (ks_cache_store.c) used from several
 * threads of one process, as a ZTS PHP uses it; built and run by
 * scripts/unit. Pure C, no PHP:
 * - a lease is owned by a (pid, thread) pair: another thread of the same
 *   process asking for the key is told to wait (KS_CACHE_LEASED) and cannot drop
 *   it, while the owner thread asking again gets it back; once the owner
 *   drops it, the other thread gets it;
 * - entry()'s protocol from 4 threads at once over 50 keys: each key's
 *   value is computed exactly once (one lease holder per key at a time);
 * - 4 threads x 20000 increments of one key end at exactly 80000 (the
 *   shard locks serialize threads as they do processes).
 */
#include "cache/ks_cache_store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <unistd.h>

#define THREADS 4
#define INCS    20000
#define KEYS    50

static ks_cache_seg *seg;
static unsigned computed[KEYS];   /* how often each key's value was computed (atomic) */

static void ctx_init(ks_cache_ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->seg = seg;
	c->lock_timeout_ms = 5000;
	c->pid = (int) getpid();
	c->thread = ks_cache_store_thread_tag();
}

static void key_init(ks_cache_key *k, const char *s)
{
	uint64_t h = 1469598103934665603ull;
	size_t i, n = strlen(s);
	for (i = 0; i < n; i++) {
		h = (h ^ (unsigned char) s[i]) * 1099511628211ull;
	}
	ks_cache_key_init(k, s, n, h);
}

/* Runs fn(arg) in a new thread and returns its result. */
static long in_thread(void *(*fn)(void *), void *arg)
{
	pthread_t t;
	void *rv = NULL;
	if (pthread_create(&t, NULL, fn, arg) != 0 || pthread_join(t, &rv) != 0) {
		printf("FAIL pthread_create/join\n");
		exit(1);
	}
	return (long) rv;
}

static void *other_lease(void *arg)
{
	ks_cache_ctx c;
	ks_cache_key k;
	ks_cache_buf out = { NULL, 0, 0 };
	long st;
	ctx_init(&c);
	key_init(&k, (const char *) arg);
	st = ks_cache_store_lease(&c, &k, 60, &out);
	ks_cache_buf_free(&out);
	return (void *) st;
}

static void *other_unlease(void *arg)
{
	ks_cache_ctx c;
	ks_cache_key k;
	ctx_init(&c);
	key_init(&k, (const char *) arg);
	return (void *) (long) ks_cache_store_unlease(&c, &k);
}

static int check(const char *what, long got, long want)
{
	if (got != want) {
		printf("FAIL %s: status %ld, expected %ld\n", what, got, want);
		return 1;
	}
	return 0;
}

static int leases_are_per_thread(void)
{
	ks_cache_ctx c;
	ks_cache_key k;
	ks_cache_buf out = { NULL, 0, 0 };
	int bad = 0;

	ctx_init(&c);
	key_init(&k, "lease");
	bad |= check("main takes the lease", ks_cache_store_lease(&c, &k, 60, &out), KS_CACHE_LEASE_MINE);
	bad |= check("another thread must wait", in_thread(other_lease, "lease"), KS_CACHE_LEASED);
	bad |= check("another thread cannot drop it", in_thread(other_unlease, "lease"), KS_CACHE_NOTFOUND);
	bad |= check("the owner asking again keeps it", ks_cache_store_lease(&c, &k, 60, &out), KS_CACHE_LEASE_MINE);
	bad |= check("the owner drops it", ks_cache_store_unlease(&c, &k), KS_CACHE_OK);
	bad |= check("then another thread gets it", in_thread(other_lease, "lease"), KS_CACHE_LEASE_MINE);
	bad |= check("and main must wait", ks_cache_store_lease(&c, &k, 60, &out), KS_CACHE_LEASED);
	ks_cache_buf_free(&out);
	return bad;
}

/* entry() as cache_api.c runs it: lease, compute, put; wait while leased. */
static void *entry_worker(void *arg)
{
	ks_cache_ctx c;
	ks_cache_buf out = { NULL, 0, 0 };
	int i, round;
	(void) arg;
	ctx_init(&c);
	for (round = 0; round < 3; round++) {
		for (i = 0; i < KEYS; i++) {
			char name[16];
			ks_cache_key k;
			ks_cache_status st;
			snprintf(name, sizeof(name), "entry%d", i);
			key_init(&k, name);
			while ((st = ks_cache_store_lease(&c, &k, 60, &out)) == KS_CACHE_LEASED) {
				sched_yield();
			}
			if (st == KS_CACHE_LEASE_MINE) {
				__atomic_add_fetch(&computed[i], 1, __ATOMIC_RELAXED);
				sched_yield();  /* let the others find the lease */
				c.now = 0;
				if (ks_cache_store_put(&c, &k, name, (uint32_t) strlen(name), 0, 0) != KS_CACHE_OK) {
					return (void *) 1;
				}
			} else if (st != KS_CACHE_OK || out.len != strlen(name) || memcmp(out.data, name, out.len) != 0) {
				return (void *) 1;
			}
			c.now = 0;
		}
	}
	ks_cache_buf_free(&out);
	return NULL;
}

static void *inc_worker(void *arg)
{
	ks_cache_ctx c;
	ks_cache_key k;
	int64_t v;
	int i;
	(void) arg;
	ctx_init(&c);
	key_init(&k, "counter");
	for (i = 0; i < INCS; i++) {
		if (ks_cache_store_incr(&c, &k, 1, 0, &v) != KS_CACHE_OK) {
			return (void *) 1;
		}
	}
	return NULL;
}

static int run_threads(void *(*fn)(void *), const char *what)
{
	pthread_t t[THREADS];
	void *rv;
	int i, bad = 0;
	for (i = 0; i < THREADS; i++) {
		if (pthread_create(&t[i], NULL, fn, NULL) != 0) {
			printf("FAIL %s: pthread_create\n", what);
			return 1;
		}
	}
	for (i = 0; i < THREADS; i++) {
		if (pthread_join(t[i], &rv) != 0 || rv != NULL) {
			printf("FAIL %s: thread %d failed\n", what, i);
			bad = 1;
		}
	}
	return bad;
}

int main(void)
{
	size_t size = 4u << 20;
	void *mem = aligned_alloc(64, size);  /* as mmap gives it: the store requires 64-byte alignment */
	ks_cache_ctx c;
	ks_cache_key k;
	ks_cache_buf out = { NULL, 0, 0 };
	int bad = 0, i;

	if (mem) {
		memset(mem, 0, size);
	}
	if (!mem || ks_cache_store_init(mem, size, 4, 0) != 0) {
		printf("FAIL ks_cache_store_init\n");
		return 1;
	}
	seg = mem;
	bad |= leases_are_per_thread();

	bad |= run_threads(entry_worker, "entry");
	for (i = 0; i < KEYS; i++) {
		if (computed[i] != 1) {
			printf("FAIL entry: key %d computed %u times\n", i, computed[i]);
			bad = 1;
		}
	}

	bad |= run_threads(inc_worker, "inc");
	ctx_init(&c);
	key_init(&k, "counter");
	if (ks_cache_store_get(&c, &k, &out, NULL) != KS_CACHE_OK || out.len != 9) {
		printf("FAIL inc: counter missing\n");
		bad = 1;
	} else {
		int64_t v;
		memcpy(&v, out.data + 1, 8);
		if (v != (int64_t) THREADS * INCS) {
			printf("FAIL inc: %lld, expected %d\n", (long long) v, THREADS * INCS);
			bad = 1;
		}
	}
	ks_cache_buf_free(&out);
	free(mem);
	if (!bad) {
		printf("ok\n");
	}
	return bad;
}
