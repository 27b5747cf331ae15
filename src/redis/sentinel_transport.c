/*
 * sentinel_transport.c: sentinel:// as a ks_redis transport. Connecting
 * means: ask the sentinels for the master, connect to it over TCP, and check
 * that it really is a master; after that the bytes move exactly as over
 * tcp:// (tcp.c's functions do the I/O).
 *
 * Because discovery happens on every (re)connect, a failover needs nothing
 * special: the old master's socket dies (or answers READONLY, which makes
 * conn.c drop it), the next command reconnects, and the sentinels name the
 * promoted replica. A persistent connection pays for discovery once.
 *
 * The connection's host is the first sentinel; params.master names the
 * master and params.sentinels lists every sentinel as "host:port,..." (the
 * pool fills it in). Sentinels are asked in that order, except that the one
 * whose master worked last time (c->sentinel_first) is asked first: a
 * sentinel that is down or unreachable costs a reconnect nothing once
 * another has answered. When the master a sentinel names cannot be reached
 * or is not a master, that sentinel loses the preference and the next one
 * is asked in the same connect. Each gets an equal share of what is left of the
 * connect timeout, so a sentinel that does not answer cannot eat the whole
 * budget. Replies are read with sentinel.c's
 * parsers. A sentinel with a password gets sentinel_auth= (and
 * sentinel_user=) in the same round trip as the question; the master's
 * auth= is sent to the master only.
 */
#include "redis/conn.h"
#include "redis/endpoint.h"
#include "redis/sentinel.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define KS_SENTINEL_MAX 16
#define KS_SENTINEL_MIN_SHARE_MS 50

/*
 * Sends cmd[0..len) on fd and reads n replies into out[0..n), by deadline.
 * Returns 0, or -1 with a reason in err (out freed).
 */
static int exchange(int fd, const char *cmd, size_t len, redisReply **out, unsigned n,
	int64_t deadline, char *err, size_t errlen)
{
	redisReader *reader = redisReaderCreate();
	unsigned got = 0, i;
	char buf[4096];

	if (reader == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	while (len > 0) {
		ssize_t w = send(fd, cmd, len, MSG_NOSIGNAL);
		if (w > 0) {
			cmd += w;
			len -= (size_t)w;
		} else if (w < 0 && (errno == EAGAIN || errno == EINTR) && ks_redis_poll_fd(fd, POLLOUT, deadline) > 0) {
			continue;
		} else {
			snprintf(err, errlen, "write failed: %s", w < 0 ? strerror(errno) : "timed out");
			goto fail;
		}
	}
	while (got < n) {
		void *reply = NULL;
		ssize_t r;

		if (redisReaderGetReply(reader, &reply) != REDIS_OK) {
			snprintf(err, errlen, "bad reply: %s", reader->errstr);
			goto fail;
		}
		if (reply != NULL) {
			out[got++] = reply;
			continue;
		}
		r = recv(fd, buf, sizeof(buf), 0);
		if (r > 0) {
			if (redisReaderFeed(reader, buf, (size_t)r) != REDIS_OK) {
				snprintf(err, errlen, "bad reply: %s", reader->errstr);
				goto fail;
			}
		} else if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
			int rc = ks_redis_poll_fd(fd, POLLIN, deadline);
			if (rc <= 0) {
				snprintf(err, errlen, rc == 0 ? "no reply in time" : "poll failed: %s", strerror(errno));
				goto fail;
			}
		} else {
			snprintf(err, errlen, r == 0 ? "closed the connection" : "read failed: %s", strerror(errno));
			goto fail;
		}
	}
	redisReaderFree(reader);
	return 0;
fail:
	for (i = 0; i < got; i++) {
		freeReplyObject(out[i]);
		out[i] = NULL;
	}
	redisReaderFree(reader);
	return -1;
}

/* Appends "; <what>" to the summary of failed attempts (bounded). */
static void note(char *sum, size_t sumlen, const char *what)
{
	size_t used = strlen(sum), n = strlen(what), sep = used ? 2 : 0;

	if (used + sep + n + 1 > sumlen) {
		return;   /* the first causes are the useful ones */
	}
	memcpy(sum + used, "; ", sep);
	memcpy(sum + used + sep, what, n + 1);
}

