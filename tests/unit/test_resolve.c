/*
 * test_resolve.c: the bounded name lookup (resolve.c), with getaddrinfo and
 * pthread_create replaced by this binary's own definitions (the executable's
 * symbols win at link time), so a resolver that never answers, a thread
 * limit and a system error can be made on demand without any network:
 *
 *   "slow*" names   block in getaddrinfo until the gate opens (at most 3 s),
 *                   then fail with EAI_AGAIN
 *   "syserr.test"   fails with EAI_SYSTEM and errno EACCES (calls counted)
 *   "counted.test"  localhost's answer (calls counted)
 *   other names     the real getaddrinfo (localhost)
 *
 * resolve.c is linked into the executable here, which is also the case of
 * keepsake built statically into PHP: the lookup must be bounded there too.
 * Checked: numeric hosts, a name that resolves, the deadline, one helper per
 * name (a second caller joins it), the cap on pending helpers, a deadline
 * already passed (no helper), no thread (a clear error, never an unbounded
 * lookup), EAI_SYSTEM with errno, fd exhaustion named as such, a too-long
 * name, a forked child (its lookups never wait on the parent's), and
 * answers reused for a second (failures never).
 * Built and run by scripts/unit.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "redis/resolve.h"

int ks_unit_checks;
int ks_unit_failures;

/* ---- what resolve.c needs from tcp.c ---- */

int64_t ks_redis_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int ks_redis_poll_fd(int fd, short events, int64_t deadline)
{
	for (;;) {
		struct pollfd p = { fd, events, 0 };
		int64_t left = deadline - ks_redis_now_ms();
		int rc = poll(&p, 1, left < 0 ? 0 : (int)left);

		if (rc > 0) {
			return 1;
		}
		if (rc == 0 && ks_redis_now_ms() >= deadline) {
			return 0;
		}
		if (rc < 0 && errno != EINTR) {
			return -1;
		}
	}
}

/* ---- the stand-ins ---- */

static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static int gate_open;
static int slow_calls;      /* under gate_lock: slow getaddrinfo calls started */
static int slow_running;    /* under gate_lock: ... and not yet returned */
static int fail_threads;
static int counted_calls;   /* atomic: getaddrinfo calls for "counted.test" and "syserr.test" */

typedef int (*gai_fn)(const char *, const char *, const struct addrinfo *, struct addrinfo **);
typedef int (*create_fn)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res)
{
	int numeric = hints != NULL && (hints->ai_flags & AI_NUMERICHOST);

	if (!numeric && node != NULL && strncmp(node, "slow", 4) == 0) {
		struct timespec until;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 3;
		pthread_mutex_lock(&gate_lock);
		slow_calls++;
		slow_running++;
		while (!gate_open && pthread_cond_timedwait(&gate_cond, &gate_lock, &until) == 0) {
		}
		slow_running--;
		pthread_mutex_unlock(&gate_lock);
		return EAI_AGAIN;
	}
	if (!numeric && node != NULL && strcmp(node, "counted.test") == 0) {
		__atomic_add_fetch(&counted_calls, 1, __ATOMIC_SEQ_CST);
		node = "localhost";
	}
	if (!numeric && node != NULL && strcmp(node, "syserr.test") == 0) {
		__atomic_add_fetch(&counted_calls, 1, __ATOMIC_SEQ_CST);
		errno = EACCES;
		return EAI_SYSTEM;
	}
	return ((gai_fn)dlsym(RTLD_NEXT, "getaddrinfo"))(node, service, hints, res);
}

/* Helper threads started and returned (atomic): a helper unlinks its lookup
 * from resolve.c's pending list just before it returns, so when the two
 * are equal no lookup is pending. */
static int threads_started, threads_done;

typedef struct trampoline_arg {
	void *(*fn)(void *);
	void *arg;
} trampoline_arg;

static void *trampoline(void *p)
{
	trampoline_arg t = *(trampoline_arg *)p;
	void *rv;

	free(p);
	rv = t.fn(t.arg);
	__atomic_add_fetch(&threads_done, 1, __ATOMIC_SEQ_CST);
	return rv;
}

int pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg)
{
	trampoline_arg *ta;
	int rc;

	if (__atomic_load_n(&fail_threads, __ATOMIC_SEQ_CST) || (ta = malloc(sizeof(*ta))) == NULL) {
		return EAGAIN;
	}
	ta->fn = fn;
	ta->arg = arg;
	__atomic_add_fetch(&threads_started, 1, __ATOMIC_SEQ_CST);
	rc = ((create_fn)dlsym(RTLD_NEXT, "pthread_create"))(t, a, trampoline, ta);
	if (rc != 0) {
		__atomic_sub_fetch(&threads_started, 1, __ATOMIC_SEQ_CST);
		free(ta);
	}
	return rc;
}

static void gate_set(int open)
{
	pthread_mutex_lock(&gate_lock);
	gate_open = open;
	pthread_cond_broadcast(&gate_cond);
	pthread_mutex_unlock(&gate_lock);
}

