/*
 * resolve.c: name lookups bounded by a deadline (see resolve.h for why, for
 * the list of pending lookups and for who frees what).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* pipe2, dl_iterate_phdr */
#endif
#include "redis/resolve.h"
#include "redis/deadline.h"
#include "redis/endpoint.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Enough for glibc's getaddrinfo and its NSS modules; the default (8 MiB) is
 * address space a process under ulimit -v may not have. */
#define KS_RESOLVE_STACK (512 * 1024)

/*
 * One name being looked up. host and wake are set before the helper starts
 * and never change. Everything else is guarded by registry_lock: holders
 * (the helper plus each waiting caller), done (1 once rc, err and res are
 * final), next (the pending list's link, meaningful while !done).
 */
typedef struct ks_redis_lookup {
	struct ks_redis_lookup *next;
	int holders;
	int done;
	int wake[2];                   /* the helper writes one byte when done; nobody reads it */
	int rc;                        /* getaddrinfo's result */
	int err;                       /* errno after getaddrinfo, for EAI_SYSTEM */
	struct addrinfo *res;          /* getaddrinfo's list, port 0; freed with the lookup */
	char host[KS_REDIS_HOST_MAX];
} ks_redis_lookup;

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static ks_redis_lookup *pending;   /* lookups whose helper has not finished */
static int pending_n;
static ks_redis_lookup *orphans;   /* a forked child's inherited lookups: never freed (resolve.h) */

/*
 * Recent answers, guarded by registry_lock: a name that resolved less than
 * KS_RESOLVE_CACHE_MS ago is answered from here on the caller's thread, so
 * a worker that connects by name on every request (persistent=0) pays a
 * helper thread and its wake-up once a second, not every time. Failures are
 * not kept. Addresses are stored with port 0 (addrs_copy sets the caller's).
 */
#define KS_RESOLVE_CACHE_MS 1000
#define KS_RESOLVE_CACHE_SIZE 8
static struct ks_resolve_recent {
	char host[KS_REDIS_HOST_MAX];
	int64_t at;                    /* ks_redis_now_ms() of the answer */
	struct addrinfo *addrs;        /* NULL: an empty slot */
} recent[KS_RESOLVE_CACHE_SIZE];

/* One copied address: the addrinfo and the sockaddr it points to, one allocation. */
typedef struct {
	struct addrinfo ai;
	struct sockaddr_storage addr;
} ks_resolve_addr;

void ks_redis_resolve_free(struct addrinfo *res)
{
	while (res != NULL) {
		struct addrinfo *next = res->ai_next;
		free(res);   /* res is the first member of a ks_resolve_addr */
		res = next;
	}
}

/* Copies src's IPv4/IPv6 stream addresses with port set. 0, or -1 (ENOMEM). */
static int addrs_copy(const struct addrinfo *src, int port, struct addrinfo **out)
{
	struct addrinfo *head = NULL, **tail = &head;

	for (; src != NULL; src = src->ai_next) {
		ks_resolve_addr *a;

		if ((src->ai_family != AF_INET && src->ai_family != AF_INET6) || src->ai_addrlen > sizeof(a->addr)) {
			continue;
		}
		if ((a = calloc(1, sizeof(*a))) == NULL) {
			ks_redis_resolve_free(head);
			return -1;
		}
		a->ai.ai_family = src->ai_family;
		a->ai.ai_socktype = src->ai_socktype;
		a->ai.ai_protocol = src->ai_protocol;
		a->ai.ai_addrlen = src->ai_addrlen;
		a->ai.ai_addr = (struct sockaddr *)&a->addr;
		memcpy(&a->addr, src->ai_addr, src->ai_addrlen);
		if (src->ai_family == AF_INET) {
			((struct sockaddr_in *)&a->addr)->sin_port = htons((uint16_t)port);
		} else {
			((struct sockaddr_in6 *)&a->addr)->sin6_port = htons((uint16_t)port);
		}
		*tail = &a->ai;
		tail = &a->ai.ai_next;
	}
	*out = head;
	return 0;
}

