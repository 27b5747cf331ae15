/*
 * tls.h: the TLS transport, OpenSSL on a socket the caller has connected.
 *
 * The connection layer owns its sockets (hiredis only reads RESP for it,
 * in reply.c); this file is the TLS implementation of its read/write/close
 * transport (tls_transport.c adapts it to transport.h). Two objects:
 *
 *   ks_redis_tls_ctx  what a tls:// save path's parameters compile to: an
 *                     SSL_CTX with the trusted CAs, the optional client
 *                     certificate and key, and whether to verify the peer.
 *                     ks_redis_tls_ctx_acquire() keeps it in a per-thread
 *                     cache of a few contexts, one per set of parameters,
 *                     across requests (malloc()ed, like pemalloc(..., 1)):
 *                     built on first use, rebuilt when one of its files
 *                     changes, evicted least recently used (tls.c); shared
 *                     read-only by every connection made with it, each
 *                     holding a reference. It also holds the BIO method
 *                     that writes with MSG_NOSIGNAL, so a server that hangs
 *                     up never kills the worker with SIGPIPE. A key that
 *                     needs a passphrase is refused at once (OpenSSL would
 *                     prompt on the terminal and block).
 *   ks_redis_tls      one TLS link on one socket, embedded in the
 *                     caller's connection. It owns the fd once
 *                     ks_redis_tls_connect() was called, whatever it
 *                     returned, and ks_redis_tls_close() closes it.
 *
 * Errors are sticky, as in hiredis: the first failure sets err and errstr
 * and every later read or write fails at once with the same status, so a
 * connection that failed half way is never reused; the caller closes it and
 * connects again. Every wait is a poll() with the caller's timeout in ms,
 * so nothing blocks longer than asked: not a handshake with a server that
 * never answers, nor a read from one that stalls.
 *
 * Defaults are safe: the peer's chain is verified against the CA file or
 * directory (the system store when neither is given), and its certificate
 * must name the host (or the sni parameter when one is given). A host that
 * is a name is also sent as SNI; an IP literal is checked against the
 * certificate's IP addresses and not sent, as RFC 6066 requires.
 * TLS 1.2 is the oldest version offered.
 *
 * Compiled only when KEEPSAKE_TLS is defined (OpenSSL found by configure).
 */
#ifndef KS_REDIS_TLS_H
#define KS_REDIS_TLS_H

#include <stddef.h>
#include <sys/types.h>

#ifdef KEEPSAKE_TLS

typedef struct ks_redis_tls_options {
	const char *ca_file;   /* PEM bundle of trusted CAs, or NULL */
	const char *ca_dir;    /* c_rehash'ed directory of CAs, or NULL */
	const char *cert_file; /* client certificate chain (PEM) for mutual TLS, or NULL */
	const char *key_file;  /* its private key (PEM); NULL: read from cert_file */
	const char *sni;       /* name to send and verify instead of the host, or NULL */
	int verify;            /* 1: verify chain and name (the default); 0: encrypt only */
} ks_redis_tls_options;

typedef enum ks_redis_tls_status {
	KS_REDIS_TLS_OK = 0,
	KS_REDIS_TLS_ERR_CONFIG,    /* CA, certificate or key unusable */
	KS_REDIS_TLS_ERR_VERIFY,    /* the server's certificate failed verification */
	KS_REDIS_TLS_ERR_NOT_TLS,   /* the server answered, but not with TLS */
	KS_REDIS_TLS_ERR_HANDSHAKE, /* any other handshake failure (e.g. our certificate refused) */
	KS_REDIS_TLS_ERR_TIMEOUT,   /* no progress within the timeout */
	KS_REDIS_TLS_ERR_IO,        /* socket error */
	KS_REDIS_TLS_ERR_CLOSED     /* the server closed the connection */
} ks_redis_tls_status;

#define KS_REDIS_TLS_ERRSTR_MAX 256

typedef struct ks_redis_tls_ctx ks_redis_tls_ctx;

typedef struct ks_redis_tls {
	struct ssl_st *ssl;               /* NULL before connect and after close */
	int fd;                           /* -1 when none */
	ks_redis_tls_status err;          /* sticky; KS_REDIS_TLS_OK while healthy */
	int replied;                      /* 1 once any application data was read */
	char errstr[KS_REDIS_TLS_ERRSTR_MAX];
} ks_redis_tls;

