/*
 * probe.c: a small client that drives src/redis's topology modules against
 * real servers, for tests/topology/run. It is test code, never part of the
 * extension (config.m4 compiles only src/).
 *
 *   probe tls HOST PORT [--ca F] [--ca-dir D] [--cert F] [--key F] [--sni N]
 *             [--no-verify] [--timeout MS]
 *       TCP connect, TLS handshake (src/redis/tls.c), then PING, SET, GET
 *       and DEL through hiredis's formatter and reader. Prints "ok" or
 *       "error <STATUS>: <message>".
 *   probe plain HOST PORT
 *       Sends a plain-text PING and says what came back: "pong", "tls"
 *       (bytes that look like TLS: src/redis/tls.c's sniffer), "closed".
 *   probe slots HOST PORT
 *       CLUSTER SLOTS through ks_redis_slot_map_parse; compares our slot of
 *       200 keys with CLUSTER KEYSLOT; sends each of 300 session keys to the
 *       master the map names (must not be redirected) and to another master
 *       (must get MOVED naming the map's master). Prints counts.
 *   probe sentinel NAME HOST:PORT[,HOST:PORT...]
 *       Asks each sentinel for the master (first answer wins), connects to
 *       it and checks ROLE. Prints "master HOST:PORT role ROLE".
 *   probe redirect HOST PORT KEY
 *       GET KEY on that node and reads the answer with the redirect parser:
 *       prints "moved SLOT HOST:PORT", or "ask SLOT HOST:PORT -> R" where R
 *       is what ASKING + GET KEY on the named node gave, or "value V" / "nil".
 *   probe write HOST PORT
 *       SET on that node; prints "ok", or "rediscover: <error>" when the
 *       error means "no longer a writable master", else "error: <error>".
 *
 * Exit status 0 when the probe got what it printed, 1 on an error.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <hiredis/hiredis.h>

#include "redis/cluster.h"
#include "redis/endpoint.h"
#include "redis/reply.h"
#include "redis/sentinel.h"
#include "redis/tls.h"

static int fail(const char *fmt, const char *a, const char *b)
{
	printf(fmt, a, b);
	putchar('\n');
	return 1;
}

/* Connects to host:port within timeout_ms; -1 with a message printed. */
static int dial(const char *host, int port, int timeout_ms)
{
	struct addrinfo hints, *res = NULL;
	struct pollfd p;
	char portstr[16];
	int fd, err = 0;
	socklen_t len = sizeof(err);

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	snprintf(portstr, sizeof(portstr), "%d", port);
	if (getaddrinfo(host, portstr, &hints, &res) != 0 || res == NULL) {
		printf("error resolve: %s\n", host);
		return -1;
	}
	fd = socket(res->ai_family, SOCK_STREAM, 0);
	if (fd < 0 || fcntl(fd, F_SETFL, O_NONBLOCK) < 0) {
		freeaddrinfo(res);
		printf("error socket: %s\n", strerror(errno));
		return -1;
	}
	if (connect(fd, res->ai_addr, res->ai_addrlen) < 0 && errno != EINPROGRESS) {
		err = errno;
	} else {
		p.fd = fd;
		p.events = POLLOUT;
		if (poll(&p, 1, timeout_ms) != 1) {
			err = ETIMEDOUT;
		} else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) {
			err = errno;
		}
	}
	freeaddrinfo(res);
	if (err != 0) {
		close(fd);
		printf("error connect: %s\n", strerror(err));
		return -1;
	}
	return fd;
}

static const char *status_name(ks_redis_tls_status st)
{
	switch (st) {
		case KS_REDIS_TLS_OK: return "OK";
		case KS_REDIS_TLS_ERR_CONFIG: return "CONFIG";
		case KS_REDIS_TLS_ERR_VERIFY: return "VERIFY";
		case KS_REDIS_TLS_ERR_NOT_TLS: return "NOT_TLS";
		case KS_REDIS_TLS_ERR_HANDSHAKE: return "HANDSHAKE";
		case KS_REDIS_TLS_ERR_TIMEOUT: return "TIMEOUT";
		case KS_REDIS_TLS_ERR_IO: return "IO";
		case KS_REDIS_TLS_ERR_CLOSED: return "CLOSED";
	}
	return "?";
}

