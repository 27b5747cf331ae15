/*
 * tls.c: OpenSSL on a non-blocking socket, every wait bounded by poll().
 *
 * The socket I/O goes through our own BIO method rather than OpenSSL's
 * socket BIO, for one reason: OpenSSL writes with write(), which raises
 * SIGPIPE when the server has hung up, and a PHP worker must never die of
 * that. Ours uses send(MSG_NOSIGNAL) and recv(), and tells OpenSSL to retry
 * on EAGAIN; the waiting itself happens here, in poll(), with a deadline.
 *
 * OpenSSL's error queue is per thread and shared with PHP's openssl
 * extension, so it is cleared before each of our calls and drained after a
 * failure, leaving nothing behind for other code to misread.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include <string.h>

#include "redis/tls.h"

int ks_redis_tls_bytes_look_like_tls(const char *buf, size_t len)
{
	const unsigned char *b = (const unsigned char *)buf;

	/* A TLS record starts with its content type, then the major version 3. */
	return len >= 2 && (b[0] == 0x15 || b[0] == 0x16) && b[1] == 0x03;
}

#ifdef KEEPSAKE_TLS

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#if OPENSSL_VERSION_NUMBER < 0x30000000L
# error "keepsake's TLS needs OpenSSL 3.0 or newer (config.m4 leaves TLS out with an older one)"
#endif

struct ks_redis_tls_ctx {
	SSL_CTX *ssl_ctx;
	BIO_METHOD *bio_method; /* send/recv without SIGPIPE; see the top of this file */
	int verify;
	char *sni;              /* strdup()ed opts->sni, or NULL */
	int refs;               /* owners: the thread's cache and each connection using it; one
	                           thread only, so a plain int (see ks_redis_tls_ctx_acquire) */
	int asked_passphrase;   /* set by refuse_passphrase() while the key is loaded */
};

/* ---- the BIO: the fd lives in the BIO's data pointer ---- */

static int bio_fd(BIO *b)
{
	return (int)(intptr_t)BIO_get_data(b);
}

static int bio_write(BIO *b, const char *buf, int len)
{
	ssize_t n;

	BIO_clear_retry_flags(b);
	n = send(bio_fd(b), buf, (size_t)len, MSG_NOSIGNAL);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
		BIO_set_retry_write(b);
	}
	return (int)n;
}

static int bio_read(BIO *b, char *buf, int len)
{
	ssize_t n;

	BIO_clear_retry_flags(b);
	n = recv(bio_fd(b), buf, (size_t)len, 0);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
		BIO_set_retry_read(b);
	}
	return (int)n;
}

static long bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	/* Only flush matters: our writes are unbuffered. */
	return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

static int bio_create(BIO *b)
{
	BIO_set_data(b, (void *)(intptr_t)-1);
	BIO_set_init(b, 1);
	return 1;
}

static BIO_METHOD *bio_method_new(void)
{
	BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "keepsake socket");

	if (m == NULL) {
		return NULL;
	}
	if (!BIO_meth_set_write(m, bio_write) || !BIO_meth_set_read(m, bio_read) ||
		!BIO_meth_set_ctrl(m, bio_ctrl) || !BIO_meth_set_create(m, bio_create)) {
		BIO_meth_free(m);
		return NULL;
	}
	return m;
}

/* ---- errors ---- */

/* OpenSSL's reason for e; a failed fopen() and such carry an errno instead. */
static const char *error_reason(unsigned long e)
{
	const char *reason;

	if (ERR_SYSTEM_ERROR(e)) {
		return strerror(ERR_GET_REASON(e));
	}
	reason = ERR_reason_error_string(e);
	return reason ? reason : "unknown OpenSSL error";
}

/* Appends OpenSSL's first queued reason (if any) to a message, drains the queue. */
static void format_error(char *err, size_t errlen, const char *fmt, ...)
{
	unsigned long e = ERR_get_error();
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	n = strlen(err);
	if (e != 0 && n + 3 < errlen) {
		snprintf(err + n, errlen - n, ": %s", error_reason(e));
	}
	ERR_clear_error();
}