/*
 * The request to one sentinel: AUTH [user] pw when sentinel_auth is set,
 * then SENTINEL get-master-addr-by-name, pipelined in one malloc'd buffer.
 * Returns its length (and *ncmds, 1 or 2), or -1 when out of memory.
 */
static long sentinel_request(const ks_redis_params *p, char **out, unsigned *ncmds)
{
	const char *argv[3];
	size_t argvlen[3];
	char *auth = NULL, *ask = NULL;
	int alen = 0, qlen;

	*out = NULL;
	*ncmds = 1;
	if (p->sentinel_auth && *p->sentinel_auth) {
		if ((alen = ks_redis_format_auth(&auth, p->sentinel_user, p->sentinel_auth)) < 0) {
			return -1;
		}
		*ncmds = 2;
	}
	argv[0] = "SENTINEL"; argvlen[0] = 8;
	argv[1] = "get-master-addr-by-name"; argvlen[1] = 23;
	argv[2] = p->master; argvlen[2] = strlen(p->master);
	qlen = redisFormatCommandArgv(&ask, 3, argv, argvlen);
	if (qlen >= 0 && (*out = malloc((size_t)alen + (size_t)qlen)) != NULL) {
		if (alen > 0) {
			memcpy(*out, auth, (size_t)alen);
		}
		memcpy(*out + alen, ask, (size_t)qlen);
	}
	if (auth) {
		redisFreeCommand(auth);
	}
	if (ask) {
		redisFreeCommand(ask);
	}
	return *out ? (long)alen + qlen : -1;
}

/* Why the sentinel's answer r[0..n) names no master: 0 when it does. The
 * AUTH reply (n == 2) comes first; its error text never holds the password. */
static int read_answer(redisReply **r, unsigned n, ks_redis_endpoint *master, char *err, size_t errlen)
{
	if (n == 2 && r[0]->type == REDIS_REPLY_ERROR) {
		snprintf(err, errlen, "refused sentinel_auth: %.*s", (int)(r[0]->len > 150 ? 150 : r[0]->len), r[0]->str);
		return -1;
	}
	switch (ks_redis_sentinel_parse_master_addr(r[n - 1], master, err, errlen)) {
		case KS_REDIS_SENTINEL_FOUND:
			return 0;
		case KS_REDIS_SENTINEL_UNKNOWN:
			snprintf(err, errlen, "does not monitor that master");
			return -1;
		case KS_REDIS_SENTINEL_ERROR:
			break;
	}
	if (n == 1 && strncmp(err, "NOAUTH", 6) == 0) {
		size_t used = strlen(err);
		snprintf(err + used, errlen - used, " (set sentinel_auth=)");
	}
	return -1;
}

/* Asks one sentinel; 1 found (master filled), 0 not (reason noted). */
static int ask_sentinel(ks_redis_conn *c, const ks_redis_endpoint *s, int64_t deadline,
	ks_redis_endpoint *master, char *sum, size_t sumlen)
{
	char *cmd = NULL, err[200], what[400];
	redisReply *r[2] = { NULL, NULL };
	unsigned n = 1;
	long len;
	int fd, found = 0;

	fd = ks_redis_tcp_connect_fd(c, s->host, s->port, deadline);
	if (fd < 0) {
		/* tcp.c made the failure sticky ("cannot connect to <desc>: <cause>");
		 * here it is one attempt of several: keep the cause, clear the error. */
		const char *cause = strrchr(c->errstr, ':');
		snprintf(what, sizeof(what), "%.100s:%d:%.200s", s->host, s->port, cause ? cause + 1 : " cannot connect");
		c->err = KS_REDIS_OK;
		c->errstr[0] = '\0';
		note(sum, sumlen, what);
		return 0;
	}
	len = sentinel_request(&c->host.params, &cmd, &n);
	if (len < 0) {
		snprintf(err, sizeof(err), "out of memory");
	} else if (exchange(fd, cmd, (size_t)len, r, n, deadline, err, sizeof(err)) == 0) {
		found = read_answer(r, n, master, err, sizeof(err)) == 0;
	}
	if (!found) {
		snprintf(what, sizeof(what), "%.100s:%d: %.200s", s->host, s->port, err);
		note(sum, sumlen, what);
	}
	freeReplyObject(r[0]);
	freeReplyObject(r[1]);
	free(cmd);
	close(fd);
	return found;
}

/*
 * AUTH (when configured) and ROLE on the master's socket: 0 when it is a
 * master, -2 when the master refused our credentials (a refused AUTH, or
 * NOAUTH because none were given), -1 for anything else; err says why.
 */