/* One command over TLS: format, write, read until one reply parses. */
static redisReply *tls_command(ks_redis_tls *t, int argc, const char **argv, int timeout_ms)
{
	redisReader *reader;
	char *cmd = NULL, buf[4096];
	void *reply = NULL;
	int len = redisFormatCommandArgv(&cmd, argc, argv, NULL);

	if (len < 0) {
		return NULL;
	}
	if (ks_redis_tls_write(t, cmd, (size_t)len, timeout_ms) != KS_REDIS_TLS_OK) {
		free(cmd);
		return NULL;
	}
	free(cmd);
	reader = redisReaderCreate();
	while (reader != NULL && reply == NULL) {
		ssize_t n = ks_redis_tls_read(t, buf, sizeof(buf), timeout_ms);

		if (n < 0 || redisReaderFeed(reader, buf, (size_t)n) != REDIS_OK ||
			redisReaderGetReply(reader, &reply) != REDIS_OK) {
			break;
		}
	}
	redisReaderFree(reader);
	return reply;
}

static int expect_tls(ks_redis_tls *t, int argc, const char **argv, const char *want, int timeout_ms)
{
	redisReply *r = tls_command(t, argc, argv, timeout_ms);
	int ok = r && (r->type == REDIS_REPLY_STATUS || r->type == REDIS_REPLY_STRING ||
		r->type == REDIS_REPLY_INTEGER) && (r->type == REDIS_REPLY_INTEGER ? want[0] == ':' :
		strcmp(r->str, want) == 0);

	if (!ok) {
		if (t->err != KS_REDIS_TLS_OK) {
			printf("error %s: %s\n", status_name(t->err), t->errstr);
		} else {
			printf("error reply: %s to %s\n", r && r->str ? r->str : "(none)", argv[0]);
		}
	}
	freeReplyObject(r);
	return ok;
}

static int probe_tls(int argc, char **argv)
{
	ks_redis_tls_options o = {NULL, NULL, NULL, NULL, NULL, 1};
	ks_redis_tls_ctx *ctx;
	ks_redis_tls t;
	char err[256], value[64];
	int i, fd, timeout = 2000, ok;
	const char *ping[] = {"PING"};
	const char *set[] = {"SET", "ks:probe:tls", value};
	const char *get[] = {"GET", "ks:probe:tls"};
	const char *del[] = {"DEL", "ks:probe:tls"};

	for (i = 4; i < argc; i++) {
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(argv[i], "--no-verify")) { o.verify = 0; continue; }
		if (next == NULL) { return fail("error usage: %s needs a value%s", argv[i], ""); }
		if (!strcmp(argv[i], "--ca")) o.ca_file = next;
		else if (!strcmp(argv[i], "--ca-dir")) o.ca_dir = next;
		else if (!strcmp(argv[i], "--cert")) o.cert_file = next;
		else if (!strcmp(argv[i], "--key")) o.key_file = next;
		else if (!strcmp(argv[i], "--sni")) o.sni = next;
		else if (!strcmp(argv[i], "--timeout")) timeout = atoi(next);
		else return fail("error usage: unknown option %s%s", argv[i], "");
		i++;
	}
	ctx = ks_redis_tls_ctx_new(&o, err, sizeof(err));
	if (ctx == NULL) {
		return fail("error CONFIG: %s%s", err, "");
	}
	fd = dial(argv[2], atoi(argv[3]), timeout);
	if (fd < 0) {
		ks_redis_tls_ctx_free(ctx);
		return 1;
	}
	if (ks_redis_tls_connect(&t, ctx, fd, argv[2], timeout) != KS_REDIS_TLS_OK) {
		printf("error %s: %s\n", status_name(t.err), t.errstr);
		ks_redis_tls_close(&t);
		ks_redis_tls_ctx_free(ctx);
		return 1;
	}
	snprintf(value, sizeof(value), "v%d", (int)getpid());
	ok = expect_tls(&t, 1, ping, "PONG", timeout) && expect_tls(&t, 3, set, "OK", timeout) &&
		expect_tls(&t, 2, get, value, timeout) && expect_tls(&t, 2, del, ":", timeout);
	ks_redis_tls_close(&t);
	ks_redis_tls_ctx_free(ctx);
	if (ok) {
		puts("ok");
	}
	return ok ? 0 : 1;
}