static int gate_count(int *what)
{
	int n;

	pthread_mutex_lock(&gate_lock);
	n = *what;
	pthread_mutex_unlock(&gate_lock);
	return n;
}

/* Opens the gate and waits (at most 10 s) until every helper thread has
 * returned, so that none is pending in resolve.c. (It used to sleep 20 ms
 * for the helpers' last steps after getaddrinfo returned, which a loaded
 * box can overrun: the next test's cap then counted a leftover.) */
static void drain(void)
{
	int i;

	gate_set(1);
	for (i = 0; i < 1000 && __atomic_load_n(&threads_done, __ATOMIC_SEQ_CST)
		!= __atomic_load_n(&threads_started, __ATOMIC_SEQ_CST); i++) {
		usleep(10000);
	}
	CHECK(__atomic_load_n(&threads_done, __ATOMIC_SEQ_CST) == __atomic_load_n(&threads_started, __ATOMIC_SEQ_CST));
}

static int resolve(const char *host, int port, int64_t ms, char *err, size_t len)
{
	struct addrinfo *res = NULL;
	int rc = ks_redis_resolve(host, port, ks_redis_now_ms() + ms, &res, err, len);

	CHECK((rc == 0) == (res != NULL));
	ks_redis_resolve_free(res);
	return rc;
}

/* Whether err holds want; prints err when not. */
static int has(const char *err, const char *want)
{
	if (strstr(err, want) != NULL) {
		return 1;
	}
	fprintf(stderr, "  expected \"%s\" in \"%s\"\n", want, err);
	return 0;
}

/* ---- cases ---- */

static void test_numeric_and_name(void)
{
	struct addrinfo *res = NULL, *ai;
	char err[256];
	int ok;

	CHECK(ks_redis_resolve("127.0.0.1", 6379, ks_redis_now_ms() + 1000, &res, err, sizeof(err)) == 0);
	CHECK(res != NULL && res->ai_family == AF_INET && ntohs(((struct sockaddr_in *)res->ai_addr)->sin_port) == 6379);
	ks_redis_resolve_free(res);
	CHECK(ks_redis_resolve("::1", 7000, ks_redis_now_ms() + 1000, &res, err, sizeof(err)) == 0);
	CHECK(res != NULL && res->ai_family == AF_INET6 && ntohs(((struct sockaddr_in6 *)res->ai_addr)->sin6_port) == 7000);
	ks_redis_resolve_free(res);
	/* Numeric: no helper even when the deadline has passed. */
	CHECK(ks_redis_resolve("127.0.0.1", 1, ks_redis_now_ms() - 1, &res, err, sizeof(err)) == 0);
	ks_redis_resolve_free(res);
	CHECK(ks_redis_resolve("localhost", 6380, ks_redis_now_ms() + 5000, &res, err, sizeof(err)) == 0);
	ok = res != NULL;
	for (ai = res; ai; ai = ai->ai_next) {
		int port = ai->ai_family == AF_INET ? ntohs(((struct sockaddr_in *)ai->ai_addr)->sin_port)
			: ntohs(((struct sockaddr_in6 *)ai->ai_addr)->sin6_port);
		ok = ok && port == 6380 && ai->ai_socktype == SOCK_STREAM;
	}
	CHECK(ok);
	ks_redis_resolve_free(res);
}

static void test_deadline_and_join(void)
{
	char err[256];
	int64_t t0 = ks_redis_now_ms();

	gate_set(0);
	CHECK(resolve("slow.a", 1, 100, err, sizeof(err)) != 0);
	CHECK(ks_redis_now_ms() - t0 < 2000);   /* the stand-in holds it 3 s */
	CHECK(has(err, "did not answer within the connect timeout"));
	CHECK(strstr(err, "still pending") == NULL);
	/* A second request for the same name waits on the same helper. */
	CHECK(resolve("slow.a", 2, 100, err, sizeof(err)) != 0);
	CHECK(has(err, "did not answer within the connect timeout (a lookup of this name started earlier is still pending)"));
	/* One lookup, not two. On a loaded machine the helper may not have
	 * reached the stand-in yet when both waits ran out: give it (at most
	 * 5 s) to start before counting. */
	for (int i = 0; i < 500 && gate_count(&slow_calls) == 0; i++) {
		usleep(10000);
	}
	CHECK(gate_count(&slow_calls) == 1);
	/* When it ends, its waiters get its answer. */
	gate_set(1);
	CHECK(resolve("slow.a", 3, 2000, err, sizeof(err)) != 0);
	CHECK(has(err, "Temporary failure"));
	drain();
}

