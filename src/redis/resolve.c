/*
 * resolve.c: name lookups bounded by a deadline (see resolve.h for why and
 * for the ownership of a lookup between the caller and its helper thread).
 */
#include "redis/resolve.h"
#include "redis/ks_redis.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * One lookup. host, port and wake are set before the helper starts and
 * never change. rc and res are written by the helper only, before it sets
 * done (release order); the caller reads them only after seeing done
 * (acquire order), and takes res by setting it to NULL.
 */
typedef struct ks_redis_lookup {
	int holders;                   /* atomic: 2 while the caller and the helper hold it */
	int done;                      /* atomic: 1 once rc and res are final */
	int wake[2];                   /* pipe: the helper writes one byte when done */
	char host[KS_REDIS_HOST_MAX];
	char port[8];
	int rc;                        /* getaddrinfo's result */
	struct addrinfo *res;          /* owned here until the caller takes it */
} ks_redis_lookup;

static void tcp_hints(struct addrinfo *h, int flags)
{
	memset(h, 0, sizeof(*h));
	h->ai_family = AF_UNSPEC;
	h->ai_socktype = SOCK_STREAM;
	h->ai_flags = flags;
}

/* The last holder frees the lookup and whatever result nobody took. */
static void lookup_release(ks_redis_lookup *l)
{
	if (__atomic_sub_fetch(&l->holders, 1, __ATOMIC_ACQ_REL) != 0) {
		return;
	}
	if (l->res != NULL) {
		freeaddrinfo(l->res);
	}
	close(l->wake[0]);
	close(l->wake[1]);
	free(l);
}

static void *lookup_run(void *arg)
{
	ks_redis_lookup *l = arg;
	struct addrinfo hints;
	ssize_t w;

	tcp_hints(&hints, 0);
	l->rc = getaddrinfo(l->host, l->port, &hints, &l->res);
	__atomic_store_n(&l->done, 1, __ATOMIC_RELEASE);
	/* One byte into an empty pipe cannot block; if the caller has gone, nobody reads it. */
	do {
		w = write(l->wake[1], "", 1);
	} while (w < 0 && errno == EINTR);
	lookup_release(l);
	return NULL;
}

/*
 * A helper that outlives its caller may still be running our code when PHP
 * unloads the extension at shutdown (dlclose); returning into unmapped code
 * would crash the exiting process. So before the first helper starts, this
 * module is opened once more with RTLD_NODELETE, which keeps it mapped until
 * the process ends (the handle is never closed). Statically built into PHP,
 * that reopens the executable, which is harmless.
 */
static pthread_once_t pin_once = PTHREAD_ONCE_INIT;
static int pinned;

static void pin_module(void)
{
	Dl_info info;

	if (dladdr((void *)&ks_redis_resolve, &info) != 0 && info.dli_fname != NULL) {
		pinned = dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE) != NULL;
	}
}

/* Starts the detached helper with every signal blocked (it inherits the mask). 0 or -1. */
static int lookup_start(ks_redis_lookup *l)
{
	pthread_attr_t attr;
	pthread_t tid;
	sigset_t all, old;
	int rc = -1;

	if (pthread_once(&pin_once, pin_module) != 0 || !pinned) {
		return -1;   /* without the pin a helper could crash the process at exit */
	}
	if (pthread_attr_init(&attr) != 0) {
		return -1;
	}
	if (pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) == 0 && sigfillset(&all) == 0
		&& pthread_sigmask(SIG_SETMASK, &all, &old) == 0) {
		rc = pthread_create(&tid, &attr, lookup_run, l) == 0 ? 0 : -1;
		/* Restoring a mask pthread_sigmask gave us cannot fail. */
		(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	(void)pthread_attr_destroy(&attr);
	return rc;
}

static int set_flags(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
		return -1;
	}
	fl = fcntl(fd, F_GETFD);
	return fl < 0 || fcntl(fd, F_SETFD, fl | FD_CLOEXEC) < 0 ? -1 : 0;
}

static ks_redis_lookup *lookup_new(const char *host, const char *port)
{
	ks_redis_lookup *l = calloc(1, sizeof(*l));

	if (l == NULL) {
		return NULL;
	}
	if (strlen(host) >= sizeof(l->host) || pipe(l->wake) != 0) {
		free(l);
		return NULL;
	}
	if (set_flags(l->wake[0]) < 0 || set_flags(l->wake[1]) < 0) {
		close(l->wake[0]);
		close(l->wake[1]);
		free(l);
		return NULL;
	}
	memcpy(l->host, host, strlen(host) + 1);
	snprintf(l->port, sizeof(l->port), "%s", port);
	l->holders = 2;
	return l;
}

int ks_redis_resolve(const char *host, int port, int64_t deadline, struct addrinfo **res)
{
	struct addrinfo hints;
	ks_redis_lookup *l;
	char portstr[8];
	int rc;

	*res = NULL;
	snprintf(portstr, sizeof(portstr), "%d", port);
	tcp_hints(&hints, AI_NUMERICHOST);
	rc = getaddrinfo(host, portstr, &hints, res);
	if (rc != EAI_NONAME) {
		return rc;   /* a numeric address: no lookup was needed */
	}
	*res = NULL;
	tcp_hints(&hints, 0);
	if ((l = lookup_new(host, portstr)) == NULL) {
		return EAI_MEMORY;
	}
	if (lookup_start(l) < 0) {
		/* No thread to spare: a lookup without a bound beats none at all. */
		l->holders = 1;
		lookup_release(l);
		return getaddrinfo(host, portstr, &hints, res);
	}
	for (;;) {
		int ready = ks_redis_poll_fd(l->wake[0], POLLIN, deadline);

		if (__atomic_load_n(&l->done, __ATOMIC_ACQUIRE)) {
			rc = l->rc;
			if (rc == 0) {
				*res = l->res;
				l->res = NULL;
			}
			lookup_release(l);
			return rc;
		}
		if (ready <= 0 || ks_redis_now_ms() >= deadline) {
			lookup_release(l);   /* the helper frees the lookup when it ends */
			return ready < 0 ? EAI_SYSTEM : KS_REDIS_RESOLVE_TIMEOUT;
		}
	}
}

const char *ks_redis_resolve_strerror(int rc)
{
	if (rc == KS_REDIS_RESOLVE_TIMEOUT) {
		return "the name resolver did not answer within the connect timeout";
	}
	return gai_strerror(rc);
}