static ks_redis_tls_status fail(ks_redis_tls *t, ks_redis_tls_status st, const char *fmt, ...)
{
	va_list ap;

	if (t->err != KS_REDIS_TLS_OK) {
		return t->err; /* the first cause wins */
	}
	va_start(ap, fmt);
	vsnprintf(t->errstr, sizeof(t->errstr), fmt, ap);
	va_end(ap);
	t->err = st;
	ERR_clear_error();
	return st;
}

/* ---- the context ---- */

/*
 * OpenSSL's default passphrase callback reads the terminal: an encrypted
 * key would block a worker on a prompt nobody sees, forever. Ours refuses
 * at once and records that a passphrase was wanted, so the error can say so.
 */
static int refuse_passphrase(char *buf, int size, int rwflag, void *userdata)
{
	ks_redis_tls_ctx *ctx = userdata;

	if (ctx != NULL) {
		ctx->asked_passphrase = 1;
	}
	return -1;
}

static int load_client_cert(ks_redis_tls_ctx *ctx, const ks_redis_tls_options *o, char *err, size_t errlen)
{
	SSL_CTX *c = ctx->ssl_ctx;
	const char *key = o->key_file ? o->key_file : o->cert_file;

	if (o->cert_file == NULL) {
		if (o->key_file != NULL) {
			snprintf(err, errlen, "a TLS key file was given without a certificate file");
			return -1;
		}
		return 0;
	}
	if (SSL_CTX_use_certificate_chain_file(c, o->cert_file) != 1) {
		format_error(err, errlen, "cannot load TLS certificate file '%s'", o->cert_file);
		return -1;
	}
	ctx->asked_passphrase = 0;
	if (SSL_CTX_use_PrivateKey_file(c, key, SSL_FILETYPE_PEM) != 1) {
		if (ctx->asked_passphrase) {
			ERR_clear_error();
			snprintf(err, errlen, "TLS key file '%s' is encrypted; keepsake cannot prompt for its passphrase "
				"(decrypt it, e.g. openssl pkey -in KEY -out PLAIN, and keep it readable only by PHP)", key);
			return -1;
		}
		/* OpenSSL already compares the key with the certificate here. */
		if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
			ERR_clear_error();
			snprintf(err, errlen, "TLS key file '%s' does not match certificate '%s'", key, o->cert_file);
			return -1;
		}
		format_error(err, errlen, "cannot load TLS key file '%s'", key);
		return -1;
	}
	if (SSL_CTX_check_private_key(c) != 1) {
		format_error(err, errlen, "TLS key file '%s' does not match certificate '%s'", key, o->cert_file);
		return -1;
	}
	return 0;
}

static int load_trust(SSL_CTX *c, const ks_redis_tls_options *o, char *err, size_t errlen)
{
	if (o->ca_file == NULL && o->ca_dir == NULL) {
		if (SSL_CTX_set_default_verify_paths(c) != 1) {
			format_error(err, errlen, "cannot load the system's CA certificates");
			return -1;
		}
		return 0;
	}
	if (SSL_CTX_load_verify_locations(c, o->ca_file, o->ca_dir) != 1) {
		format_error(err, errlen, "cannot load TLS CA %s '%s'", o->ca_file ? "file" : "directory",
			o->ca_file ? o->ca_file : o->ca_dir);
		return -1;
	}
	return 0;
}

/*
 * OpenSSL fopen()s these files with no timeout: a FIFO (or a device) would
 * block the worker before any deadline applies, so anything that is not a
 * regular file (a directory for tls_capath) is refused up front. A path
 * stat() cannot see is left to OpenSSL, whose error says why.
 */