static void test_cap(void)
{
	char err[256], name[32];
	int i, calls = gate_count(&slow_calls);

	gate_set(0);
	for (i = 0; i < KS_REDIS_RESOLVE_MAX_PENDING; i++) {
		snprintf(name, sizeof(name), "slow.cap%d", i);
		CHECK(resolve(name, 1, 10, err, sizeof(err)) != 0);
	}
	CHECK(resolve("slow.one-more", 1, 2000, err, sizeof(err)) != 0);
	CHECK(has(err, "DNS lookups of other names are still pending"));
	/* Each helper was counted pending when started; on a loaded box the
	 * last may not have reached the stand-in yet (at most 5 s). */
	for (i = 0; i < 500 && gate_count(&slow_calls) < calls + KS_REDIS_RESOLVE_MAX_PENDING; i++) {
		usleep(10000);
	}
	CHECK(gate_count(&slow_calls) == calls + KS_REDIS_RESOLVE_MAX_PENDING);
	/* A numeric host needs no helper and still works. */
	CHECK(resolve("127.0.0.1", 1, 100, err, sizeof(err)) == 0);
	drain();
}

static void test_refusals(void)
{
	char err[256], longname[301];
	int calls;

	gate_set(0);
	calls = gate_count(&slow_calls);
	CHECK(resolve("slow.late", 1, -1, err, sizeof(err)) != 0);
	CHECK(has(err, "connect timeout passed before"));
	CHECK(gate_count(&slow_calls) == calls);

	__atomic_store_n(&fail_threads, 1, __ATOMIC_SEQ_CST);
	CHECK(resolve("slow.nothread", 1, 5000, err, sizeof(err)) != 0);
	CHECK(has(err, "cannot start a thread for a bounded DNS lookup: Resource temporarily unavailable"));
	CHECK(gate_count(&slow_calls) == calls);   /* no getaddrinfo on the caller's thread */
	__atomic_store_n(&fail_threads, 0, __ATOMIC_SEQ_CST);

	CHECK(resolve("syserr.test", 1, 2000, err, sizeof(err)) != 0);
	CHECK(has(err, "Permission denied"));

	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	CHECK(resolve(longname, 1, 2000, err, sizeof(err)) != 0);
	CHECK(strcmp(err, "host name longer than 255 bytes") == 0);
	drain();
}

static void test_fd_exhaustion(void)
{
	struct rlimit old, low;
	char err[256];
	int fd = dup(0);

	CHECK(fd >= 0 && getrlimit(RLIMIT_NOFILE, &old) == 0);
	close(fd);
	low = old;
	low.rlim_cur = (rlim_t)fd;   /* every descriptor from fd on is refused */
	CHECK(setrlimit(RLIMIT_NOFILE, &low) == 0);
	CHECK(resolve("emfile.invalid", 1, 2000, err, sizeof(err)) != 0);
	CHECK(setrlimit(RLIMIT_NOFILE, &old) == 0);
	CHECK(has(err, "Too many open files"));
	CHECK(strstr(err, "Memory") == NULL);
}

static void test_fork(void)
{
	char err[256];
	pid_t pid;
	int status = 0;

	gate_set(0);
	CHECK(resolve("slow.fork", 1, 20, err, sizeof(err)) != 0);   /* pending in the parent */
	pid = fork();
	if (pid == 0) {
		/* The child's own helper, not the parent's (which does not exist here). */
		int rc = resolve("slow.fork", 1, 100, err, sizeof(err));
		_exit(rc != 0 && strstr(err, "still pending") == NULL && has(err, "did not answer") ? 0 : 1);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	drain();
}

/* An answer is reused for a second, on the caller's thread; a failure never is. */
static void test_recent_answers(void)
{
	struct addrinfo *res = NULL;
	char err[256];
	int calls = __atomic_load_n(&counted_calls, __ATOMIC_SEQ_CST);

	CHECK(resolve("counted.test", 1, 2000, err, sizeof(err)) == 0);
	CHECK(ks_redis_resolve("counted.test", 6390, ks_redis_now_ms() - 1, &res, err, sizeof(err)) == 0);
	CHECK(res != NULL && ntohs(((struct sockaddr_in *)res->ai_addr)->sin_port) == 6390);
	ks_redis_resolve_free(res);
	CHECK(__atomic_load_n(&counted_calls, __ATOMIC_SEQ_CST) == calls + 1);
	usleep(1100 * 1000);
	CHECK(resolve("counted.test", 1, 2000, err, sizeof(err)) == 0);
	CHECK(__atomic_load_n(&counted_calls, __ATOMIC_SEQ_CST) == calls + 2);
	CHECK(resolve("syserr.test", 1, 2000, err, sizeof(err)) != 0);
	CHECK(resolve("syserr.test", 1, 2000, err, sizeof(err)) != 0);
	CHECK(__atomic_load_n(&counted_calls, __ATOMIC_SEQ_CST) == calls + 4);
}

int main(void)
{
	test_numeric_and_name();
	test_deadline_and_join();
	test_cap();
	test_refusals();
	test_fd_exhaustion();
	test_fork();
	test_recent_answers();
	printf("test_resolve: %d checks, %d failed\n", ks_unit_checks, ks_unit_failures);
	return ks_unit_failures ? 1 : 0;
}
