/*
 * conn.c: one connection to one Redis host (see conn.h for the
 * invariants). Commands arrive encoded (cmd.h) and replies are read with
 * reply.h's reader; the bytes move through the connection's transport, so
 * the same code serves tcp, unix and tls. What depends on a topology
 * (finding a sentinel's master, following a cluster redirection) runs in
 * the owner's hooks (conn.h), never here.
 *
 * A round trip is exactly: one write of every pipelined command, then reads
 * until every reply is parsed. Connecting (and the AUTH/SELECT handshake,
 * which is one more round trip) happens lazily inside the first exec.
 *
 * Retry essay: a persistent connection may have died while idle (server
 * restart, idle timeout, failover). Before writing on a reused socket we
 * poll it for readability without waiting: an idle Redis socket never has
 * anything to read, so a readable one is closed or broken, and we reconnect
 * before sending anything (free, no round trip). The poll is a system call,
 * and the idle time that makes it worth one is between units of work (a
 * request), so it runs once per unit: the owner calls
 * ks_redis_conn_recheck() when one starts, and the execs after the first
 * skip it (a socket that dies within the unit is met by the retry below, or
 * reported). A connection can still die
 * between that check and the write; then the command may or may not have
 * run. The caller decides: with KS_REDIS_RETRY_SAFE (the pipeline is
 * idempotent) we reconnect and send it once more, provided not one byte of
 * reply had arrived; otherwise the error is reported.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "redis/conn.h"
#include "redis/tcp.h"
#include "redis/tls_transport.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* For callers that pass none; never read. Per thread so that ZTS threads
 * counting into it do not race. */
static _Thread_local ks_redis_counters dummy_counters;

/* Adds n to the counter at byte offset `field` of c's counters and, with an
 * atomic add, of the shared set they mirror into (if any). */
static void count(ks_redis_conn *c, size_t field, uint64_t n)
{
	*(uint64_t *)((char *)c->counters + field) += n;
	if (c->counters->shared) {
		__atomic_add_fetch((uint64_t *)((char *)c->counters->shared + field), n, __ATOMIC_RELAXED);
	}
}

/* The sink through which c's transport reports into c's sticky error. */
static ks_redis_err sink(ks_redis_conn *c)
{
	ks_redis_err e = { &c->err, c->errstr, sizeof(c->errstr), c->host.desc };

	return e;
}

ks_redis_status ks_redis_conn_set_error(ks_redis_conn *c, ks_redis_status st, const char *fmt, ...)
{
	ks_redis_err e = sink(c);
	va_list ap;

	va_start(ap, fmt);
	st = ks_redis_err_vset(&e, st, fmt, ap);
	va_end(ap);
	return st;
}

ks_redis_conn *ks_redis_conn_new(const ks_redis_host *h, ks_redis_counters *counters)
{
	ks_redis_conn *c = calloc(1, sizeof(*c));
	if (!c) {
		return NULL;
	}
	c->tr.fd = -1;
	c->counters = counters ? counters : &dummy_counters;
	if (ks_redis_host_copy(&c->host, h) < 0) {
		goto fail;
	}
	return c;
fail:
	ks_redis_conn_free(c);
	return NULL;
}

static void drop_socket(ks_redis_conn *c)
{
	if (c->tr.ops) {
		c->tr.ops->close(&c->tr);
	} else if (c->tr.fd >= 0) {
		close(c->tr.fd);
	}
	c->tr.ops = NULL;
	c->tr.fd = -1;
	c->tr.impl = NULL;
	c->node[0] = '\0';
	c->checked = false;
	ks_redis_reader_free(c->reader);
	c->reader = NULL;
}

void ks_redis_conn_recheck(ks_redis_conn *c)
{
	if (c) {
		c->checked = false;
	}
}

void ks_redis_conn_disconnect(ks_redis_conn *c)
{
	if (c) {
		drop_socket(c);
	}
}

void ks_redis_conn_free(ks_redis_conn *c)
{
	if (!c) {
		return;
	}
	drop_socket(c);
	ks_redis_host_dtor(&c->host);
	free(c->obuf);
	free(c);
}

bool ks_redis_host_same(const ks_redis_host *x, const ks_redis_host *h)
{
	return x->scheme == h->scheme && x->port == h->port && !strcmp(x->host, h->host)
		&& ks_redis_params_same(&x->params, &h->params);
}

void ks_redis_conn_set_hooks(ks_redis_conn *c, const ks_redis_conn_hooks *hooks, void *ctx)
{
	c->hooks = hooks;
	c->hooks_ctx = ctx;
}