/* Keeps host's answer res (best effort: when out of memory, nothing is kept). */
static void recent_put_locked(const char *host, const struct addrinfo *res, int64_t now)
{
	struct ks_resolve_recent *slot = &recent[0];
	struct addrinfo *copy;
	size_t i;

	for (i = 0; i < KS_RESOLVE_CACHE_SIZE; i++) {
		if (recent[i].addrs == NULL || strcmp(recent[i].host, host) == 0) {
			slot = &recent[i];
			break;
		}
		if (recent[i].at < slot->at) {
			slot = &recent[i];   /* the oldest, unless a free or same-name slot turns up */
		}
	}
	if (addrs_copy(res, 0, &copy) != 0 || copy == NULL) {
		return;
	}
	ks_redis_resolve_free(slot->addrs);
	slot->addrs = copy;
	slot->at = now;
	memcpy(slot->host, host, strlen(host) + 1);
}

/* 1 with *res (for port) when host resolved less than KS_RESOLVE_CACHE_MS ago, else 0. */
static int recent_get_locked(const char *host, int port, int64_t now, struct addrinfo **res)
{
	size_t i;

	for (i = 0; i < KS_RESOLVE_CACHE_SIZE; i++) {
		if (recent[i].addrs != NULL && now - recent[i].at < KS_RESOLVE_CACHE_MS && strcmp(recent[i].host, host) == 0) {
			return addrs_copy(recent[i].addrs, port, res) == 0 && *res != NULL;
		}
	}
	return 0;
}

static void tcp_hints(struct addrinfo *h, int flags)
{
	memset(h, 0, sizeof(*h));
	h->ai_family = AF_UNSPEC;
	h->ai_socktype = SOCK_STREAM;
	h->ai_flags = flags;
}

/* A default mutex only fails to lock on a deadlock or a bad mutex: neither can happen here. */
static void registry_take(void)
{
	(void)pthread_mutex_lock(&registry_lock);
}

static void registry_drop(void)
{
	(void)pthread_mutex_unlock(&registry_lock);
}

static void lookup_free(ks_redis_lookup *l)
{
	if (l->res != NULL) {
		freeaddrinfo(l->res);
	}
	close(l->wake[0]);
	close(l->wake[1]);
	free(l);
}

/* Lets go of l; the last holder frees it. Takes registry_lock. */
static void lookup_release(ks_redis_lookup *l)
{
	int last;

	registry_take();
	last = --l->holders == 0;
	registry_drop();
	if (last) {
		lookup_free(l);
	}
}

static void pending_unlink_locked(ks_redis_lookup *l)
{
	ks_redis_lookup **p;

	for (p = &pending; *p != NULL; p = &(*p)->next) {
		if (*p == l) {
			*p = l->next;
			pending_n--;
			return;
		}
	}
}

static ks_redis_lookup *pending_find_locked(const char *host)
{
	ks_redis_lookup *l;

	for (l = pending; l != NULL; l = l->next) {
		if (strcmp(l->host, host) == 0) {
			return l;
		}
	}
	return NULL;
}

static void *lookup_run(void *arg)
{
	ks_redis_lookup *l = arg;
	struct addrinfo hints, *res = NULL;
	ssize_t w;
	int rc, err;

	tcp_hints(&hints, 0);
	rc = getaddrinfo(l->host, NULL, &hints, &res);
	err = errno;
	registry_take();
	l->rc = rc;
	l->err = err;
	l->res = rc == 0 ? res : NULL;
	l->done = 1;
	pending_unlink_locked(l);
	if (rc == 0) {
		recent_put_locked(l->host, res, ks_redis_now_ms());
	}
	/* One byte into an empty non-blocking pipe cannot block; the waiters only poll it. */
	do {
		w = write(l->wake[1], "", 1);
	} while (w < 0 && errno == EINTR);
	registry_drop();
	lookup_release(l);
	return NULL;
}

