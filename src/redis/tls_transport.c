/*
 * tls_transport.c: tls:// as a ks_redis transport (see transport.h): TCP from
 * tcp.c, then OpenSSL from tls.c. This file only adapts: it turns the
 * host's parameters into TLS options, absolute deadlines into the timeouts
 * tls.c takes, and tls.c's statuses into a report in the error sink (which
 * the connection makes its sticky error), naming the host.
 *
 * impl owns one ks_redis_tls_conn: a reference to the worker's TLS context
 * for the host's tls_* parameters (tls.c caches it per thread, so a
 * reconnect, persistent=0 or another cluster node does not load the CA
 * bundle and key again) and the TLS link on the socket.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "redis/tls_transport.h"

#ifdef KEEPSAKE_TLS

#include <stdlib.h>

#include "redis/tcp.h"
#include "redis/tls.h"

typedef struct ks_redis_tls_conn {
	ks_redis_tls_ctx *ctx;
	ks_redis_tls tls;
} ks_redis_tls_conn;

/* Milliseconds left before deadline; at least 1 so a spent budget still polls once. */
static int ms_left(int64_t deadline)
{
	int64_t left = deadline - ks_redis_now_ms();

	if (left < 1) {
		return 1;
	}
	return left > 86400000 ? 86400000 : (int)left;
}

static void free_impl(ks_redis_transport *t)
{
	ks_redis_tls_conn *tc = t->impl;

	if (tc != NULL) {
		ks_redis_tls_close(&tc->tls);
		ks_redis_tls_ctx_free(tc->ctx);
		free(tc);
	}
	t->impl = NULL;
	t->fd = -1;
	t->ops = NULL;
}

static ks_redis_status tls_connect(ks_redis_transport *t, const ks_redis_host *h,
	const ks_redis_endpoint *target, int64_t deadline, ks_redis_err *err)
{
	const ks_redis_params *p = &h->params;
	ks_redis_tls_options o;
	ks_redis_tls_conn *tc;
	char why[256];
	int fd;

	(void)target;   /* tls:// always connects to the host it names */

	o.ca_file = p->tls_ca;
	o.ca_dir = p->tls_capath;
	o.cert_file = p->tls_cert;
	o.key_file = p->tls_key;
	o.sni = p->tls_sni;
	o.verify = p->tls_verify;
	tc = calloc(1, sizeof(*tc));
	if (tc == NULL) {
		return ks_redis_err_set(err, KS_REDIS_ERR_OOM, "out of memory connecting to %s", err->peer);
	}
	ks_redis_tls_init(&tc->tls);
	t->impl = tc;
	tc->ctx = ks_redis_tls_ctx_acquire(&o, why, sizeof(why));
	if (tc->ctx == NULL) {
		free_impl(t);
		return ks_redis_err_set(err, KS_REDIS_ERR_CONFIG, "cannot connect to %s: %s", err->peer, why);
	}
	fd = ks_redis_tcp_connect_fd(h, NULL, deadline, err);
	if (fd < 0) {
		free_impl(t);
		return *err->st;
	}
	t->fd = fd;
	if (ks_redis_tls_connect(&tc->tls, tc->ctx, fd, h->host, ms_left(deadline)) != KS_REDIS_TLS_OK) {
		ks_redis_status st = tc->tls.err == KS_REDIS_TLS_ERR_CONFIG ? KS_REDIS_ERR_CONFIG : KS_REDIS_ERR_CONNECT;

		ks_redis_err_set(err, st, "cannot connect to %s: %s", err->peer, tc->tls.errstr);
		free_impl(t);
		return *err->st;
	}
	return KS_REDIS_OK;
}

/* Reports a failed read or write into err. */
static ks_redis_status io_error(ks_redis_err *err, const ks_redis_tls *tls)
{
	if (tls->err == KS_REDIS_TLS_ERR_TIMEOUT) {
		return ks_redis_err_set(err, KS_REDIS_ERR_TIMEOUT, "no reply from %s within the read timeout", err->peer);
	}
	if (tls->err == KS_REDIS_TLS_ERR_CLOSED) {
		return ks_redis_err_set(err, KS_REDIS_ERR_IO, "%s closed the connection", err->peer);
	}
	return ks_redis_err_set(err, KS_REDIS_ERR_IO, "%s: %s", err->peer, tls->errstr);
}

static ks_redis_status tls_write_all(ks_redis_transport *t, const char *buf, size_t len,
	int64_t deadline, ks_redis_err *err)
{
	ks_redis_tls_conn *tc = t->impl;

	if (ks_redis_tls_write(&tc->tls, buf, len, ms_left(deadline)) != KS_REDIS_TLS_OK) {
		if (tc->tls.err == KS_REDIS_TLS_ERR_TIMEOUT) {
			return ks_redis_err_set(err, KS_REDIS_ERR_TIMEOUT, "write to %s timed out", err->peer);
		}
		return io_error(err, &tc->tls);
	}
	return KS_REDIS_OK;
}

static ks_redis_status tls_read_some(ks_redis_transport *t, char *buf, size_t cap, size_t *nread,
	int64_t deadline, ks_redis_err *err)
{
	ks_redis_tls_conn *tc = t->impl;
	ssize_t n = ks_redis_tls_read(&tc->tls, buf, cap, ms_left(deadline));

	if (n < 0) {
		return io_error(err, &tc->tls);
	}
	*nread = (size_t)n;
	return KS_REDIS_OK;
}

static bool tls_is_stale(ks_redis_transport *t)
{
	ks_redis_tls_conn *tc = t->impl;

	return tc == NULL || ks_redis_tls_is_stale(&tc->tls);
}

static void tls_close(ks_redis_transport *t)
{
	free_impl(t);
}

const ks_redis_transport_ops ks_redis_tls_ops = {
	"tls", tls_connect, tls_write_all, tls_read_some, tls_is_stale, tls_close
};

#endif /* KEEPSAKE_TLS */