const char *ks_redis_conn_desc(const ks_redis_conn *c)
{
	return c->host.desc;
}

const char *ks_redis_conn_node(const ks_redis_conn *c)
{
	return c->node[0] ? c->node : c->host.desc;
}

bool ks_redis_conn_is_connected(const ks_redis_conn *c)
{
	return c->tr.fd >= 0;
}

bool ks_redis_conn_has_auth(const ks_redis_conn *c)
{
	return c->host.params.auth && *c->host.params.auth;
}

void ks_redis_conn_reset_error(ks_redis_conn *c)
{
	if (c->err != KS_REDIS_OK && c->hooks && c->hooks->on_failure) {
		c->hooks->on_failure(c->hooks_ctx, c);
	}
	if ((c->err != KS_REDIS_OK && c->err != KS_REDIS_ERR_REPLY) || c->drop_on_reset) {
		drop_socket(c);   /* replies may be half read, or the node was demoted */
	}
	c->drop_on_reset = false;
	c->err = KS_REDIS_OK;
	c->errstr[0] = '\0';
	c->olen = 0;
	c->pending = 0;
}

ks_redis_status ks_redis_reply_error(ks_redis_conn *c, const char *what, const ks_redis_reply *r)
{
	/* A demoted master answers READONLY (a replica cut off from its master,
	 * MASTERDOWN): the socket is worthless for writes, so it is dropped at
	 * reset and the next connect finds the current master (a connect hook
	 * asks again). Never reported as "busy". */
	if (ks_redis_reply_needs_rediscovery(r)) {
		c->drop_on_reset = true;
	}
	return ks_redis_conn_set_error(c, KS_REDIS_ERR_REPLY, "%s replied \"%.*s\"", what,
		(int)(r->len > 300 ? 300 : r->len), r->str ? r->str : "");
}

void ks_redis_conn_cap(ks_redis_conn *c, int64_t deadline)
{
	c->cap_deadline = deadline;
}

void ks_redis_conn_behind(ks_redis_conn *c, ks_redis_behind_fn fn, const void *ctx)
{
	c->behind = fn;
	c->behind_ctx = ctx;
}

/* How long the command sent behind a timed-out exec may take to go out. */
#define KS_REDIS_BEHIND_WRITE_MS 50

/* The exec timed out with its socket open: the command `fn` builds goes
 * out behind what timed out (ks_redis_conn_behind). Its failure is not
 * c's: the timeout is what the caller reports. */
static void send_behind(ks_redis_conn *c, ks_redis_behind_fn fn, const void *ctx)
{
	ks_redis_status st = KS_REDIS_OK;
	char msg[64], hdr[24];
	ks_redis_err discard = { &st, msg, sizeof(msg), c->host.desc };
	int64_t deadline = ks_redis_now_ms() + KS_REDIS_BEHIND_WRITE_MS;
	ks_redis_cmd cmd;
	size_t n;

	fn(ctx, &cmd);
	n = ks_redis_cmd_header(&cmd, hdr, sizeof(hdr));
	if (!cmd.oom && n > 0 && c->tr.ops->write_all(&c->tr, hdr, n, deadline, &discard) == KS_REDIS_OK) {
		(void)c->tr.ops->write_all(&c->tr, cmd.buf, cmd.len, deadline, &discard);
	}
	ks_redis_cmd_free(&cmd);
}

/* `deadline`, or the caller's cap when that comes first. */
static int64_t capped(const ks_redis_conn *c, int64_t deadline)
{
	return c->cap_deadline > 0 && c->cap_deadline < deadline ? c->cap_deadline : deadline;
}

static ks_redis_status buf_append(ks_redis_conn *c, const char *cmd, size_t len)
{
	if (c->olen + len > c->ocap) {
		size_t ncap = c->ocap ? c->ocap : 512;
		char *nb;
		while (ncap < c->olen + len) {
			ncap *= 2;
		}
		if (!(nb = realloc(c->obuf, ncap))) {
			return ks_redis_conn_set_error(c, KS_REDIS_ERR_OOM, "out of memory for a command to %s", c->host.desc);
		}
		c->obuf = nb;
		c->ocap = ncap;
	}
	memcpy(c->obuf + c->olen, cmd, len);
	c->olen += len;
	return KS_REDIS_OK;
}

