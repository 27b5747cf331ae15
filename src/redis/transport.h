/*
 * transport.h: byte I/O on one socket behind a small table of functions
 * (connect, write_all, read_some, is_stale, close).
 *
 * tcp:// and unix:// live in tcp.c (tcp.h), tls:// in tls_transport.c
 * (tls_transport.h); conn.c picks the table by scheme. Invariant: ops ==
 * NULL <=> fd == -1 <=> not connected. Every wait is a poll() bounded by an
 * absolute monotonic deadline (deadline.h), so nothing blocks past it.
 *
 * A transport knows nothing of the connection it serves: it gets the host
 * to reach and an error sink (ks_redis_err, status.h) into which it
 * reports a failure, so neither this header nor tcp.c nor tls_transport.c
 * includes conn.h: the dependency runs one way, from conn.c down.
 */
#ifndef KS_REDIS_TRANSPORT_H
#define KS_REDIS_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <sys/types.h>

#include "redis/status.h"
#include "redis/deadline.h"
#include "redis/path.h"
#include "redis/endpoint.h"

/* ---------------------------------------------------------------------
 * A transport moves bytes for one connection. Deadlines are absolute
 * monotonic milliseconds (ks_redis_now_ms()). On failure a function
 * reports the cause into `err` (naming err->peer) and returns err's
 * status; the connection then closes the transport.
 * ------------------------------------------------------------------- */
typedef struct ks_redis_transport ks_redis_transport;

typedef struct ks_redis_transport_ops {
	const char *name;   /* "tcp", "unix", "tls" */
	/* Opens t->fd to `h` (to `target` instead of h's own address when not
	 * NULL: a discovered master) and completes any handshake (TLS), by
	 * `deadline`. h's params give the TLS options. */
	ks_redis_status (*connect)(ks_redis_transport *t, const ks_redis_host *h,
		const ks_redis_endpoint *target, int64_t deadline, ks_redis_err *err);
	/* Writes all `len` bytes by `deadline`. */
	ks_redis_status (*write_all)(ks_redis_transport *t, const char *buf, size_t len,
		int64_t deadline, ks_redis_err *err);
	/* Reads 1..cap bytes into buf by `deadline`; EOF is KS_REDIS_ERR_IO. */
	ks_redis_status (*read_some)(ks_redis_transport *t, char *buf, size_t cap, size_t *nread,
		int64_t deadline, ks_redis_err *err);
	/* True when the idle connection is known dead (peer closed it, or
	 * unread bytes wait): checked before a write, costs no round trip. */
	bool (*is_stale)(ks_redis_transport *t);
	/* Closes the fd and frees impl, WITHOUT any I/O (no TLS close_notify):
	 * after fork() the fd may still be in use by the parent. Safe on a
	 * closed transport; leaves ops NULL and fd -1. */
	void (*close)(ks_redis_transport *t);
} ks_redis_transport_ops;

struct ks_redis_transport {
	const ks_redis_transport_ops *ops;   /* NULL while disconnected */
	int fd;                              /* -1 while disconnected */
	void *impl;                          /* per-transport state (SSL*), owned */
	bool awaiting;                       /* tcp.c: a write ended and nothing was read since:
	                                        the reply is most likely not there yet */
};

/* getpid() without a system call on each use (tcp.c): the pid is kept
 * once asked, and forgotten in every child that fork() makes (a
 * pthread_atfork child handler), so a fork child sees its own pid. */
pid_t ks_redis_self_pid(void);

#endif /* KS_REDIS_TRANSPORT_H */
