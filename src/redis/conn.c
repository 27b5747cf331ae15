/*
 * conn.c: one connection to one Redis host (see conn.h for the
 * invariants). hiredis is used only as a RESP encoder
 * (redisFormatCommandArgv) and decoder (redisReader); the bytes move through
 * the connection's transport, so the same code serves tcp, unix and, later,
 * TLS.
 *
 * A round trip is exactly: one write of every pipelined command, then reads
 * until every reply is parsed. Connecting (and the AUTH/SELECT handshake,
 * which is one more round trip) happens lazily inside the first exec.
 *
 * Retry essay: a persistent connection may have died while idle (server
 * restart, idle timeout, failover). Before writing on a reused socket we
 * poll it for readability without waiting: an idle Redis socket never has
 * anything to read, so a readable one is closed or broken, and we reconnect
 * before sending anything (free, no round trip). A connection can still die
 * between that check and the write; then the command may or may not have
 * run. The caller decides: with KS_REDIS_RETRY_SAFE (the pipeline is
 * idempotent) we reconnect and send it once more, provided not one byte of
 * reply had arrived; otherwise the error is reported.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include "redis/conn.h"
#include "redis/sentinel.h"
#include "redis/cluster.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* For callers that pass none; never read. Per thread so that ZTS threads
 * counting into it do not race. */
static _Thread_local ks_redis_counters dummy_counters;

const char *ks_redis_status_name(ks_redis_status st)
{
	switch (st) {
		case KS_REDIS_OK: return "ok";
		case KS_REDIS_ERR_CONNECT: return "connect";
		case KS_REDIS_ERR_IO: return "io";
		case KS_REDIS_ERR_TIMEOUT: return "timeout";
		case KS_REDIS_ERR_PROTOCOL: return "protocol";
		case KS_REDIS_ERR_AUTH: return "auth";
		case KS_REDIS_ERR_REPLY: return "reply";
		case KS_REDIS_ERR_CONFIG: return "config";
		case KS_REDIS_ERR_OOM: return "oom";
		case KS_REDIS_STATUS_COUNT: break;
	}
	return "unknown";
}