ks_redis_status ks_redis_append_cmd(ks_redis_conn *c, const ks_redis_cmd *cmd)
{
	char hdr[24];
	size_t n;

	if (c->err) {
		return c->err;
	}
	n = ks_redis_cmd_header(cmd, hdr, sizeof(hdr));
	if (cmd->oom || n == 0) {
		return ks_redis_conn_set_error(c, KS_REDIS_ERR_OOM, "cannot encode a command for %s", c->host.desc);
	}
	if (buf_append(c, hdr, n) != KS_REDIS_OK || buf_append(c, cmd->buf, cmd->len) != KS_REDIS_OK) {
		return c->err;
	}
	c->pending++;
	return KS_REDIS_OK;
}

ks_redis_status ks_redis_append_raw(ks_redis_conn *c, const char *buf, size_t len, unsigned ncmds)
{
	if (c->err) {
		return c->err;
	}
	if (buf_append(c, buf, len) != KS_REDIS_OK) {
		return c->err;
	}
	c->pending += ncmds;
	return KS_REDIS_OK;
}

static void free_replies(ks_redis_reply **replies, unsigned n)
{
	unsigned i;
	for (i = 0; i < n; i++) {
		ks_redis_reply_free(replies[i]);
		replies[i] = NULL;
	}
}

static ks_redis_status bad_reply(ks_redis_conn *c)
{
	return ks_redis_conn_set_error(c, KS_REDIS_ERR_PROTOCOL, "bad reply from %s: %s", c->host.desc,
		ks_redis_reader_errstr(c->reader));
}

/*
 * Writes buf and reads n replies. *got_bytes tells whether any reply byte
 * arrived (a retry is only safe when none did).
 */
static ks_redis_status round_trip(ks_redis_conn *c, const char *buf, size_t len,
	ks_redis_reply **replies, unsigned n, int extra_wait_ms, bool *got_bytes)
{
	int64_t deadline = capped(c, ks_redis_now_ms() + c->host.params.read_timeout_ms);
	ks_redis_err err = sink(c);
	unsigned got = 0;
	char rbuf[16384];

	*got_bytes = false;
	c->sent_whole = false;
	c->used = true;
	count(c, offsetof(ks_redis_counters, round_trips), 1);
	count(c, offsetof(ks_redis_counters, commands), n);
	if (c->tr.ops->write_all(&c->tr, buf, len, deadline, &err) != KS_REDIS_OK) {
		return c->err;
	}
	c->sent_whole = true;
	deadline = capped(c, ks_redis_now_ms() + c->host.params.read_timeout_ms + (extra_wait_ms > 0 ? extra_wait_ms : 0));
	while (got < n) {
		ks_redis_reply *reply = NULL;
		size_t nread = 0;
		if (ks_redis_reader_get(c->reader, &reply) != 0) {
			free_replies(replies, got);
			return bad_reply(c);
		}
		if (reply) {
			replies[got++] = reply;
			continue;
		}
		if (c->tr.ops->read_some(&c->tr, rbuf, sizeof(rbuf), &nread, deadline, &err) != KS_REDIS_OK) {
			free_replies(replies, got);
			return c->err;
		}
		*got_bytes = true;
		if (ks_redis_reader_feed(c->reader, rbuf, nread) != 0) {
			free_replies(replies, got);
			return bad_reply(c);
		}
	}
	return KS_REDIS_OK;
}

/*
 * AUTH [user] pass and SELECT db, then `extra`, pipelined in one round trip
 * (none when there is nothing to send). A refused AUTH or SELECT is
 * KS_REDIS_ERR_AUTH, with Redis's text in c->refusal; extra's reply, of any
 * kind, goes to *extra_reply. The pipeline the caller appended waits aside
 * (the handshake may run inside its exec).
 */
