/*
 * resolve.h: turning a Redis host's name into addresses within a deadline.
 *
 * getaddrinfo() takes no timeout: a resolver that does not answer blocks it
 * for the resolver's own timeouts (glibc: 5 s per try, 2 tries, per name
 * server and per search domain), far beyond keepsake's connect timeout. So
 * a name is looked up on a helper thread while the caller waits on a pipe
 * with poll() until its deadline. A numeric address (127.0.0.1, ::1) needs
 * no lookup and is converted on the caller's thread.
 *
 * Data structure (resolve.c): one ks_redis_lookup per name being looked up,
 * on a process-wide list of pending lookups (at most
 * KS_REDIS_RESOLVE_MAX_PENDING, at most one per name) guarded by one mutex,
 * which also guards each lookup's holders count, done flag and result. A
 * lookup is held by its helper thread and by every caller waiting on it; the
 * last one to let go frees it. A caller whose deadline passes lets go and
 * reports a timeout; the helper finishes on its own (bounded by the
 * resolver's own timeouts) and then leaves the list. A second caller asking
 * for a name whose lookup is pending waits on that same lookup instead of
 * starting another, so a silent resolver costs one thread per name, not one
 * per request; past the cap, a new name fails at once. When no helper can
 * be started (thread or descriptor limits), the lookup fails with that
 * cause: it never falls back to an unbounded getaddrinfo() on the caller.
 * The helper blocks every signal, so PHP's timers never run on it, and it
 * never touches PHP. A name's answer is kept for a second (a small table
 * under the same mutex) and reused on the caller's thread: connecting by
 * name on every request then costs a thread once a second, not each time.
 *
 * Unloading: a helper may outlive the request, so the first one pins the
 * extension in memory (dlopen RTLD_NODELETE) so that PHP's dlclose at
 * shutdown cannot unmap code a helper is still running. Built into the PHP
 * executable, nothing can unmap it and no pin is needed.
 *
 * Fork: a child forked while a lookup is pending inherits neither the thread
 * nor the list (a fork handler empties it in the child): that lookup's
 * memory and its two pipe descriptors stay allocated in the child.
 */
#ifndef KS_REDIS_RESOLVE_H
#define KS_REDIS_RESOLVE_H

#include <stddef.h>
#include <stdint.h>
#include <netdb.h>

/* Helper threads (names being looked up) alive at once in one process. */
#define KS_REDIS_RESOLVE_MAX_PENDING 8

/*
 * Looks up host (a name or a numeric address) for a TCP connection to port,
 * by deadline (absolute ks_redis_now_ms() time). Returns 0 with *res set to
 * a list of IPv4/IPv6 addresses carrying port (the caller frees it with
 * ks_redis_resolve_free), or -1 with *res NULL and err holding why, without
 * the host (e.g. "the name resolver did not answer within the connect
 * timeout", "Name or service not known"). Never waits past deadline.
 * Thread-safe.
 */
int ks_redis_resolve(const char *host, int port, int64_t deadline, struct addrinfo **res, char *err, size_t errlen);

/* Frees a list from ks_redis_resolve; NULL is fine. */
void ks_redis_resolve_free(struct addrinfo *res);

#endif
