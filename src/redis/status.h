/*
 * status.h: the Redis client's status codes.
 *
 * Every call of this layer returns a ks_redis_status. KS_REDIS_OK is 0 and
 * every error is a positive kind, so callers can count errors by kind in an
 * array of KS_REDIS_STATUS_COUNT. The layer never emits PHP warnings: the
 * cause of a failure stays sticky on the connection (conn.h), and the
 * PHP-facing layer above reports it once.
 */
#ifndef KS_REDIS_STATUS_H
#define KS_REDIS_STATUS_H



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

#endif /* KS_REDIS_STATUS_H */