static ks_redis_status handshake_pipeline(ks_redis_conn *c, const ks_redis_cmd *extra, ks_redis_reply **extra_reply)
{
	const ks_redis_params *p = &c->host.params;
	ks_redis_cmd cmd;
	ks_redis_reply *r[3] = { NULL, NULL, NULL };
	const char *names[3];
	unsigned n = 0, i;
	bool got;
	ks_redis_status st = KS_REDIS_OK;

	c->refusal[0] = '\0';
	if (p->auth && *p->auth) {
		ks_redis_cmd_init(&cmd, "AUTH");
		if (p->user && *p->user) {
			ks_redis_cmd_append_str(&cmd, p->user);
		}
		ks_redis_cmd_append_str(&cmd, p->auth);
		(void)ks_redis_append_cmd(c, &cmd);
		ks_redis_cmd_free(&cmd);
		names[n++] = "AUTH";
	}
	if (p->database > 0) {
		ks_redis_cmd_init(&cmd, "SELECT");
		ks_redis_cmd_append_long(&cmd, p->database);
		(void)ks_redis_append_cmd(c, &cmd);
		ks_redis_cmd_free(&cmd);
		names[n++] = "SELECT";
	}
	if (extra) {
		(void)ks_redis_append_cmd(c, extra);
		names[n++] = NULL;
	}
	if (c->err || n == 0) {
		goto done;   /* out of memory, or nothing to send */
	}
	if ((st = round_trip(c, c->obuf, c->olen, r, n, 0, &got)) != KS_REDIS_OK) {
		goto done;
	}
	for (i = 0; i < n && names[i]; i++) {
		if (r[i]->kind == KS_REDIS_REPLY_ERROR) {
			/* Redis's message never contains the password we sent. */
			snprintf(c->refusal, sizeof(c->refusal), "%.*s", (int)(r[i]->len > 150 ? 150 : r[i]->len), r[i]->str);
			st = ks_redis_conn_set_error(c, KS_REDIS_ERR_AUTH, "%s on %s failed: \"%.*s\"",
				names[i], c->host.desc, (int)(r[i]->len > 300 ? 300 : r[i]->len), r[i]->str);
			goto done;
		}
	}
	if (extra) {
		*extra_reply = r[n - 1];
		r[n - 1] = NULL;
	}
done:
	free_replies(r, n);
	c->olen = 0;
	c->pending = 0;
	return c->err;
}

/* handshake_pipeline, with the caller's pipeline set aside meanwhile. */
static ks_redis_status handshake(ks_redis_conn *c, const ks_redis_cmd *extra, ks_redis_reply **extra_reply)
{
	char *saved = c->obuf;
	size_t saved_len = c->olen, saved_cap = c->ocap;
	unsigned saved_pending = c->pending;
	ks_redis_status st;

	c->obuf = NULL;
	c->olen = c->ocap = 0;
	c->pending = 0;
	st = handshake_pipeline(c, extra, extra_reply);
	free(c->obuf);
	c->obuf = saved;
	c->olen = saved_len;
	c->ocap = saved_cap;
	c->pending = saved_pending;
	return st;
}

/* The transport for c's scheme, or NULL with the error sticky. */
static const ks_redis_transport_ops *transport_for(ks_redis_conn *c)
{
	switch (c->host.scheme) {
		case KS_REDIS_SCHEME_TCP: return &ks_redis_tcp_ops;
		case KS_REDIS_SCHEME_UNIX: return &ks_redis_unix_ops;
#ifdef KEEPSAKE_TLS
		case KS_REDIS_SCHEME_TLS: return &ks_redis_tls_ops;
#else
		case KS_REDIS_SCHEME_TLS:
			ks_redis_conn_set_error(c, KS_REDIS_ERR_CONFIG,
				"cannot connect to %s: keepsake was built without OpenSSL (tls:// needs libssl-dev at build time)", c->host.desc);
			return NULL;
#endif
		default:
			ks_redis_conn_set_error(c, KS_REDIS_ERR_CONFIG,
				"cannot connect to %s: this scheme is not supported by a plain connection", c->host.desc);
			return NULL;
	}
}

ks_redis_status ks_redis_conn_open(ks_redis_conn *c, const ks_redis_endpoint *addr, int64_t deadline,
	const ks_redis_cmd *extra, ks_redis_reply **extra_reply)
{
	const ks_redis_transport_ops *ops;
	ks_redis_err err = sink(c);

	if (extra_reply) {
		*extra_reply = NULL;
	}
	drop_socket(c);
	if (c->err || (ops = transport_for(c)) == NULL) {
		return c->err;
	}
	if (!(c->reader = ks_redis_reader_new())) {
		return ks_redis_conn_set_error(c, KS_REDIS_ERR_OOM, "out of memory connecting to %s", c->host.desc);
	}
	if (ops->connect(&c->tr, &c->host, addr, capped(c, deadline), &err) != KS_REDIS_OK) {
		drop_socket(c);
		return c->err;
	}
	c->tr.ops = ops;
	if (addr) {
		snprintf(c->node, sizeof(c->node), strchr(addr->host, ':') ? "%s://[%s]:%d" : "%s://%s:%d",
			ops->name, addr->host, addr->port);
	} else {
		snprintf(c->node, sizeof(c->node), "%s", c->host.desc);
	}
	c->owner_pid = ks_redis_self_pid();
	if (handshake(c, extra, extra_reply) != KS_REDIS_OK) {
		drop_socket(c);
		return c->err;
	}
	return KS_REDIS_OK;
}