static int probe_plain(int argc, char **argv)
{
	static const char ping[] = "*1\r\n$4\r\nPING\r\n";
	struct pollfd p;
	char buf[64];
	ssize_t n;
	int fd = dial(argv[2], atoi(argv[3]), 2000);

	if (fd < 0) {
		return 1;
	}
	if (send(fd, ping, sizeof(ping) - 1, MSG_NOSIGNAL) < 0) {
		close(fd);
		return fail("error send: %s%s", strerror(errno), "");
	}
	p.fd = fd;
	p.events = POLLIN;
	if (poll(&p, 1, 5000) != 1) {
		close(fd);
		return fail("error timeout: no answer in 5 s%s%s", "", "");
	}
	n = recv(fd, buf, sizeof(buf), 0);
	close(fd);
	if (n > 0 && ks_redis_tls_bytes_look_like_tls(buf, (size_t)n)) {
		puts("tls");
	} else if (n >= 5 && memcmp(buf, "+PONG", 5) == 0) {
		puts("pong");
	} else if (n <= 0) {
		puts("closed");
	} else {
		printf("other %.*s\n", (int)n, buf);
	}
	return 0;
}

/*
 * One command sent by hiredis's client, its reply read with our typed
 * reader (src/redis/reply.c), for the parsers that take ks_redis_reply.
 * NULL on an I/O or protocol error. The socket has redisSetTimeout's
 * timeout, so the read is bounded.
 */
static ks_redis_reply *typed_command(redisContext *c, int argc, const char **argv)
{
	ks_redis_reader *rd;
	ks_redis_reply *r = NULL;
	char buf[4096];
	int done = 0;

	if (redisAppendCommandArgv(c, argc, argv, NULL) != REDIS_OK) {
		return NULL;
	}
	while (!done) {
		if (redisBufferWrite(c, &done) != REDIS_OK) {
			return NULL;
		}
	}
	rd = ks_redis_reader_new();
	while (rd != NULL && r == NULL) {
		ssize_t n = read(c->fd, buf, sizeof(buf));

		if (n <= 0 || ks_redis_reader_feed(rd, buf, (size_t)n) != 0 || ks_redis_reader_get(rd, &r) != 0) {
			break;
		}
	}
	ks_redis_reader_free(rd);
	return r;
}

static redisContext *plain_connect(const char *host, int port)
{
	struct timeval tv = {2, 0};
	redisContext *c = redisConnectWithTimeout(host, port, tv);

	if (c == NULL || c->err) {
		printf("error connect %s:%d: %s\n", host, port, c ? c->errstr : "out of memory");
		redisFree(c);
		return NULL;
	}
	if (redisSetTimeout(c, tv) != REDIS_OK) {
		redisFree(c);
		return NULL;
	}
	return c;
}

/* GET key on addr; returns the reply (caller frees) or NULL. */
static redisReply *get_on(const ks_redis_endpoint *addr, const char *key)
{
	redisContext *c = plain_connect(addr->host, addr->port);
	const char *argv[] = {"GET", key};
	redisReply *r;

	if (c == NULL) {
		return NULL;
	}
	r = redisCommandArgv(c, 2, argv, NULL);
	redisFree(c);
	return r;
}