static int check_role(ks_redis_conn *c, int fd, const ks_redis_endpoint *m, int64_t deadline,
	char *err, size_t errlen)
{
	const ks_redis_params *p = &c->host.params;
	const char *argv[3];
	size_t argvlen[3];
	char *cmds[2] = { NULL, NULL }, *buf = NULL, why[200];
	int lens[2] = { 0, 0 }, rc = -1;
	unsigned n = 0, i;
	redisReply *r[2] = { NULL, NULL };
	ks_redis_role role;

	if (p->auth && *p->auth) {
		lens[n] = ks_redis_format_auth(&cmds[n], p->user, p->auth);
		n++;
	}
	argv[0] = "ROLE";
	argvlen[0] = 4;
	lens[n] = redisFormatCommandArgv(&cmds[n], 1, argv, argvlen);
	n++;
	for (i = 0; i < n; i++) {
		if (lens[i] < 0) {
			snprintf(err, errlen, "out of memory");
			goto done;
		}
	}
	if ((buf = malloc((size_t)lens[0] + (size_t)lens[1])) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	memcpy(buf, cmds[0], (size_t)lens[0]);
	if (n == 2) {
		memcpy(buf + lens[0], cmds[1], (size_t)lens[1]);
	}
	if (exchange(fd, buf, (size_t)lens[0] + (size_t)lens[1], r, n, deadline, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "master %.100s:%d: %.150s", m->host, m->port, why);
		goto done;
	}
	/* A refused AUTH, or NOAUTH for ROLE (auth= missing), says more than "role unknown". */
	for (i = 0; i < n; i++) {
		if (r[i]->type == REDIS_REPLY_ERROR) {
			snprintf(err, errlen, "master %.100s:%d replied \"%.*s\"%s", m->host, m->port,
				(int)(r[i]->len > 150 ? 150 : r[i]->len), r[i]->str, i + 1 < n ? " to AUTH" : "");
			if (i + 1 < n || (r[i]->len >= 6 && memcmp(r[i]->str, "NOAUTH", 6) == 0)) {
				rc = -2;
			}
			goto done;
		}
	}
	role = ks_redis_parse_role(r[n - 1]);
	if (role != KS_REDIS_ROLE_MASTER) {
		snprintf(err, errlen, "the sentinels name %.100s:%d, but it reports the role %s%s", m->host, m->port,
			ks_redis_role_name(role), role == KS_REDIS_ROLE_REPLICA ? " (a failover in progress?)" : "");
		goto done;
	}
	rc = 0;
done:
	for (i = 0; i < 2; i++) {
		freeReplyObject(r[i]);
		if (cmds[i]) {
			redisFreeCommand(cmds[i]);
		}
	}
	free(buf);
	return rc;
}

/*
 * Connects to the master a sentinel named and checks its role: 0 with *fd,
 * -2 when the master refused our credentials, -1 otherwise; err says why
 * (naming the master the sentinel gave, not only the save_path).
 */
static int try_master(ks_redis_conn *c, const ks_redis_endpoint *master, int64_t deadline, int *fd,
	char *err, size_t errlen)
{
	int rc;

	*fd = ks_redis_tcp_connect_fd(c, master->host, master->port, deadline);
	if (*fd < 0) {
		/* tcp.c made the failure sticky; here it is one attempt of several: keep the cause. */
		const char *cause = strrchr(c->errstr, ':');
		snprintf(err, errlen, "master '%.60s' at %.100s:%d:%.200s", c->host.params.master, master->host, master->port,
			cause ? cause + 1 : " cannot connect");
		c->err = KS_REDIS_OK;
		c->errstr[0] = '\0';
		return -1;
	}
	if ((rc = check_role(c, *fd, master, deadline, err, errlen)) < 0) {
		close(*fd);
		*fd = -1;
	}
	return rc;
}

/* Reads params.sentinels into list[0..n), order[i] = i. Returns n. */
static size_t sentinel_list(const char *s, ks_redis_endpoint *list, size_t *order)
{
	const char *comma;
	char err[300];
	size_t n = 0;

	for (; *s && n < KS_SENTINEL_MAX; s = *comma ? comma + 1 : comma) {
		comma = strchr(s, ',');
		if (comma == NULL) {
			comma = s + strlen(s);
		}
		if (ks_redis_endpoint_parse(s, (size_t)(comma - s), 0, &list[n], err, sizeof(err)) == 0) {
			order[n] = n;
			n++;
		}
	}
	return n;
}

/*
 * Asks the sentinels in turn (the one whose master worked last time first)
 * until one names a master that accepts us and reports the role master. A
 * sentinel whose master cannot be reached or is not a master (its view is
 * stale, e.g. cut off during a failover) loses its preference, and the next
 * sentinel is asked in the same connect; a master already tried is not
 * tried again. A refused password ends the search (every master gets the
 * same one).
 */
static ks_redis_status sentinel_connect(ks_redis_conn *c, ks_redis_transport *t, int64_t deadline)
{
	ks_redis_endpoint list[KS_SENTINEL_MAX], master, tried[KS_SENTINEL_MAX];
	char sum[400] = "", err[400] = "";
	size_t order[KS_SENTINEL_MAX], n, ntried = 0, i, j;
	int fd = -1, rc = -1;

	if (!c->host.params.master || !c->host.params.sentinels) {
		return ks_redis_conn_set_error(c, KS_REDIS_ERR_CONFIG, "cannot connect to %s: no master= name", c->host.desc);
	}
	n = sentinel_list(c->host.params.sentinels, list, order);
	ks_redis_sentinel_prefer(order, n, c->sentinel_first);
	for (i = 0; i < n && rc == -1; i++) {
		int64_t now = ks_redis_now_ms(), share = (deadline - now) / (int64_t)(n - i);

		if (ntried > 0 && now >= deadline) {
			break;   /* a master used the rest of the budget */
		}
		if (share < KS_SENTINEL_MIN_SHARE_MS) {
			share = KS_SENTINEL_MIN_SHARE_MS;
		}
		if (!ask_sentinel(c, &list[order[i]], now + share < deadline ? now + share : deadline, &master, sum, sizeof(sum))) {
			continue;
		}
		for (j = 0; j < ntried && !ks_redis_endpoint_equal(&tried[j], &master); j++) {
		}
		if (j < ntried) {
			continue;   /* the same master as a sentinel before: it failed already */
		}
		tried[ntried++] = master;
		if ((rc = try_master(c, &master, deadline, &fd, err, sizeof(err))) == 0) {
			c->sentinel_first = order[i];
		} else if (c->sentinel_first == order[i]) {
			c->sentinel_first = 0;   /* its answer proved wrong: back to the listed order */
		}
	}
	if (rc < 0 && ntried == 0) {
		return ks_redis_conn_set_error(c, KS_REDIS_ERR_CONNECT, "cannot connect to %s: no sentinel named master '%.60s' (%.300s)",
			c->host.desc, c->host.params.master, sum[0] ? sum : "no sentinel listed");
	}
	if (rc < 0) {
		return ks_redis_conn_set_error(c, rc == -2 ? KS_REDIS_ERR_AUTH : KS_REDIS_ERR_CONNECT,
			"cannot connect to %s: %.390s%s", c->host.desc, err, ntried > 1 ? " (and other sentinels' masters failed too)" : "");
	}
	t->fd = fd;
	snprintf(c->node, sizeof(c->node), "tcp://%.100s:%d (master '%.60s')", master.host, master.port, c->host.params.master);
	return KS_REDIS_OK;
}

/* After connecting, a sentinel:// socket is a plain TCP socket. */
static ks_redis_status sentinel_write_all(ks_redis_conn *c, ks_redis_transport *t,
	const char *buf, size_t len, int64_t deadline)
{
	return ks_redis_tcp_ops.write_all(c, t, buf, len, deadline);
}

static ks_redis_status sentinel_read_some(ks_redis_conn *c, ks_redis_transport *t,
	char *buf, size_t cap, size_t *nread, int64_t deadline)
{
	return ks_redis_tcp_ops.read_some(c, t, buf, cap, nread, deadline);
}

static bool sentinel_is_stale(ks_redis_transport *t)
{
	return ks_redis_tcp_ops.is_stale(t);
}

static void sentinel_close(ks_redis_transport *t)
{
	ks_redis_tcp_ops.close(t);
}

const ks_redis_transport_ops ks_redis_sentinel_ops = {
	"sentinel", sentinel_connect, sentinel_write_all, sentinel_read_some, sentinel_is_stale, sentinel_close
};