/* Connects: through the owner's connect hook when there is one (it finds
 * the server), else to c->host. */
static ks_redis_status connect_now(ks_redis_conn *c)
{
	int64_t deadline = capped(c, ks_redis_now_ms() + c->host.params.connect_timeout_ms);
	bool was_used = c->used;   /* the handshake sets it */

	if (c->hooks && c->hooks->connect) {
		(void)c->hooks->connect(c->hooks_ctx, c, deadline);
	} else {
		(void)ks_redis_conn_open(c, NULL, deadline, NULL, NULL);
	}
	if (c->err != KS_REDIS_OK) {
		drop_socket(c);
		return c->err;
	}
	count(c, offsetof(ks_redis_counters, connects), 1);   /* counted once the server is accepted */
	if (was_used) {
		count(c, offsetof(ks_redis_counters, reconnects), 1);
	}
	return KS_REDIS_OK;
}

/*
 * The one error reply of a one-command exec goes to the owner's hook, which
 * may follow it elsewhere (replacing *reply) or ask for a resend. On an
 * error the reply is freed and the error is sticky on c.
 */
static void reply_hook(ks_redis_conn *c, ks_redis_reply **reply, ks_redis_exec_info *x)
{
	x->cmd = c->obuf;
	x->cmdlen = c->olen;
	x->resend = false;
	if (c->hooks->on_error_reply(c->hooks_ctx, c, x, reply) != KS_REDIS_OK || x->resend) {
		ks_redis_reply_free(*reply);
		*reply = NULL;
	}
}

ks_redis_status ks_redis_exec(ks_redis_conn *c, ks_redis_reply **replies, unsigned n,
	int extra_wait_ms, unsigned flags)
{
	bool retried = false, reused, got_bytes = false;
	ks_redis_status st;
	ks_redis_exec_info x;

	memset(replies, 0, n * sizeof(*replies));
	if (c->in_exec) {   /* a hook refuses this; never touch the running exchange */
		return ks_redis_conn_set_error(c, KS_REDIS_ERR_CONFIG, "internal error: %s re-entered", c->host.desc);
	}
	c->in_exec = true;
	x.started = ks_redis_now_ms();
	x.extra_wait_ms = extra_wait_ms;
	x.flags = flags;
	if (c->err) {
		goto out;
	}
	if (n != c->pending || n == 0) {
		ks_redis_conn_set_error(c, KS_REDIS_ERR_CONFIG, "internal error: %u replies expected for %u commands", n, c->pending);
		goto out;
	}
again:
	c->sent_whole = false;
	if (c->tr.fd >= 0 && c->owner_pid != ks_redis_self_pid()) {
		drop_socket(c);   /* inherited across fork(): the parent's stream */
	}
	if (c->tr.ops && !c->checked && c->tr.ops->is_stale(&c->tr)) {
		drop_socket(c);
	}
	reused = c->tr.ops != NULL;
	if (!reused && connect_now(c) != KS_REDIS_OK) {
		goto out;
	}
	c->checked = true;   /* polled, or just opened: once per unit of work is enough */
	st = round_trip(c, c->obuf, c->olen, replies, n, extra_wait_ms, &got_bytes);
	if (st != KS_REDIS_OK && reused && !retried && !got_bytes
		&& (flags & KS_REDIS_RETRY_SAFE) && (st == KS_REDIS_ERR_IO)) {
		retried = true;
		c->err = KS_REDIS_OK;
		drop_socket(c);
		goto again;
	}
	if (st == KS_REDIS_OK && n == 1 && replies[0]->kind == KS_REDIS_REPLY_ERROR
		&& c->hooks && c->hooks->on_error_reply) {
		reply_hook(c, &replies[0], &x);
		if (x.resend && c->err == KS_REDIS_OK) {
			goto again;
		}
	}
out:
	c->olen = 0;
	c->pending = 0;
	c->in_exec = false;
	if (c->err == KS_REDIS_ERR_TIMEOUT && c->behind && c->tr.ops && c->sent_whole) {
		send_behind(c, c->behind, c->behind_ctx);
	}
	if (c->err && c->err != KS_REDIS_ERR_REPLY) {
		drop_socket(c);
	}
	return c->err;
}
