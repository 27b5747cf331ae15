/*
 * status.h: the Redis client's status codes.
 *
 * Every call of this layer returns a ks_redis_status. KS_REDIS_OK is 0 and
 * every error is a positive kind, so callers can count errors by kind in an
 * array of KS_REDIS_STATUS_COUNT. The layer never emits PHP warnings: the
 * cause of a failure stays sticky on the connection (conn.h), and the
 * PHP-facing layer above reports it once. A part below the connection
 * reports through an error sink (ks_redis_err) that the connection hands it.
 */
#ifndef KS_REDIS_STATUS_H
#define KS_REDIS_STATUS_H

#include <stdarg.h>
#include <stddef.h>

/* ---------------------------------------------------------------------
 * Status codes. KS_REDIS_OK is 0; every error is a positive kind, so a
 * caller can count errors by kind.
 * ------------------------------------------------------------------- */
typedef enum ks_redis_status {
	KS_REDIS_OK = 0,
	KS_REDIS_ERR_CONNECT,   /* connect failed: refused, unreachable, DNS, timeout */
	KS_REDIS_ERR_IO,        /* write/read failed or peer closed the connection */
	KS_REDIS_ERR_TIMEOUT,   /* a reply did not arrive within the read timeout */
	KS_REDIS_ERR_PROTOCOL,  /* the bytes were not valid RESP */
	KS_REDIS_ERR_AUTH,      /* AUTH (or SELECT) during the handshake was refused */
	KS_REDIS_ERR_REPLY,     /* the server answered with an error reply; errstr quotes it */
	KS_REDIS_ERR_CONFIG,    /* unusable parameters (scheme not compiled in, ...) */
	KS_REDIS_ERR_OOM,       /* allocation failed */
	KS_REDIS_STATUS_COUNT
} ks_redis_status;

/* A short stable name for a status ("connect", "io", ...), for stats keys. */
const char *ks_redis_status_name(ks_redis_status st);

/*
 * An error sink: where a lower part (a transport, transport.h) reports a
 * failure into its owner's sticky error without knowing the owner. The
 * owner (a connection, conn.c) points it at its own status and message
 * buffer, and names the peer that messages mention. Borrowed pointers, no
 * allocation; a sink lives for one call.
 */
typedef struct ks_redis_err {
	ks_redis_status *st;   /* the owner's status: set only while KS_REDIS_OK (the first cause wins) */
	char *msg;             /* the owner's message buffer, msglen bytes */
	size_t msglen;
	const char *peer;      /* how messages name the other end ("tcp://h:p"; never a password) */
} ks_redis_err;

/* Reports st with a printf-style message into e, unless e already holds an
 * error (the first cause is the one worth reporting). Returns e's status:
 * st, or the earlier one. */
ks_redis_status ks_redis_err_set(ks_redis_err *e, ks_redis_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* ks_redis_err_set with a va_list. */
ks_redis_status ks_redis_err_vset(ks_redis_err *e, ks_redis_status st, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

#endif /* KS_REDIS_STATUS_H */