/*
 * Builds a context from opts (the strings are only read during the call),
 * holding one reference. Returns NULL with a reason in err when a file
 * is not a regular file (tls_capath: not a directory) or cannot be loaded, a key is encrypted or does not match its certificate,
 * or key_file is given without cert_file. Release with ks_redis_tls_ctx_free().
 */
ks_redis_tls_ctx *ks_redis_tls_ctx_new(const ks_redis_tls_options *opts, char *err, size_t errlen);

/*
 * The calling thread's context for opts, with a new reference for the
 * caller: the cached one while opts are equal to those it was built from
 * and its CA, certificate and key files are unchanged (same inode, size,
 * mtime and ctime), else a new one kept in the cache (up to 8 per thread,
 * one per set of options; the least recently used makes room). Errors as for
 * ks_redis_tls_ctx_new(). Not thread-safe by design: the cache and the
 * reference counts are per thread, as are the connections using them.
 */
ks_redis_tls_ctx *ks_redis_tls_ctx_acquire(const ks_redis_tls_options *opts, char *err, size_t errlen);

/* Drops one reference to ctx (NULL is fine) and frees it with the last. */
void ks_redis_tls_ctx_free(ks_redis_tls_ctx *ctx);

/* Drops the calling thread's cached contexts (worker shutdown); contexts
 * still referenced by open connections live until those close. */
void ks_redis_tls_cache_clear(void);

/* Contexts the calling thread has built through ks_redis_tls_ctx_acquire(). */
unsigned long ks_redis_tls_ctx_builds(void);

/* Puts t in the closed state (no SSL object, fd -1, no error). */
void ks_redis_tls_init(ks_redis_tls *t);

/*
 * Runs the TLS handshake on fd, a connected TCP socket, within timeout_ms
 * (> 0) and verifies the server as described above; host is the name or IP
 * the caller connected to. t takes ownership of fd (made non-blocking).
 * Returns KS_REDIS_TLS_OK, or a status with t->errstr naming the cause, for
 * example "certificate verify failed: certificate has expired" or "the
 * server did not answer with TLS (a plain-text port?)". t must be closed
 * with ks_redis_tls_close() in every case.
 */
ks_redis_tls_status ks_redis_tls_connect(ks_redis_tls *t, ks_redis_tls_ctx *ctx, int fd,
	const char *host, int timeout_ms);

/*
 * Writes all len bytes within timeout_ms. Returns KS_REDIS_TLS_OK or the
 * (sticky) error.
 */
ks_redis_tls_status ks_redis_tls_write(ks_redis_tls *t, const char *buf, size_t len, int timeout_ms);

/*
 * Reads what is available, at most cap bytes, waiting up to timeout_ms for
 * the first byte. Returns the byte count (> 0), or -1 with t->err set
 * (KS_REDIS_TLS_ERR_CLOSED when the server hung up).
 */
ssize_t ks_redis_tls_read(ks_redis_tls *t, char *buf, size_t cap, int timeout_ms);

/*
 * 1 when an idle link can no longer be used: the server closed it, sent
 * an alert, or sent data nobody asked for. Records that are not data (TLS
 * 1.3 resumption tickets) are consumed and do not count. Never waits.
 */
int ks_redis_tls_is_stale(ks_redis_tls *t);

/*
 * Frees the SSL object and closes the fd, without any I/O (no close_notify):
 * after fork() the parent may still be using the same link. Safe on a t
 * that was only initialised, that failed, or is already closed.
 */
void ks_redis_tls_close(ks_redis_tls *t);

#endif /* KEEPSAKE_TLS */

/*
 * 1 when bytes a plain-text client read from a server look like TLS (an
 * alert or handshake record: 0x15 or 0x16 then major version 3), so the
 * plain transport can say "this is a TLS port, use tls://" instead of a
 * protocol error. Pure, and compiled with or without OpenSSL.
 */
int ks_redis_tls_bytes_look_like_tls(const char *buf, size_t len);

#endif