/*
 * A helper that outlives its caller may still be running our code when PHP
 * unloads the extension at shutdown (dlclose); returning into unmapped code
 * would crash the exiting process. So before the first helper starts, this
 * module is opened once more with RTLD_NODELETE, which keeps it mapped until
 * the process ends (the handle is never closed). Built into the executable,
 * dlopen(RTLD_NOLOAD) of its name finds nothing (the main program's link map
 * has no name), and no pin is needed: the executable is never unmapped.
 */
static pthread_once_t pin_once = PTHREAD_ONCE_INIT;
static int pinned;
static const char *pin_error = "dladdr found no module";

/* dl_iterate_phdr visits the main program first: is *arg inside one of its segments? Stops there. */
static int in_main_program(struct dl_phdr_info *info, size_t size, void *arg)
{
	uintptr_t addr = *(uintptr_t *)arg;
	int i;

	(void)size;
	*(uintptr_t *)arg = 0;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t start = (uintptr_t)info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && addr >= start && addr - start < ph->p_memsz) {
			*(uintptr_t *)arg = 1;
		}
	}
	return 1;
}

/* In the parent and child after fork, and before it: keep registry_lock consistent. */
static void fork_prepare(void)
{
	registry_take();
}

static void fork_parent(void)
{
	registry_drop();
}

static void fork_child(void)
{
	/* No helper runs in the child: its lookups would never end. Leak them (resolve.h). */
	while (pending != NULL) {
		ks_redis_lookup *l = pending;

		pending = l->next;
		l->next = orphans;
		orphans = l;
	}
	pending_n = 0;
	registry_drop();
}

static void pin_module(void)
{
	Dl_info info;
	uintptr_t here = (uintptr_t)&ks_redis_resolve;

	if (dladdr((void *)&ks_redis_resolve, &info) == 0 || info.dli_fname == NULL) {
		return;
	}
	if (dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE) != NULL) {
		pinned = 1;
	} else if (dl_iterate_phdr(in_main_program, &here) != 0 && here == 1) {
		pinned = 1;   /* built into the executable */
	} else {
		pin_error = "dlopen(RTLD_NODELETE) of the extension failed";
		return;
	}
	if (pthread_atfork(fork_prepare, fork_parent, fork_child) != 0) {
		pinned = 0;
		pin_error = "pthread_atfork failed";
	}
}

