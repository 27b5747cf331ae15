/*
 * transport.h: byte I/O on one socket behind a small table of functions
 * (connect, write_all, read_some, is_stale, close).
 *
 * tcp:// and unix:// live in tcp.c, tls:// in tls_transport.c. Invariant: ops == NULL <=> fd == -1 <=> not
 * connected. Every wait is a poll() bounded by an absolute monotonic
 * deadline (ks_redis_now_ms()), so nothing blocks past it.
 */
#ifndef KS_REDIS_TRANSPORT_H
#define KS_REDIS_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <sys/types.h>

#include "redis/status.h"

/* ---------------------------------------------------------------------
 * Transport (tcp.c, tls_transport.c)
 *
 * A transport moves bytes for one connection. Deadlines are absolute
 * monotonic milliseconds (ks_redis_now_ms()); every wait is a poll() bounded
 * by the deadline, so nothing blocks past it. On failure a function sets the
 * connection's sticky error with ks_redis_conn_set_error() and returns that
 * status; the connection then closes the transport.
 * ------------------------------------------------------------------- */
struct ks_redis_conn;
typedef struct ks_redis_transport ks_redis_transport;

typedef struct ks_redis_transport_ops {
	const char *name;   /* "tcp", "unix", "tls" */
	/* Opens t->fd for c->host (or c->target when set) and completes any
	 * handshake (TLS), by `deadline`. */
	ks_redis_status (*connect)(struct ks_redis_conn *c, ks_redis_transport *t, int64_t deadline);
	/* Writes all `len` bytes by `deadline`. */
	ks_redis_status (*write_all)(struct ks_redis_conn *c, ks_redis_transport *t,
		const char *buf, size_t len, int64_t deadline);
	/* Reads 1..cap bytes into buf by `deadline`; EOF is KS_REDIS_ERR_IO. */
	ks_redis_status (*read_some)(struct ks_redis_conn *c, ks_redis_transport *t,
		char *buf, size_t cap, size_t *nread, int64_t deadline);
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

/* The plain socket transports (tcp.c). */
extern const ks_redis_transport_ops ks_redis_tcp_ops;    /* tcp:// */
extern const ks_redis_transport_ops ks_redis_unix_ops;   /* unix:// */
/* OpenSSL on TCP (tls_transport.c), when built with KEEPSAKE_TLS. */
extern const ks_redis_transport_ops ks_redis_tls_ops;    /* tls:// */

/*
 * Opens a non-blocking TCP socket to host:port (each resolved address in
 * turn) and waits for the connection with poll() until `deadline`; a host
 * name's lookup shares that deadline (resolve.h). For use
 * by transports layered on TCP (TLS). Returns the fd, or -1 with the
 * connection's error set ("connect to tcp://h:p: Connection refused").
 */
int ks_redis_tcp_connect_fd(struct ks_redis_conn *c, const char *host, int port, int64_t deadline);
/* Waits for `events` (POLLIN/POLLOUT) on fd until deadline: 1 ready, 0 timed
 * out, -1 error (errno set). Retries EINTR. */
int ks_redis_poll_fd(int fd, short events, int64_t deadline);
int64_t ks_redis_now_ms(void);   /* CLOCK_MONOTONIC, milliseconds */
/* getpid() without a system call on each use (tcp.c): the pid is kept
 * once asked, and forgotten in every child that fork() makes (a
 * pthread_atfork child handler), so a fork child sees its own pid. */
pid_t ks_redis_self_pid(void);

#endif /* KS_REDIS_TRANSPORT_H */
