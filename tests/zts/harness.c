/*
 * harness.c: keepsake from several threads of one PHP process, as a threaded
 * server (FrankenPHP, Apache's worker MPM) runs it. Built and run by
 * scripts/zts-harness against the embed SAPI (libphp) of the PHP on PATH.
 *
 *   harness THREADS REQUESTS [lose]
 *
 * Each of THREADS pthreads gets its own PHP thread context (ts_resource) and
 * runs REQUESTS requests (php_request_startup .. php_request_shutdown). Every
 * request
 *  - increments one cache counter (keepsake_cache_inc),
 *  - stores and fetches back a value under a key of its own,
 *  - asks keepsake_cache_entry() for one shared key whose callback counts how
 *    often it runs (with a pause, so other threads find the lease), and
 *  - opens one shared session (its lock serialises the requests), increments
 *    $_SESSION['n'] and closes it.
 * The threads start their first requests together (a barrier), and the
 * harness counts how many requests were in progress at once: with several
 * threads, a peak of 1 means nothing ran concurrently, which fails too.
 * Then one last request checks the exact results: the counter and the session
 * both at THREADS x REQUESTS, the entry() callback run once, every request's
 * own value read back intact, no request that saw an error. It prints
 * "zts harness: ok" or what was wrong, and exits non-zero on any failure.
 *
 * "lose" proves that the check can fail: the last request of the last thread
 * then skips its counter increment, its own value and its session increment,
 * and the check must report exactly those three (scripts/zts-harness runs
 * this first and expects the failure).
 *
 * The extension and its settings come from the php.ini that PHPRC names
 * (written by scripts/zts-harness). On an NTS PHP only THREADS = 1 is
 * allowed: the requests then run one after another in one thread, which
 * checks the harness itself but no concurrency.
 */
#include "sapi/embed/php_embed.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_THREADS 64

static int requests;
static int lose_thread = -1;   /* "lose": the thread whose last request skips */
static int in_progress, peak;  /* requests running now, and the most at once */
static char sid[48];           /* the shared session's id, new each run */
#ifdef ZTS
static pthread_barrier_t start_together;
#endif

/* The code of one request; %d are the thread and request numbers and
 * whether this request loses its writes ("lose" mode), %s the session id. */
static const char request_code[] =
	"$t = %d; $r = %d; $lose = %d; $sid = '%s';"
	"$err = function ($m) { echo \"$m\\n\"; keepsake_cache_inc('zts:errors'); };"
	"if (!$lose && keepsake_cache_inc('zts:counter') === false) { $err('inc failed'); }"
	"$mine = ['thread' => $t, 'request' => $r, 'pad' => str_repeat(chr(65 + $t %% 26), 100 + $r)];"
	"if (!$lose) { keepsake_cache_store(\"zts:own:$t:$r\", $mine);"
	"  if (keepsake_cache_fetch(\"zts:own:$t:$r\") !== $mine) { $err(\"own value $t/$r read back wrong\"); } }"
	"$v = keepsake_cache_entry('zts:entry', function () { keepsake_cache_inc('zts:entry_runs'); usleep(20000); return 'computed'; });"
	"if ($v !== 'computed') { $err('entry() gave ' . var_export($v, true)); }"
	"session_id($sid);"
	"if (!session_start()) { $err('session_start failed'); }"
	"if (!$lose) { $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1; }"
	"session_write_close();";

/* The last request: compare every result with what THREADS x REQUESTS gives.
 * An expression (zend_eval_string returns its value): the number of problems. */
static const char check_code[] =
	"(function () {"
	"$want = %d * %d; $sid = '%s'; $bad = [];"
	"if ($n = keepsake_cache_fetch('zts:errors')) { $bad[] = \"$n errors in the requests\"; }"
	"if (($n = keepsake_cache_fetch('zts:counter')) !== $want) { $bad[] = \"counter $n, expected $want\"; }"
	"if (($n = keepsake_cache_fetch('zts:entry_runs')) !== 1) { $bad[] = \"entry() callback ran $n times, expected once\"; }"
	"for ($t = 0; $t < %d; $t++) for ($r = 0; $r < %d; $r++) {"
	"  $v = keepsake_cache_fetch(\"zts:own:$t:$r\");"
	"  if (!is_array($v) || $v['thread'] !== $t || $v['request'] !== $r || strlen($v['pad']) !== 100 + $r) { $bad[] = \"own value $t/$r wrong\"; }"
	"}"
	"session_id($sid); session_start();"
	"if (($n = $_SESSION['n'] ?? 0) !== $want) { $bad[] = \"session n $n, expected $want\"; }"
	"session_write_close();"
	"echo $bad ? 'zts harness: FAILED: ' . implode('; ', $bad) . \"\\n\" : \"zts harness: ok\\n\";"
	"return count($bad);"
	"})()";

/* Runs code (statements, or with want_value an expression) in a fresh
 * request on the calling thread; 0 on success, which for an expression means
 * its value was 0. */