static int check_file_kind(const char *path, const char *param, const char *what, int want_dir,
	char *err, size_t errlen)
{
	struct stat sb;

	if (path == NULL || stat(path, &sb) != 0) {
		return 0;
	}
	if (want_dir ? S_ISDIR(sb.st_mode) : S_ISREG(sb.st_mode)) {
		return 0;
	}
	snprintf(err, errlen, "%s '%s' (%s) is not a %s", what, path, param, want_dir ? "directory" : "regular file");
	return -1;
}

static int check_file_kinds(const ks_redis_tls_options *o, char *err, size_t errlen)
{
	if (o->verify && (check_file_kind(o->ca_file, "tls_ca", "TLS CA file", 0, err, errlen) != 0
		|| check_file_kind(o->ca_dir, "tls_capath", "TLS CA directory", 1, err, errlen) != 0)) {
		return -1;
	}
	return check_file_kind(o->cert_file, "tls_cert", "TLS certificate file", 0, err, errlen) != 0
		|| check_file_kind(o->key_file, "tls_key", "TLS key file", 0, err, errlen) != 0 ? -1 : 0;
}

ks_redis_tls_ctx *ks_redis_tls_ctx_new(const ks_redis_tls_options *opts, char *err, size_t errlen)
{
	ks_redis_tls_ctx *ctx = calloc(1, sizeof(*ctx));

	ERR_clear_error();
	if (ctx == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (check_file_kinds(opts, err, errlen) != 0) {
		free(ctx);
		return NULL;
	}
	ctx->refs = 1;
	ctx->verify = opts->verify;
	ctx->ssl_ctx = SSL_CTX_new(TLS_client_method());
	ctx->bio_method = bio_method_new();
	if (ctx->ssl_ctx == NULL || ctx->bio_method == NULL) {
		format_error(err, errlen, "cannot create a TLS context");
		goto fail;
	}
	if (opts->sni != NULL && (ctx->sni = strdup(opts->sni)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	SSL_CTX_set_min_proto_version(ctx->ssl_ctx, TLS1_2_VERSION);
	/* Replies are self-delimiting, so a missing close_notify loses nothing:
	 * report it as a plain "connection closed". */
#ifdef SSL_OP_IGNORE_UNEXPECTED_EOF
	SSL_CTX_set_options(ctx->ssl_ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
#endif
	SSL_CTX_set_mode(ctx->ssl_ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	SSL_CTX_set_default_passwd_cb(ctx->ssl_ctx, refuse_passphrase);
	SSL_CTX_set_default_passwd_cb_userdata(ctx->ssl_ctx, ctx);
	SSL_CTX_set_verify(ctx->ssl_ctx, opts->verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, NULL);
	if (opts->verify && load_trust(ctx->ssl_ctx, opts, err, errlen) != 0) {
		goto fail;
	}
	if (load_client_cert(ctx, opts, err, errlen) != 0) {
		goto fail;
	}
	return ctx;

fail:
	ks_redis_tls_ctx_free(ctx);
	return NULL;
}

void ks_redis_tls_ctx_free(ks_redis_tls_ctx *ctx)
{
	if (ctx == NULL || --ctx->refs > 0) {
		return;
	}
	SSL_CTX_free(ctx->ssl_ctx);
	BIO_meth_free(ctx->bio_method);
	free(ctx->sni);
	free(ctx);
}

/* ---- the per-thread cache ---- */

/*
 * A few contexts per worker (per thread under ZTS: the cache is
 * thread-local, like the connections that use it), one per set of tls_*
 * parameters, so a ring or a cluster whose hosts differ in tls_* (a
 * different tls_sni per host, say) builds each context once rather than at
 * every switch of host. Building one loads and parses the CA bundle and
 * the key, a millisecond to tens of milliseconds with the system bundle,
 * which a worker with persistent=0, or one talking to many cluster nodes,
 * would otherwise pay at every connect.
 *
 * Invariants: each slot is empty (ctx NULL, no strings) or holds one
 * reference to ctx, copies of the options it was built from and the stamps
 * (identity, size, mtime and ctime) of its files then; no two slots hold
 * equal options. A slot is reused only while no file changed (a renewed
 * certificate written over the old one is picked up by the next connect);
 * otherwise it is rebuilt in place. When all CACHE_SLOTS are taken, the
 * least recently used one makes room. Connections still using a replaced
 * context keep it alive by their reference. After fork() the child
 * inherits the cache and goes on using it: a client SSL_CTX holds no socket
 * and no per-process state (keepsake keeps no TLS resumption cache), and
 * inherited connections free their SSL objects without any I/O.
 *
 * A tls_capath directory is stamped as a directory: adding, removing or
 * renaming a file in it (what c_rehash and update-ca-certificates do) is
 * seen, a file rewritten in place inside it is not (OpenSSL itself caches
 * a certificate it loaded from the directory for the context's lifetime).
 */
#define CACHE_SLOTS 8

typedef struct file_stamp {
	int present;               /* 0: option not set, or stat() failed */
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	struct timespec ctime;     /* catches a rewrite whose mtime was put back (cp -p, touch -r) */
} file_stamp;

enum { STAMP_CA, STAMP_CAPATH, STAMP_CERT, STAMP_KEY, STAMP_COUNT };

typedef struct cache_slot {
	ks_redis_tls_ctx *ctx;     /* NULL: the slot is free */
	char *opt[5];              /* strdup()ed ca_file, ca_dir, cert_file, key_file, sni (NULL = unset) */
	int verify;
	file_stamp stamps[STAMP_COUNT];
	unsigned long used;        /* cache.tick at its last use, for LRU */
} cache_slot;

typedef struct tls_ctx_cache {
	cache_slot slot[CACHE_SLOTS];
	unsigned long tick;
	unsigned long builds;      /* contexts this thread built, for stats; never reset */
} tls_ctx_cache;

static _Thread_local tls_ctx_cache cache;

static void option_strings(const ks_redis_tls_options *o, const char *out[5])
{
	out[0] = o->ca_file;
	out[1] = o->ca_dir;
	out[2] = o->cert_file;
	out[3] = o->key_file;
	out[4] = o->sni;
}

static void stamp_file(const char *path, file_stamp *st)
{
	struct stat sb;

	memset(st, 0, sizeof(*st));
	if (path != NULL && stat(path, &sb) == 0) {
		st->present = 1;
		st->dev = sb.st_dev;
		st->ino = sb.st_ino;
		st->size = sb.st_size;
		st->mtime = sb.st_mtim;
		st->ctime = sb.st_ctim;
	}
}

static void stamp_files(const ks_redis_tls_options *o, file_stamp st[STAMP_COUNT])
{
	stamp_file(o->ca_file, &st[STAMP_CA]);
	stamp_file(o->ca_dir, &st[STAMP_CAPATH]);
	stamp_file(o->cert_file, &st[STAMP_CERT]);
	stamp_file(o->key_file, &st[STAMP_KEY]);
}

static int same_time(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

static int same_stamp(const file_stamp *a, const file_stamp *b)
{
	return a->present == b->present && a->dev == b->dev && a->ino == b->ino && a->size == b->size
		&& same_time(&a->mtime, &b->mtime) && same_time(&a->ctime, &b->ctime);
}

static int same_options(const cache_slot *s, const ks_redis_tls_options *o)
{
	const char *want[5];
	int i;

	if (s->ctx == NULL || s->verify != o->verify) {
		return 0;
	}
	option_strings(o, want);
	for (i = 0; i < 5; i++) {
		if ((want[i] == NULL) != (s->opt[i] == NULL) || (want[i] && strcmp(want[i], s->opt[i]) != 0)) {
			return 0;
		}
	}
	return 1;
}

static void slot_clear(cache_slot *s)
{
	int i;

	ks_redis_tls_ctx_free(s->ctx);
	for (i = 0; i < 5; i++) {
		free(s->opt[i]);
	}
	memset(s, 0, sizeof(*s));
}

/* The slot holding opts, else a free one, else the least recently used. */
static cache_slot *slot_for(const ks_redis_tls_options *o)
{
	cache_slot *lru = &cache.slot[0];
	int i;

	for (i = 0; i < CACHE_SLOTS; i++) {
		if (same_options(&cache.slot[i], o)) {
			return &cache.slot[i];
		}
	}
	for (i = 0; i < CACHE_SLOTS; i++) {
		if (cache.slot[i].ctx == NULL) {
			return &cache.slot[i];
		}
		if (cache.slot[i].used < lru->used) {
			lru = &cache.slot[i];
		}
	}
	return lru;
}

/* Keeps ctx (and its reference) in the empty slot s. -1 when out of
 * memory: then s stays empty and the caller holds ctx alone. */
static int slot_store(cache_slot *s, ks_redis_tls_ctx *ctx, const ks_redis_tls_options *o,
	const file_stamp st[STAMP_COUNT])
{
	const char *src[5];
	int i;

	option_strings(o, src);
	for (i = 0; i < 5; i++) {
		if (src[i] != NULL && (s->opt[i] = strdup(src[i])) == NULL) {
			slot_clear(s);
			return -1;
		}
	}
	s->verify = o->verify;
	memcpy(s->stamps, st, sizeof(s->stamps));
	s->ctx = ctx;
	s->used = ++cache.tick;
	return 0;
}

void ks_redis_tls_cache_clear(void)
{
	int i;

	for (i = 0; i < CACHE_SLOTS; i++) {
		slot_clear(&cache.slot[i]);
	}
}

ks_redis_tls_ctx *ks_redis_tls_ctx_acquire(const ks_redis_tls_options *opts, char *err, size_t errlen)
{
	file_stamp st[STAMP_COUNT];
	ks_redis_tls_ctx *ctx;
	cache_slot *s;
	int i;

	stamp_files(opts, st);
	s = slot_for(opts);
	if (s->ctx != NULL && same_options(s, opts)) {
		for (i = 0; i < STAMP_COUNT && same_stamp(&st[i], &s->stamps[i]); i++);
		if (i == STAMP_COUNT) {
			s->used = ++cache.tick;
			s->ctx->refs++;
			return s->ctx;
		}
	}
	slot_clear(s);   /* a file changed, or room for a new set of options */
	ctx = ks_redis_tls_ctx_new(opts, err, errlen);
	if (ctx == NULL) {
		return NULL;
	}
	cache.builds++;
	if (slot_store(s, ctx, opts, st) == 0) {
		ctx->refs++;   /* one for the cache, one for the caller */
	}
	return ctx;
}

unsigned long ks_redis_tls_ctx_builds(void)
{
	return cache.builds;
}

/* ---- waiting ---- */

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Waits until fd is ready for what OpenSSL asked (ssl_err is
 * SSL_ERROR_WANT_READ or _WANT_WRITE) or the deadline passes. Returns 1
 * when ready, 0 on timeout, -1 on a poll error (errno set).
 */
static int wait_for(int fd, int ssl_err, long long deadline)
{
	struct pollfd p;
	int rc;

	p.fd = fd;
	p.events = ssl_err == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN;
	for (;;) {
		long long left = deadline - now_ms();

		if (left <= 0) {
			return 0;
		}
		p.revents = 0;
		rc = poll(&p, 1, left > INT32_MAX ? INT32_MAX : (int)left);
		if (rc > 0) {
			return 1; /* ready, or POLLERR/POLLHUP: the next call reports it */
		}
		if (rc == 0) {
			return 0;
		}
		if (errno != EINTR) {
			return -1;
		}
	}
}

/* ---- one TLS link ---- */

void ks_redis_tls_init(ks_redis_tls *t)
{
	t->ssl = NULL;
	t->fd = -1;
	t->err = KS_REDIS_TLS_OK;
	t->replied = 0;
	t->errstr[0] = '\0';
}

static int is_ip_literal(const char *host)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

/* SNI and the name the certificate must carry. */
static ks_redis_tls_status set_peer_name(ks_redis_tls *t, const ks_redis_tls_ctx *ctx, const char *host)
{
	const char *name = ctx->sni ? ctx->sni : host;
	int ip = is_ip_literal(name);

	if (!ip && SSL_set_tlsext_host_name(t->ssl, name) != 1) {
		return fail(t, KS_REDIS_TLS_ERR_CONFIG, "cannot set TLS server name '%s'", name);
	}
	if (!ctx->verify) {
		return KS_REDIS_TLS_OK;
	}
	if (ip) {
		if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(t->ssl), name) != 1) {
			return fail(t, KS_REDIS_TLS_ERR_CONFIG, "cannot verify against IP '%s'", name);
		}
	} else if (SSL_set1_host(t->ssl, name) != 1) {
		return fail(t, KS_REDIS_TLS_ERR_CONFIG, "cannot verify against host name '%s'", name);
	}
	return KS_REDIS_TLS_OK;
}

/* 1 when OpenSSL's reason code says the peer hung up without a close_notify. */
static int is_unexpected_eof(int reason)
{
#ifdef SSL_R_UNEXPECTED_EOF_WHILE_READING
	return reason == SSL_R_UNEXPECTED_EOF_WHILE_READING;
#else
	return 0;
#endif
}

/* Classifies a failed SSL_connect. */
static ks_redis_tls_status handshake_failed(ks_redis_tls *t, int verify, int ssl_err, int saved_errno)
{
	unsigned long e = ERR_peek_error();
	long vr = SSL_get_verify_result(t->ssl);
	int reason = e ? ERR_GET_REASON(e) : 0;

	/* With verification off the result is recorded but never fatal. */
	if (verify && vr != X509_V_OK) {
		return fail(t, KS_REDIS_TLS_ERR_VERIFY, "TLS certificate verify failed: %s",
			X509_verify_cert_error_string(vr));
	}
	if (reason == SSL_R_WRONG_VERSION_NUMBER || reason == SSL_R_PACKET_LENGTH_TOO_LONG ||
		reason == SSL_R_UNKNOWN_PROTOCOL ||
		reason == SSL_R_HTTP_REQUEST) {
		return fail(t, KS_REDIS_TLS_ERR_NOT_TLS,
			"the server did not answer with TLS (a plain-text port?): %s", error_reason(e));
	}
	if (ssl_err == SSL_ERROR_ZERO_RETURN || (ssl_err == SSL_ERROR_SYSCALL && saved_errno == 0) ||
		is_unexpected_eof(reason)) {
		return fail(t, KS_REDIS_TLS_ERR_CLOSED, "the server closed the connection during the TLS handshake");
	}
	if (ssl_err == SSL_ERROR_SYSCALL) {
		return fail(t, KS_REDIS_TLS_ERR_IO, "TLS handshake: %s", strerror(saved_errno));
	}
	return fail(t, KS_REDIS_TLS_ERR_HANDSHAKE, "TLS handshake failed: %s",
		e ? error_reason(e) : "unknown OpenSSL error");
}

ks_redis_tls_status ks_redis_tls_connect(ks_redis_tls *t, ks_redis_tls_ctx *ctx, int fd,
	const char *host, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	BIO *bio;
	int flags;

	ks_redis_tls_init(t);
	t->fd = fd;
	ERR_clear_error();
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		return fail(t, KS_REDIS_TLS_ERR_IO, "cannot make the socket non-blocking: %s", strerror(errno));
	}
	t->ssl = SSL_new(ctx->ssl_ctx);
	bio = BIO_new(ctx->bio_method);
	if (t->ssl == NULL || bio == NULL) {
		BIO_free(bio);
		return fail(t, KS_REDIS_TLS_ERR_CONFIG, "cannot create a TLS connection (out of memory?)");
	}
	BIO_set_data(bio, (void *)(intptr_t)fd);
	SSL_set_bio(t->ssl, bio, bio); /* the SSL object now owns the BIO */
	if (set_peer_name(t, ctx, host) != KS_REDIS_TLS_OK) {
		return t->err;
	}
	for (;;) {
		int rc, ssl_err, saved_errno, w;

		ERR_clear_error();
		errno = 0;
		rc = SSL_connect(t->ssl);
		if (rc == 1) {
			return KS_REDIS_TLS_OK;
		}
		saved_errno = errno;
		ssl_err = SSL_get_error(t->ssl, rc);
		if (ssl_err != SSL_ERROR_WANT_READ && ssl_err != SSL_ERROR_WANT_WRITE) {
			return handshake_failed(t, ctx->verify, ssl_err, saved_errno);
		}
		w = wait_for(fd, ssl_err, deadline);
		if (w == 0) {
			return fail(t, KS_REDIS_TLS_ERR_TIMEOUT,
				"no TLS handshake answer within %d ms (a plain-text port, or an overloaded server?)", timeout_ms);
		}
		if (w < 0) {
			return fail(t, KS_REDIS_TLS_ERR_IO, "TLS handshake: poll: %s", strerror(errno));
		}
	}
}

/*
 * After the server hung up, an alert it sent first may still be waiting in
 * the socket: with TLS 1.3 a server that refuses our client certificate
 * says so only after our handshake has finished, then closes. One read
 * that does not wait picks that reason up. Returns it, or NULL.
 */
static const char *pending_alert(ks_redis_tls *t)
{
	char byte;
	size_t n;
	unsigned long e;

	ERR_clear_error();
	if (SSL_read_ex(t->ssl, &byte, 1, &n) == 1) {
		return NULL;
	}
	e = ERR_peek_error();
	if (e == 0 || ERR_SYSTEM_ERROR(e) || ERR_GET_REASON(e) < SSL_AD_REASON_OFFSET) {
		return NULL;
	}
	return error_reason(e);
}

/* Classifies a failed SSL_read/SSL_write that is not a retry. */
static ks_redis_tls_status io_failed(ks_redis_tls *t, const char *op, int ssl_err, int saved_errno)
{
	unsigned long e = ERR_peek_error();
	/* Nothing read yet: the server dropped us right after the handshake. */
	const char *hint = t->replied ? "" :
		" right after the TLS handshake (does it require a client certificate, or refuse ours?)";
	const char *alert;

	if (ssl_err == SSL_ERROR_SYSCALL || ssl_err == SSL_ERROR_ZERO_RETURN) {
		alert = pending_alert(t);
		if (alert != NULL) {
			return fail(t, KS_REDIS_TLS_ERR_HANDSHAKE, "TLS %s: the server ended the TLS connection: %s", op, alert);
		}
	}
	if (ssl_err == SSL_ERROR_ZERO_RETURN || (ssl_err == SSL_ERROR_SYSCALL && saved_errno == 0) ||
		(e && is_unexpected_eof(ERR_GET_REASON(e)))) {
		return fail(t, KS_REDIS_TLS_ERR_CLOSED, "TLS %s: the server closed the connection%s", op, hint);
	}
	if (ssl_err == SSL_ERROR_SYSCALL) {
		return fail(t, KS_REDIS_TLS_ERR_IO, "TLS %s: %s%s", op, strerror(saved_errno), hint);
	}
	/* Reasons from SSL_AD_REASON_OFFSET up are alerts the server sent. */
	if (e && !ERR_SYSTEM_ERROR(e) && ERR_GET_REASON(e) >= SSL_AD_REASON_OFFSET) {
		return fail(t, KS_REDIS_TLS_ERR_HANDSHAKE, "TLS %s: the server ended the TLS connection: %s", op, error_reason(e));
	}
	return fail(t, KS_REDIS_TLS_ERR_IO, "TLS %s failed: %s", op, e ? error_reason(e) : "unknown OpenSSL error");
}

ks_redis_tls_status ks_redis_tls_write(ks_redis_tls *t, const char *buf, size_t len, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	size_t done = 0;

	if (t->err != KS_REDIS_TLS_OK) {
		return t->err;
	}
	if (t->ssl == NULL) {
		return fail(t, KS_REDIS_TLS_ERR_IO, "TLS write on a closed connection");
	}
	while (done < len) {
		size_t n = 0;
		int ssl_err, saved_errno, w;

		ERR_clear_error();
		errno = 0;
		if (SSL_write_ex(t->ssl, buf + done, len - done, &n) == 1) {
			done += n;
			continue;
		}
		saved_errno = errno;
		ssl_err = SSL_get_error(t->ssl, 0);
		if (ssl_err != SSL_ERROR_WANT_READ && ssl_err != SSL_ERROR_WANT_WRITE) {
			return io_failed(t, "write", ssl_err, saved_errno);
		}
		w = wait_for(t->fd, ssl_err, deadline);
		if (w == 0) {
			return fail(t, KS_REDIS_TLS_ERR_TIMEOUT, "TLS write timed out after %d ms", timeout_ms);
		}
		if (w < 0) {
			return fail(t, KS_REDIS_TLS_ERR_IO, "TLS write: poll: %s", strerror(errno));
		}
	}
	return KS_REDIS_TLS_OK;
}

ssize_t ks_redis_tls_read(ks_redis_tls *t, char *buf, size_t cap, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;

	if (t->err != KS_REDIS_TLS_OK) {
		return -1;
	}
	if (t->ssl == NULL) {
		fail(t, KS_REDIS_TLS_ERR_IO, "TLS read on a closed connection");
		return -1;
	}
	for (;;) {
		size_t n = 0;
		int ssl_err, saved_errno, w;

		ERR_clear_error();
		errno = 0;
		if (SSL_read_ex(t->ssl, buf, cap, &n) == 1) {
			t->replied = 1;
			return (ssize_t)n;
		}
		saved_errno = errno;
		ssl_err = SSL_get_error(t->ssl, 0);
		if (ssl_err != SSL_ERROR_WANT_READ && ssl_err != SSL_ERROR_WANT_WRITE) {
			io_failed(t, "read", ssl_err, saved_errno);
			return -1;
		}
		w = wait_for(t->fd, ssl_err, deadline);
		if (w == 0) {
			fail(t, KS_REDIS_TLS_ERR_TIMEOUT, "TLS read timed out after %d ms", timeout_ms);
			return -1;
		}
		if (w < 0) {
			fail(t, KS_REDIS_TLS_ERR_IO, "TLS read: poll: %s", strerror(errno));
			return -1;
		}
	}
}

int ks_redis_tls_is_stale(ks_redis_tls *t)
{
	struct pollfd p;
	char byte;
	size_t n;
	int rc, ssl_err;

	if (t->err != KS_REDIS_TLS_OK || t->ssl == NULL) {
		return 1;
	}
	if (SSL_pending(t->ssl) > 0) {
		return 1; /* application data nobody asked for */
	}
	p.fd = t->fd;
	p.events = POLLIN;
	p.revents = 0;
	do {
		rc = poll(&p, 1, 0);
	} while (rc < 0 && errno == EINTR);
	if (rc == 0) {
		return 0;
	}
	/* Readable: a TLS 1.3 resumption ticket is harmless; data, EOF or an alert is not. */
	ERR_clear_error();
	if (SSL_read_ex(t->ssl, &byte, 1, &n) == 1) {
		return 1;
	}
	ssl_err = SSL_get_error(t->ssl, 0);
	ERR_clear_error();
	return ssl_err != SSL_ERROR_WANT_READ;
}

void ks_redis_tls_close(ks_redis_tls *t)
{
	/* No close_notify: after fork() the parent may still be using this
	 * TLS link, and Redis needs none to clean up. Freeing sends nothing. */
	if (t->ssl != NULL) {
		SSL_free(t->ssl);
		t->ssl = NULL;
	}
	ERR_clear_error();
	if (t->fd >= 0) {
		close(t->fd);
		t->fd = -1;
	}
}

#endif /* KEEPSAKE_TLS */