static int probe_slots(int argc, char **argv)
{
	ks_redis_slot_map map;
	ks_redis_endpoint asked;
	redisContext *c;
	redisReply *r;
	char err[256], key[64];
	int i, mismatched = 0, misrouted = 0, moved_ok = 0, moved_bad = 0;
	size_t m, per_master[64] = {0};

	if (ks_redis_endpoint_set(&asked, argv[2], strlen(argv[2]), atoll(argv[3]), err, sizeof(err)) != 0 ||
		(c = plain_connect(argv[2], atoi(argv[3]))) == NULL) {
		return 1;
	}
	{
		const char *cs[] = {"CLUSTER", "SLOTS"};
		ks_redis_reply *t = typed_command(c, 2, cs);
		int bad = t == NULL || ks_redis_slot_map_parse(&map, t, &asked, err, sizeof(err)) != 0;

		ks_redis_reply_free(t);
		if (bad) {
			redisFree(c);
			ks_redis_slot_map_free(&map);
			return fail("error %s%s", t ? err : "no reply to CLUSTER SLOTS", "");
		}
	}
	for (i = 0; i < 200; i++) {
		snprintf(key, sizeof(key), i % 2 ? "k%d{tag%d}x" : "key:%d:%d", i * 7919, i);
		r = redisCommand(c, "CLUSTER KEYSLOT %s", key);
		if (r == NULL || r->type != REDIS_REPLY_INTEGER ||
			(unsigned)r->integer != ks_redis_cluster_key_slot(key, strlen(key))) {
			mismatched++;
		}
		freeReplyObject(r);
	}
	redisFree(c);
	for (i = 0; i < 300; i++) {
		unsigned slot;
		const ks_redis_endpoint *owner, *other = NULL;
		ks_redis_redirect rd;

		snprintf(key, sizeof(key), "PHPREDIS_SESSION:{sid%08x%d}", (unsigned)(i * 2654435761u), i);
		slot = ks_redis_cluster_key_slot(key, strlen(key));
		owner = ks_redis_slot_map_master(&map, slot);
		if (owner == NULL) {
			misrouted++;
			continue;
		}
		for (m = 0; m < map.nnodes; m++) {
			if (map.owner[slot] == m) {
				per_master[m < 64 ? m : 63]++;
			} else if (other == NULL && map.nodes[m].is_master) {
				other = &map.nodes[m].addr;
			}
		}
		r = get_on(owner, key);
		if (r == NULL || r->type == REDIS_REPLY_ERROR) {
			misrouted++;
		}
		freeReplyObject(r);
		if (other == NULL) {
			continue;
		}
		r = get_on(other, key);
		if (r != NULL && r->type == REDIS_REPLY_ERROR &&
			ks_redis_cluster_parse_redirect(r->str, r->len, other, &rd, err, sizeof(err)) == 0 &&
			rd.kind == KS_REDIS_REDIRECT_MOVED && rd.slot == slot && ks_redis_endpoint_equal(&rd.addr, owner)) {
			moved_ok++;
		} else {
			moved_bad++;
		}
		freeReplyObject(r);
	}
	printf("masters %zu nodes %zu unowned %zu keyslot_mismatches %d misrouted %d moved_ok %d moved_bad %d spread",
		ks_redis_slot_map_masters(&map), map.nnodes, ks_redis_slot_map_unowned(&map), mismatched, misrouted,
		moved_ok, moved_bad);
	for (m = 0; m < map.nnodes && m < 64; m++) {
		if (map.nodes[m].is_master) {
			printf(" %zu", per_master[m]);
		}
	}
	putchar('\n');
	ks_redis_slot_map_free(&map);
	return 0;
}

static int probe_sentinel(int argc, char **argv)
{
	char *list = strdup(argv[3]), *save = NULL, *s, err[256];
	ks_redis_endpoint master, sentinel;
	int found = 0;

	for (s = strtok_r(list, ",", &save); s != NULL && !found; s = strtok_r(NULL, ",", &save)) {
		const char *ask[] = {"SENTINEL", "get-master-addr-by-name", argv[2]};
		redisContext *c;
		ks_redis_reply *r;

		if (ks_redis_endpoint_parse(s, strlen(s), 0, &sentinel, err, sizeof(err)) != 0 ||
			(c = plain_connect(sentinel.host, sentinel.port)) == NULL) {
			continue;
		}
		r = typed_command(c, 3, ask);
		found = r && ks_redis_sentinel_parse_master_addr(r, &master, err, sizeof(err)) == KS_REDIS_SENTINEL_FOUND;
		ks_redis_reply_free(r);
		redisFree(c);
	}
	free(list);
	if (!found) {
		return fail("error no sentinel knows master %s%s", argv[2], "");
	}
	{
		const char *cmd[] = {"ROLE"};
		redisContext *c = plain_connect(master.host, master.port);
		ks_redis_reply *r;
		ks_redis_role role;

		if (c == NULL) {
			return 1;
		}
		r = typed_command(c, 1, cmd);
		role = ks_redis_parse_role(r);
		ks_redis_reply_free(r);
		redisFree(c);
		printf("master %s:%d role %s\n", master.host, master.port, ks_redis_role_name(role));
	}
	return 0;
}