/* Starts the detached helper with every signal blocked (it inherits the mask). 0, or an errno. */
static int lookup_start(ks_redis_lookup *l)
{
	pthread_attr_t attr;
	pthread_t tid;
	sigset_t all, old;
	int rc;

	if ((rc = pthread_attr_init(&attr)) != 0) {
		return rc;
	}
	(void)pthread_attr_setstacksize(&attr, KS_RESOLVE_STACK);   /* the default also works */
	if ((rc = pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED)) == 0 && (rc = sigfillset(&all) == 0 ? 0 : EINVAL) == 0
		&& (rc = pthread_sigmask(SIG_SETMASK, &all, &old)) == 0) {
		rc = pthread_create(&tid, &attr, lookup_run, l);
		/* Restoring a mask pthread_sigmask gave us cannot fail. */
		(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	(void)pthread_attr_destroy(&attr);
	return rc;
}

/*
 * Finds host's pending lookup and joins it, or starts one. Called with
 * registry_lock held. Returns the lookup (held once more for the caller,
 * *joined set when it was pending already) or NULL with err set.
 */
static ks_redis_lookup *lookup_get_locked(const char *host, int *joined, char *err, size_t errlen)
{
	ks_redis_lookup *l = pending_find_locked(host);
	int rc;

	if ((*joined = l != NULL)) {
		l->holders++;
		return l;
	}
	if (pending_n >= KS_REDIS_RESOLVE_MAX_PENDING) {
		snprintf(err, errlen, "%d DNS lookups of other names are still pending (the resolver is not answering); "
			"not starting another", pending_n);
		return NULL;
	}
	if ((l = calloc(1, sizeof(*l))) == NULL) {
		snprintf(err, errlen, "out of memory for a DNS lookup");
		return NULL;
	}
	if (pipe2(l->wake, O_NONBLOCK | O_CLOEXEC) != 0) {
		snprintf(err, errlen, "cannot create a pipe for the DNS lookup: %s", strerror(errno));
		free(l);
		return NULL;
	}
	memcpy(l->host, host, strlen(host) + 1);
	l->holders = 2;
	if ((rc = lookup_start(l)) != 0) {
		snprintf(err, errlen, "cannot start a thread for a bounded DNS lookup: %s", strerror(rc));
		lookup_free(l);
		return NULL;
	}
	l->next = pending;
	pending = l;
	pending_n++;
	return l;
}

/* The outcome of a finished lookup l, for port: 0 with *res, or -1 with err. */
static int lookup_result(const ks_redis_lookup *l, int port, struct addrinfo **res, char *err, size_t errlen)
{
	if (l->rc == EAI_SYSTEM) {
		snprintf(err, errlen, "%s: %s", gai_strerror(l->rc), strerror(l->err));
		return -1;
	}
	if (l->rc != 0) {
		snprintf(err, errlen, "%s", gai_strerror(l->rc));
		return -1;
	}
	if (addrs_copy(l->res, port, res) != 0) {
		snprintf(err, errlen, "out of memory for a DNS lookup");
		return -1;
	}
	if (*res == NULL) {
		snprintf(err, errlen, "the name has no IPv4 or IPv6 address");
		return -1;
	}
	return 0;
}

/* Numeric hosts: 1 when host is not numeric, else 0 or -1 as ks_redis_resolve. */
static int resolve_numeric(const char *host, int port, struct addrinfo **res, char *err, size_t errlen)
{
	struct addrinfo hints, *num = NULL;
	int rc;

	tcp_hints(&hints, AI_NUMERICHOST);
	rc = getaddrinfo(host, NULL, &hints, &num);
	if (rc == EAI_NONAME) {
		return 1;
	}
	if (rc != 0) {
		snprintf(err, errlen, "%s", rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
		return -1;
	}
	rc = addrs_copy(num, port, res);
	freeaddrinfo(num);
	if (rc != 0 || *res == NULL) {
		snprintf(err, errlen, rc != 0 ? "out of memory for a DNS lookup" : "not an IPv4 or IPv6 address");
		return -1;
	}
	return 0;
}

int ks_redis_resolve(const char *host, int port, int64_t deadline, struct addrinfo **res, char *err, size_t errlen)
{
	ks_redis_lookup *l;
	int rc, joined, done = 0, ready = 1;

	*res = NULL;
	if (strlen(host) >= KS_REDIS_HOST_MAX) {
		snprintf(err, errlen, "host name longer than %d bytes", KS_REDIS_HOST_MAX - 1);
		return -1;
	}
	if ((rc = resolve_numeric(host, port, res, err, errlen)) <= 0) {
		return rc;
	}
	registry_take();
	rc = recent_get_locked(host, port, ks_redis_now_ms(), res);
	registry_drop();
	if (rc) {
		return 0;
	}
	if (ks_redis_now_ms() >= deadline) {
		snprintf(err, errlen, "the connect timeout passed before the name could be looked up");
		return -1;
	}
	if (pthread_once(&pin_once, pin_module) != 0 || !pinned) {
		snprintf(err, errlen, "no bounded DNS lookup possible (%s)", pin_error);
		return -1;
	}
	registry_take();
	l = lookup_get_locked(host, &joined, err, errlen);
	registry_drop();
	if (l == NULL) {
		return -1;
	}
	while (!done && ready > 0) {
		ready = ks_redis_poll_fd(l->wake[0], POLLIN, deadline);
		registry_take();
		done = l->done;
		registry_drop();
	}
	if (done) {
		rc = lookup_result(l, port, res, err, errlen);   /* a done lookup never changes */
	} else if (ready < 0) {
		snprintf(err, errlen, "waiting for the DNS lookup failed: %s", strerror(errno));
		rc = -1;
	} else {
		snprintf(err, errlen, "the name resolver did not answer within the connect timeout%s",
			joined ? " (a lookup of this name started earlier is still pending)" : "");
		rc = -1;
	}
	lookup_release(l);
	return rc;
}
