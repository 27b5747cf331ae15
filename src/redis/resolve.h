/*
 * resolve.h: turning a Redis host's name into addresses within a deadline.
 *
 * getaddrinfo() takes no timeout: a resolver that does not answer blocks it
 * for the resolver's own timeouts (glibc: 5 s per try, 2 tries, per name
 * server and per search domain), far beyond keepsake's connect timeout. So
 * a name is looked up on a short-lived helper thread while the caller waits
 * on a pipe with poll() until its deadline. A numeric address (127.0.0.1,
 * ::1) needs no lookup and is converted on the caller's thread.
 *
 * Data structure (resolve.c): one ks_redis_lookup per lookup, shared by the
 * caller and the helper thread, freed by whichever of the two lets go of it
 * last (an atomic count of holders, 2 at the start). A caller whose deadline
 * passes lets go at once and reports a timeout; the helper thread finishes
 * the lookup on its own (bounded by the resolver's own timeouts), then frees
 * the result. The helper blocks every signal, so PHP's timers never run on
 * it, and it never touches PHP.
 *
 * Unloading: a helper may outlive the request, so the first one pins the
 * extension in memory (dlopen RTLD_NODELETE) so that PHP's dlclose at
 * shutdown cannot unmap code a helper is still running.
 *
 * Fork: a child forked while a lookup is in flight inherits neither the
 * thread nor the duty to free: that one lookup's memory and its two pipe
 * descriptors stay allocated in the child.
 */
#ifndef KS_REDIS_RESOLVE_H
#define KS_REDIS_RESOLVE_H

#include <stdint.h>
#include <netdb.h>

/* Returned instead of an EAI_* code when the deadline passed first. */
#define KS_REDIS_RESOLVE_TIMEOUT (-100000)

/*
 * Looks up host (a name or a numeric address) for a TCP connection to port,
 * by deadline (absolute ks_redis_now_ms() time). Returns 0 with *res set
 * (the caller frees it with freeaddrinfo), KS_REDIS_RESOLVE_TIMEOUT, or
 * getaddrinfo's EAI_* code; *res is NULL on failure.
 */
int ks_redis_resolve(const char *host, int port, int64_t deadline, struct addrinfo **res);

/* Why ks_redis_resolve failed, for a message ("no answer from the resolver in time", gai_strerror). */
const char *ks_redis_resolve_strerror(int rc);

#endif