static int probe_write(int argc, char **argv)
{
	const char *set[] = {"SET", "ks:probe:write", "1"};
	redisContext *c = plain_connect(argv[2], atoi(argv[3]));
	ks_redis_reply *r;
	int rc = 0;

	if (c == NULL) {
		return 1;
	}
	r = typed_command(c, 3, set);
	if (r == NULL) {
		printf("error io: %s\n", c->errstr[0] ? c->errstr : "no reply");
		rc = 1;
	} else if (r->kind != KS_REDIS_REPLY_ERROR) {
		puts("ok");
	} else if (ks_redis_reply_needs_rediscovery(r)) {
		printf("rediscover: %s\n", r->str);
	} else {
		printf("error: %s\n", r->str);
		rc = 1;
	}
	ks_redis_reply_free(r);
	redisFree(c);
	return rc;
}

static int probe_redirect(int argc, char **argv)
{
	ks_redis_endpoint here;
	ks_redis_redirect rd;
	redisContext *c;
	redisReply *r;
	char err[256];
	int rc = 0;

	if (ks_redis_endpoint_set(&here, argv[2], strlen(argv[2]), atoll(argv[3]), err, sizeof(err)) != 0) {
		return fail("error %s%s", err, "");
	}
	r = get_on(&here, argv[4]);
	if (r == NULL) {
		return fail("error no reply from %s%s", argv[2], "");
	}
	if (r->type == REDIS_REPLY_STRING) {
		printf("value %s\n", r->str);
	} else if (r->type == REDIS_REPLY_NIL) {
		puts("nil");
	} else if (r->type != REDIS_REPLY_ERROR ||
		ks_redis_cluster_parse_redirect(r->str, r->len, &here, &rd, err, sizeof(err)) != 0 ||
		rd.kind == KS_REDIS_REDIRECT_NONE) {
		printf("error %s\n", r->type == REDIS_REPLY_ERROR ? r->str : err);
		rc = 1;
	} else if (rd.kind == KS_REDIS_REDIRECT_MOVED) {
		printf("moved %u %s:%d\n", rd.slot, rd.addr.host, rd.addr.port);
	} else {
		redisReply *a, *g;
		const char *asking[] = {"ASKING"};
		const char *get[] = {"GET", argv[4]};

		c = plain_connect(rd.addr.host, rd.addr.port);
		if (c == NULL) {
			freeReplyObject(r);
			return 1;
		}
		/* ASKING is good for the one command that follows, on this connection. */
		a = redisCommandArgv(c, 1, asking, NULL);
		g = a ? redisCommandArgv(c, 2, get, NULL) : NULL;
		printf("ask %u %s:%d -> %s\n", rd.slot, rd.addr.host, rd.addr.port,
			g == NULL ? "(no reply)" : g->type == REDIS_REPLY_STRING ? g->str :
			g->type == REDIS_REPLY_NIL ? "nil" : g->type == REDIS_REPLY_ERROR ? g->str : "?");
		freeReplyObject(a);
		freeReplyObject(g);
		redisFree(c);
	}
	freeReplyObject(r);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "tls")) return probe_tls(argc, argv);
	if (argc == 4 && !strcmp(argv[1], "plain")) return probe_plain(argc, argv);
	if (argc == 4 && !strcmp(argv[1], "slots")) return probe_slots(argc, argv);
	if (argc == 4 && !strcmp(argv[1], "sentinel")) return probe_sentinel(argc, argv);
	if (argc == 4 && !strcmp(argv[1], "write")) return probe_write(argc, argv);
	if (argc == 5 && !strcmp(argv[1], "redirect")) return probe_redirect(argc, argv);
	fprintf(stderr, "usage: see the comment at the top of tests/topology/probe.c\n");
	return 2;
}