static int run_request(const char *code, int want_value)
{
	volatile int ok = 1;  /* set inside zend_try, read after a bailout */
	zval rv;

	int now, seen;

	if (php_request_startup() == FAILURE) {
		fprintf(stderr, "php_request_startup failed\n");
		return -1;
	}
	now = __atomic_add_fetch(&in_progress, 1, __ATOMIC_SEQ_CST);
	seen = __atomic_load_n(&peak, __ATOMIC_SEQ_CST);
	while (now > seen && !__atomic_compare_exchange_n(&peak, &seen, now, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
		/* seen now holds the newer peak; retry while ours is higher */
	}
	/* as php_execute_script would: warnings now belong to the script */
	PG(during_request_startup) = 0;
	SG(headers_sent) = 1;
	SG(request_info).no_headers = 1;
	zend_try {
		ZVAL_NULL(&rv);
		if (zend_eval_string((char *) code, want_value ? &rv : NULL, (char *) "zts harness") == FAILURE
				|| (want_value && zval_get_long(&rv) != 0)) {
			ok = 0;
		}
		zval_ptr_dtor(&rv);
	} zend_catch {
		ok = 0;
	} zend_end_try();
	__atomic_sub_fetch(&in_progress, 1, __ATOMIC_SEQ_CST);
	php_request_shutdown(NULL);
	return ok ? 0 : -1;
}

static void *worker(void *arg)
{
	int t = (int) (intptr_t) arg, r;
	long failed = 0;
	char code[sizeof(request_code) + sizeof(sid) + 64];

#ifdef ZTS
	/* This thread's PHP context (executor, module globals: keepsake's GINIT
	 * runs for it here); then wait for the others so that they start at once. */
	(void) ts_resource(0);
	pthread_barrier_wait(&start_together);
#endif
	for (r = 0; r < requests; r++) {
		snprintf(code, sizeof(code), request_code, t, r, t == lose_thread && r == requests - 1, sid);
		if (run_request(code, 0) != 0) {
			failed++;
		}
	}
#ifdef ZTS
	ts_free_thread();
#endif
	return (void *) failed;
}

int main(int argc, char **argv)
{
	pthread_t tid[MAX_THREADS];
	int threads, i, started = 0, rc = 0;
	char code[sizeof(check_code) + sizeof(sid) + 64];

	if (argc < 3 || argc > 4 || (threads = atoi(argv[1])) < 1 || threads > MAX_THREADS
			|| (requests = atoi(argv[2])) < 1 || (argc == 4 && strcmp(argv[3], "lose") != 0)) {
		fprintf(stderr, "usage: %s THREADS(1-%d) REQUESTS [lose]\n", argv[0], MAX_THREADS);
		return 2;
	}
	if (argc == 4) {
		lose_thread = threads - 1;
	}
	snprintf(sid, sizeof(sid), "ztsharness%ld", (long) getpid());
#ifndef ZTS
	if (threads != 1) {
		fprintf(stderr, "this PHP is not thread-safe (NTS): only 1 thread can run requests\n");
		return 2;
	}
#else
	if (pthread_barrier_init(&start_together, NULL, (unsigned) threads) != 0) {
		fprintf(stderr, "pthread_barrier_init failed\n");
		return 1;
	}
#endif
	if (php_embed_init(argc, argv) == FAILURE) {
		fprintf(stderr, "php_embed_init failed\n");
		return 1;
	}
	/* php_embed_init opened a request on this thread; the workers' requests
	 * must not overlap it in NTS, and the check runs in a fresh one. */
	php_request_shutdown(NULL);

#ifndef ZTS
	/* NTS: the one "thread" is this one. PHP 8.3+ measured the stack limit
	 * of this thread at startup, and NTS has no per-thread engine state to
	 * measure another thread's. */
	rc = worker(NULL) != NULL;
	threads = 0;
#endif
	for (i = 0; i < threads; i++) {
		if (pthread_create(&tid[i], NULL, worker, (void *) (intptr_t) i) != 0) {
			/* the threads started wait at the barrier for this one: end here */
			fprintf(stderr, "pthread_create failed\n");
			return 1;
		}
		started++;
	}
	for (i = 0; i < started; i++) {
		void *failed = NULL;
		if (pthread_join(tid[i], &failed) != 0 || failed != NULL) {
			fprintf(stderr, "thread %d: %ld requests failed\n", i, (long) (intptr_t) failed);
			rc = 1;
		}
	}
	printf("zts harness: %d threads x %d requests, at most %d requests at once\n",
		started ? started : 1, requests, peak);
	fflush(stdout);
	if (rc == 0 && started > 1 && peak < 2) {
		printf("zts harness: FAILED: no two requests ran at once, so nothing concurrent was checked\n");
		fflush(stdout);
		rc = 1;
	}
	if (rc == 0) {
		int n = started ? started : 1;
		snprintf(code, sizeof(code), check_code, n, requests, sid, n, requests);
		if (run_request(code, 1) != 0) {
			rc = 1;
		}
	}
	/* php_embed_shutdown ends a request: open one for it to end. */
	if (php_request_startup() == FAILURE) {
		return 1;
	}
	php_embed_shutdown();
	return rc;
}