ks_redis_status ks_redis_conn_set_error(ks_redis_conn *c, ks_redis_status st, const char *fmt, ...)
{
	va_list ap;
	if (c->err != KS_REDIS_OK) {
		return c->err;   /* the first cause is the one worth reporting */
	}
	c->err = st;
	va_start(ap, fmt);
	vsnprintf(c->errstr, sizeof(c->errstr), fmt, ap);
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
	c->host = *h;
	c->host.host = NULL;
	memset(&c->host.params, 0, sizeof(c->host.params));
	if (!(c->host.host = strdup(h->host)) || ks_redis_params_copy(&c->host.params, &h->params) < 0) {
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
	if (c->reader) {
		redisReaderFree(c->reader);
		c->reader = NULL;
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
	free(c->host.host);
	ks_redis_params_dtor(&c->host.params);
	free(c->obuf);
	free(c);
}

static bool str_eq(const char *a, const char *b)
{
	if (!a || !*a) {
		return !b || !*b;
	}
	return b && !strcmp(a, b);
}

bool ks_redis_host_same(const ks_redis_host *x, const ks_redis_host *h)
{
	const ks_redis_params *a = &x->params, *b = &h->params;
	return x->scheme == h->scheme && x->port == h->port && !strcmp(x->host, h->host)
		&& str_eq(a->auth, b->auth) && str_eq(a->user, b->user) && a->database == b->database
		&& a->connect_timeout_ms == b->connect_timeout_ms && a->read_timeout_ms == b->read_timeout_ms
		&& str_eq(a->tls_ca, b->tls_ca) && str_eq(a->tls_capath, b->tls_capath)
		&& str_eq(a->tls_cert, b->tls_cert) && str_eq(a->tls_key, b->tls_key)
		&& str_eq(a->tls_sni, b->tls_sni) && a->tls_verify == b->tls_verify
		&& (a->given & KS_REDIS_P_TLS) == (b->given & KS_REDIS_P_TLS)   /* cluster://: TLS or not */
		&& str_eq(a->master, b->master) && str_eq(a->sentinels, b->sentinels)
		&& str_eq(a->sentinel_auth, b->sentinel_auth) && str_eq(a->sentinel_user, b->sentinel_user);
}

bool ks_redis_conn_matches(const ks_redis_conn *c, const ks_redis_host *h)
{
	return ks_redis_host_same(&c->host, h);
}

void ks_redis_conn_reset_error(ks_redis_conn *c)
{
	/* In a cluster, a node that did not answer or said the cluster is down
	 * may have lost its slots: let the pool reload the map. */
	if (c->redirector && c->err != KS_REDIS_OK
		&& (c->err != KS_REDIS_ERR_REPLY || c->drop_on_reset || strstr(c->errstr, "CLUSTERDOWN"))) {
		c->redirector->failed(c->redirector->ctx);
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

ks_redis_status ks_redis_reply_error(ks_redis_conn *c, const char *what, const redisReply *r)
{
	/* A demoted master answers READONLY (a replica cut off from its master,
	 * MASTERDOWN): the socket is worthless for writes, so it is dropped at
	 * reset and the next connect finds the current master (sentinel://
	 * asks the sentinels again). Never a "busy" session. */
	if (r->str && ks_redis_error_needs_rediscovery(r->str, r->len)) {
		c->drop_on_reset = true;
	}
	return ks_redis_conn_set_error(c, KS_REDIS_ERR_REPLY, "%s replied \"%.*s\"", what,
		(int)(r->len > 300 ? 300 : r->len), r->str ? r->str : "");
}

void ks_redis_conn_cap(ks_redis_conn *c, int64_t deadline)
{
	c->cap_deadline = deadline;
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

ks_redis_status ks_redis_append(ks_redis_conn *c, int argc, const char **argv, const size_t *argvlen)
{
	char *cmd = NULL;
	int len;
	ks_redis_status st;

	if (c->err) {
		return c->err;
	}
	len = redisFormatCommandArgv(&cmd, argc, argv, argvlen);
	if (len < 0 || !cmd) {
		return ks_redis_conn_set_error(c, KS_REDIS_ERR_OOM, "cannot encode a command for %s", c->host.desc);
	}
	st = buf_append(c, cmd, (size_t)len);
	redisFreeCommand(cmd);
	if (st == KS_REDIS_OK) {
		c->pending++;
	}
	return st;
}

static void free_replies(redisReply **replies, unsigned n)
{
	unsigned i;
	for (i = 0; i < n; i++) {
		freeReplyObject(replies[i]);
		replies[i] = NULL;
	}
}

/*
 * Writes buf and reads n replies. *got_bytes tells whether any reply byte
 * arrived (a retry is only safe when none did).
 */
static ks_redis_status round_trip(ks_redis_conn *c, const char *buf, size_t len,
	redisReply **replies, unsigned n, int extra_wait_ms, bool *got_bytes)
{
	int64_t deadline = capped(c, ks_redis_now_ms() + c->host.params.read_timeout_ms);
	unsigned got = 0;
	char rbuf[16384];

	*got_bytes = false;
	c->used = true;
	c->counters->round_trips++;
	c->counters->commands += n;
	if (c->tr.ops->write_all(c, &c->tr, buf, len, deadline) != KS_REDIS_OK) {
		return c->err;
	}
	deadline = capped(c, ks_redis_now_ms() + c->host.params.read_timeout_ms + (extra_wait_ms > 0 ? extra_wait_ms : 0));
	while (got < n) {
		void *reply = NULL;
		size_t nread = 0;
		if (redisReaderGetReply(c->reader, &reply) != REDIS_OK) {
			free_replies(replies, got);
			return ks_redis_conn_set_error(c, KS_REDIS_ERR_PROTOCOL, "bad reply from %s: %s", c->host.desc, c->reader->errstr);
		}
		if (reply) {
			replies[got++] = reply;
			continue;
		}
		if (c->tr.ops->read_some(c, &c->tr, rbuf, sizeof(rbuf), &nread, deadline) != KS_REDIS_OK) {
			free_replies(replies, got);
			return c->err;
		}
		*got_bytes = true;
		if (redisReaderFeed(c->reader, rbuf, nread) != REDIS_OK) {
			free_replies(replies, got);
			return ks_redis_conn_set_error(c, KS_REDIS_ERR_PROTOCOL, "bad reply from %s: %s", c->host.desc, c->reader->errstr);
		}
	}
	return KS_REDIS_OK;
}

int ks_redis_format_auth(char **out, const char *user, const char *pass)
{
	const char *argv[3];
	size_t argvlen[3];
	int argc = 0;

	argv[argc] = "AUTH"; argvlen[argc++] = 4;
	if (user && *user) {
		argv[argc] = user; argvlen[argc++] = strlen(user);
	}
	argv[argc] = pass; argvlen[argc++] = strlen(pass);
	return redisFormatCommandArgv(out, argc, argv, argvlen);
}

/* AUTH [user] pass and SELECT db, pipelined in one round trip. */
static ks_redis_status handshake(ks_redis_conn *c)
{
	const ks_redis_params *p = &c->host.params;
	char *cmds[2] = { NULL, NULL }, *buf = NULL, dbs[24];
	int lens[2] = { 0, 0 };
	unsigned n = 0, i;
	redisReply *r[2] = { NULL, NULL };
	bool got;
	ks_redis_status st = KS_REDIS_OK;

	if (p->auth && *p->auth) {
		lens[n] = ks_redis_format_auth(&cmds[n], p->user, p->auth);
		n++;
	}
	if (p->database > 0) {
		const char *argv[2] = { "SELECT", dbs };
		size_t argvlen[2] = { 6, 0 };
		argvlen[1] = (size_t)snprintf(dbs, sizeof(dbs), "%ld", p->database);
		lens[n] = redisFormatCommandArgv(&cmds[n], 2, argv, argvlen);
		n++;
	}
	if (n == 0) {
		return KS_REDIS_OK;
	}
	for (i = 0; i < n; i++) {
		if (lens[i] < 0 || !cmds[i]) {
			st = ks_redis_conn_set_error(c, KS_REDIS_ERR_OOM, "cannot encode the handshake for %s", c->host.desc);
			goto done;
		}
	}
	if (!(buf = malloc((size_t)lens[0] + (size_t)lens[1]))) {
		st = ks_redis_conn_set_error(c, KS_REDIS_ERR_OOM, "out of memory connecting to %s", c->host.desc);
		goto done;
	}
	memcpy(buf, cmds[0], (size_t)lens[0]);
	if (n == 2) {
		memcpy(buf + lens[0], cmds[1], (size_t)lens[1]);
	}
	if ((st = round_trip(c, buf, (size_t)lens[0] + (size_t)lens[1], r, n, 0, &got)) != KS_REDIS_OK) {
		goto done;
	}
	for (i = 0; i < n; i++) {
		if (r[i]->type == REDIS_REPLY_ERROR) {
			/* Redis's message never contains the password we sent. */
			bool is_auth = (i == 0 && p->auth && *p->auth);
			st = ks_redis_conn_set_error(c, KS_REDIS_ERR_AUTH, "%s on %s failed: \"%.*s\"",
				is_auth ? "AUTH" : "SELECT", c->host.desc, (int)(r[i]->len > 300 ? 300 : r[i]->len), r[i]->str);
			goto done;
		}
	}
done:
	free_replies(r, n);
	free(buf);
	for (i = 0; i < 2; i++) {
		if (cmds[i]) {
			redisFreeCommand(cmds[i]);
		}
	}
	return st;
}

static ks_redis_status connect_now(ks_redis_conn *c)
{
	const ks_redis_transport_ops *ops;
	switch (c->host.scheme) {
		case KS_REDIS_SCHEME_TCP: ops = &ks_redis_tcp_ops; break;
		case KS_REDIS_SCHEME_UNIX: ops = &ks_redis_unix_ops; break;
		case KS_REDIS_SCHEME_SENTINEL: ops = &ks_redis_sentinel_ops; break;
#ifdef KEEPSAKE_TLS
		case KS_REDIS_SCHEME_TLS: ops = &ks_redis_tls_ops; break;
#else
		case KS_REDIS_SCHEME_TLS:
			return ks_redis_conn_set_error(c, KS_REDIS_ERR_CONFIG,
				"cannot connect to %s: keepsake was built without OpenSSL (tls:// needs libssl-dev at build time)", c->host.desc);
#endif
		default:
			return ks_redis_conn_set_error(c, KS_REDIS_ERR_CONFIG,
				"cannot connect to %s: this scheme is not supported yet", c->host.desc);
	}
	if (!(c->reader = redisReaderCreate())) {
		return ks_redis_conn_set_error(c, KS_REDIS_ERR_OOM, "out of memory connecting to %s", c->host.desc);
	}
	if (ops->connect(c, &c->tr, capped(c, ks_redis_now_ms() + c->host.params.connect_timeout_ms)) != KS_REDIS_OK) {
		drop_socket(c);
		return c->err;
	}
	c->tr.ops = ops;
	if (c->node[0] == '\0') {   /* a transport that discovers its server names it itself */
		snprintf(c->node, sizeof(c->node), "%s", c->host.desc);
	}
	c->owner_pid = getpid();
	c->counters->connects++;
	if (c->used) {
		c->counters->reconnects++;
	}
	if (handshake(c) != KS_REDIS_OK) {
		drop_socket(c);
		return c->err;
	}
	return KS_REDIS_OK;
}

#define KS_REDIS_MAX_REDIRECTS 5
#define KS_REDIS_TRYAGAIN_MS 20

static ks_redis_status exec_generic(ks_redis_conn *c, redisReply **replies, unsigned n,
	int extra_wait_ms, unsigned flags, int depth);

/*
 * Follows a MOVED/ASK answer to the single command in c->obuf (see
 * ks_redis_redirector). On success *reply is replaced by the final reply.
 * Redirections are bounded (a cluster being resharded can bounce a command
 * a few times, never forever).
 *
 * Re-entry essay: following a redirection runs an exec on the target while
 * the exec on c (and on every node before it in the chain) has not returned.
 * When nodes disagree about a slot (MOVED A -> B -> A during a resharding),
 * the target can be one of those: its obuf still holds the command it sent,
 * so appending to it would send the command twice and leave an extra reply
 * unread on the socket, to be taken as the answer to a later command (a
 * BLPOP that steals a wake token). So a target whose exec is in progress is
 * refused: the command has been sent exactly once to each node in the
 * chain, and the request fails with the loop named. The next request finds
 * the map that the MOVED answers left behind.
 */
static ks_redis_status follow_redirect(ks_redis_conn *c, redisReply **reply, int extra_wait_ms,
	unsigned flags, int depth)
{
	static const char asking[] = "*1\r\n$6\r\nASKING\r\n";
	const ks_redis_redirector *rd = c->redirector;
	ks_redis_endpoint here, there;
	ks_redis_redirect r;
	ks_redis_conn *t;
	redisReply *got[2] = { NULL, NULL };
	char err[200];
	unsigned n;

	if (ks_redis_endpoint_set(&here, c->host.host, strlen(c->host.host), c->host.port, err, sizeof(err)) != 0
		|| ks_redis_cluster_parse_redirect((*reply)->str, (*reply)->len, &here, &r, err, sizeof(err)) != 0
		|| r.kind == KS_REDIS_REDIRECT_NONE) {
		return KS_REDIS_OK;   /* not a (usable) redirection: the caller sees the error reply */
	}
	if (depth >= KS_REDIS_MAX_REDIRECTS) {
		return ks_redis_conn_set_error(c, KS_REDIS_ERR_REPLY, "%s: more than %d cluster redirections (slot %u)",
			c->host.desc, KS_REDIS_MAX_REDIRECTS, r.slot);
	}
	there = r.addr;
	if (r.kind == KS_REDIS_REDIRECT_MOVED) {
		rd->moved(rd->ctx, r.slot, &there);
	}
	t = rd->conn_for(rd->ctx, &there);
	if (t == NULL) {
		return ks_redis_conn_set_error(c, KS_REDIS_ERR_OOM, "out of memory following a redirection");
	}
	if (t->in_exec) {   /* t == c too */
		return ks_redis_conn_set_error(c, KS_REDIS_ERR_REPLY,
			"cluster redirection loop: %s answered %s %u to %s, which is waiting for this same command",
			c->host.desc, r.kind == KS_REDIS_REDIRECT_ASK ? "ASK" : "MOVED", r.slot, t->host.desc);
	}
	if (t->err != KS_REDIS_OK) {
		ks_redis_conn_reset_error(t);
	}
	/* ASKING is good for the one command that follows on that connection. */
	if ((r.kind == KS_REDIS_REDIRECT_ASK && buf_append(t, asking, sizeof(asking) - 1) != KS_REDIS_OK)
		|| buf_append(t, c->obuf, c->olen) != KS_REDIS_OK) {
		t->olen = 0;
		ks_redis_conn_set_error(c, KS_REDIS_ERR_OOM, "%s", t->errstr);
		ks_redis_conn_reset_error(t);
		return c->err;
	}
	n = r.kind == KS_REDIS_REDIRECT_ASK ? 2 : 1;
	t->pending = n;
	if (exec_generic(t, got, n, extra_wait_ms, flags, depth + 1) != KS_REDIS_OK) {
		/* Reported once, on the connection the caller holds. */
		ks_redis_conn_set_error(c, t->err, "%s (redirected from %s)", t->errstr, c->host.desc);
		ks_redis_conn_reset_error(t);
		return c->err;
	}
	freeReplyObject(*reply);
	if (n == 2) {
		freeReplyObject(got[0]);
	}
	*reply = got[n - 1];
	return KS_REDIS_OK;
}

ks_redis_status ks_redis_exec(ks_redis_conn *c, redisReply **replies, unsigned n,
	int extra_wait_ms, unsigned flags)
{
	return exec_generic(c, replies, n, extra_wait_ms, flags, 0);
}

static ks_redis_status exec_generic(ks_redis_conn *c, redisReply **replies, unsigned n,
	int extra_wait_ms, unsigned flags, int depth)
{
	bool retried = false, reused, got_bytes = false;
	ks_redis_status st;
	int64_t tryagain_until = ks_redis_now_ms() + c->host.params.read_timeout_ms;

	memset(replies, 0, n * sizeof(*replies));
	if (c->in_exec) {   /* follow_redirect refuses this; never touch the running exchange */
		return ks_redis_conn_set_error(c, KS_REDIS_ERR_CONFIG, "internal error: %s re-entered", c->host.desc);
	}
	c->in_exec = true;
	if (c->err) {
		goto out;
	}
	if (n != c->pending || n == 0) {
		ks_redis_conn_set_error(c, KS_REDIS_ERR_CONFIG, "internal error: %u replies expected for %u commands", n, c->pending);
		goto out;
	}
again:
	if (c->tr.fd >= 0 && c->owner_pid != getpid()) {
		drop_socket(c);   /* inherited across fork(): the parent's stream */
	}
	if (c->tr.ops && c->tr.ops->is_stale(&c->tr)) {
		drop_socket(c);
	}
	reused = c->tr.ops != NULL;
	if (!reused && connect_now(c) != KS_REDIS_OK) {
		goto out;
	}
	st = round_trip(c, c->obuf, c->olen, replies, n, extra_wait_ms, &got_bytes);
	if (st != KS_REDIS_OK && reused && !retried && !got_bytes
		&& (flags & KS_REDIS_RETRY_SAFE) && (st == KS_REDIS_ERR_IO)) {
		retried = true;
		c->err = KS_REDIS_OK;
		drop_socket(c);
		goto again;
	}
	if (st == KS_REDIS_OK && n == 1 && c->redirector && replies[0]->type == REDIS_REPLY_ERROR
		&& follow_redirect(c, &replies[0], extra_wait_ms, flags, depth) != KS_REDIS_OK) {
		freeReplyObject(replies[0]);
		replies[0] = NULL;
	}
	/* TRYAGAIN: the slot is being migrated and this multi-key command (the
	 * lock scripts: data + lock keys) found only some keys on either side.
	 * Nothing ran; the migration of one session's keys takes milliseconds,
	 * so wait a little and send it again, within the read timeout. */
	if (st == KS_REDIS_OK && depth == 0 && n == 1 && c->redirector && replies[0]
		&& replies[0]->type == REDIS_REPLY_ERROR && replies[0]->len >= 8 && !strncmp(replies[0]->str, "TRYAGAIN", 8)
		&& ks_redis_now_ms() + KS_REDIS_TRYAGAIN_MS < tryagain_until) {
		freeReplyObject(replies[0]);
		replies[0] = NULL;
		usleep(KS_REDIS_TRYAGAIN_MS * 1000);
		goto again;
	}
out:
	c->olen = 0;
	c->pending = 0;
	c->in_exec = false;
	if (c->err && c->err != KS_REDIS_ERR_REPLY) {
		drop_socket(c);
	}
	return c->err;
}
