/*
 * topo_sentinel.c: the Redis Sentinel topology (topology.h): every key
 * goes to the master the sentinels name.
 *
 *   master_host  the master connection's host: the parameters of the
 *                save_path host carrying master= (auth=, database=, the
 *                timeouts apply to the master), named "sentinel://<every
 *                sentinel> (master '<name>')" in messages; owned
 *   master       that connection, made on the first route; its connect
 *                hook (sentinel_connect) finds the master
 *   sentinels[]  the sentinels' addresses, in save_path order (at most
 *                KS_SENTINEL_MAX), and asks[i] an ordinary connection to
 *                each (AUTH with sentinel_auth=/sentinel_user=, never the
 *                master's auth=), made on first use and closed after each
 *                question; they count in no statistics
 *   first        the index of the sentinel whose master worked last time,
 *                asked first at the next connect (0 before any, and after
 *                its master proved unreachable or not a master)
 *
 * Because discovery happens on every (re)connect of the master connection,
 * a failover needs nothing special: the old master's socket dies (or
 * answers READONLY, which makes conn.c drop it), the next command
 * reconnects, and the sentinels name the promoted replica. A persistent
 * connection pays for discovery once.
 *
 * Discovery: the sentinels are asked in turn, "SENTINEL
 * get-master-addr-by-name <name>" in the same round trip as the AUTH of
 * the connection's handshake (sentinel.c reads the answer), each
 * within an equal share of what is left of the connect timeout, so one
 * that does not answer cannot eat the whole budget. The master named is
 * opened with its own AUTH/SELECT handshake and ROLE in the same round
 * trip; only the role master is accepted, because a sentinel may still
 * name a demoted master for a moment after a failover. When the master a
 * sentinel names cannot be reached or is not a master, that sentinel loses
 * the preference and the next one is asked in the same connect; a master
 * already tried is not tried again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redis/topo_sentinel.h"
#include "redis/sentinel.h"

#define KS_SENTINEL_MAX 16
#define KS_SENTINEL_MIN_SHARE_MS 50

typedef struct sentinel {
	ks_redis_topo_base base;
	ks_redis_host master_host;
	ks_redis_conn *master;
	ks_redis_endpoint sentinels[KS_SENTINEL_MAX];
	ks_redis_conn *asks[KS_SENTINEL_MAX];
	size_t n;
	size_t first;
} sentinel;

static const char *sentinel_name(const void *t)
{
	(void)t;
	return "sentinel";
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

/* Forgets c's error: here a failure is one attempt of several. */
static void clear_error(ks_redis_conn *c)
{
	c->err = KS_REDIS_OK;
	c->errstr[0] = '\0';
}

/* The text after the last ':' of a connect error ("cannot connect to
 * tcp://h:p: Connection refused"), with its leading space. */
static const char *connect_cause(const ks_redis_conn *c)
{
	const char *cause = strrchr(c->errstr, ':');

	return cause ? cause + 1 : " cannot connect";
}

/* The connection to sentinel i, made on first use; NULL when out of memory. */
static ks_redis_conn *ask_conn(sentinel *s, size_t i)
{
	const ks_redis_params *mp = &s->master_host.params;
	ks_redis_host h;

	if (s->asks[i] != NULL) {
		return s->asks[i];
	}
	memset(&h, 0, sizeof(h));
	h.scheme = KS_REDIS_SCHEME_TCP;
	h.host = s->sentinels[i].host;
	h.port = s->sentinels[i].port;
	h.params.connect_timeout_ms = mp->connect_timeout_ms;
	h.params.read_timeout_ms = mp->read_timeout_ms;
	h.params.auth = mp->sentinel_auth;   /* ks_redis_conn_new copies them */
	h.params.user = mp->sentinel_user;
	h.params.weight = 1;
	snprintf(h.desc, sizeof(h.desc), strchr(h.host, ':') ? "tcp://[%s]:%d" : "tcp://%s:%d", h.host, h.port);
	s->asks[i] = ks_redis_conn_new(&h, NULL);
	return s->asks[i];
}

/* Why sentinel sc's answer r names no master: 0 when it does. */
static int read_answer(const sentinel *s, const ks_redis_reply *r, ks_redis_endpoint *master, char *err, size_t errlen)
{
	const char *pw = s->master_host.params.sentinel_auth;

	switch (ks_redis_sentinel_parse_master_addr(r, master, err, errlen)) {
		case KS_REDIS_SENTINEL_FOUND:
			return 0;
		case KS_REDIS_SENTINEL_UNKNOWN:
			snprintf(err, errlen, "does not monitor that master");
			return -1;
		case KS_REDIS_SENTINEL_ERROR:
			break;
	}
	if (!(pw && *pw) && strncmp(err, "NOAUTH", 6) == 0) {
		size_t used = strlen(err);
		snprintf(err + used, errlen - used, " (set sentinel_auth=)");
	}
	return -1;
}

/* The cause of a failed question to sentinel i (its connection's error). */
static void ask_failed(const sentinel *s, size_t i, const ks_redis_conn *sc, char *what, size_t len)
{
	const ks_redis_endpoint *e = &s->sentinels[i];

	if (sc->err == KS_REDIS_ERR_AUTH) {
		snprintf(what, len, "%.100s:%d: refused sentinel_auth: %.150s", e->host, e->port, sc->refusal);
	} else if (sc->err == KS_REDIS_ERR_CONNECT) {
		snprintf(what, len, "%.100s:%d:%.200s", e->host, e->port, connect_cause(sc));
	} else {
		snprintf(what, len, "%.100s:%d: %.200s", e->host, e->port, sc->errstr);
	}
}

/* Asks sentinel i by `deadline`; 1 found (master filled), 0 not (reason noted in sum). */
static int ask_sentinel(sentinel *s, size_t i, int64_t deadline, ks_redis_endpoint *master, char *sum, size_t sumlen)
{
	ks_redis_conn *sc = ask_conn(s, i);
	ks_redis_reply *r = NULL;
	ks_redis_cmd cmd;
	char err[200], what[400];
	int found = 0;

	if (sc == NULL) {
		note(sum, sumlen, "out of memory");
		return 0;
	}
	ks_redis_conn_cap(sc, deadline);
	ks_redis_cmd_init(&cmd, "SENTINEL");
	ks_redis_cmd_append_str(&cmd, "get-master-addr-by-name");
	ks_redis_cmd_append_str(&cmd, s->master_host.params.master);
	/* The question rides in the connect's handshake: AUTH (sentinel_auth=)
	 * and SENTINEL in one round trip. */
	if (ks_redis_conn_open(sc, NULL, deadline, &cmd, &r) != KS_REDIS_OK) {
		ask_failed(s, i, sc, what, sizeof(what));
		note(sum, sumlen, what);
	} else if (read_answer(s, r, master, err, sizeof(err)) == 0) {
		found = 1;
	} else {
		snprintf(what, sizeof(what), "%.100s:%d: %.200s", s->sentinels[i].host, s->sentinels[i].port, err);
		note(sum, sumlen, what);
	}
	ks_redis_cmd_free(&cmd);
	ks_redis_reply_free(r);
	clear_error(sc);
	ks_redis_conn_cap(sc, 0);
	ks_redis_conn_disconnect(sc);   /* one question per discovery: no idle socket to a sentinel */
	return found;
}

/* Words a failed open of the master m (c's sticky error) into err:
 * -2 when the master refused our credentials or database= (every master
 * gets the same; an auth error, as a refused handshake is on tcp://), -1
 * otherwise. */
static int open_failed(const ks_redis_conn *c, const ks_redis_endpoint *m, char *err, size_t errlen)
{
	if (c->err == KS_REDIS_ERR_AUTH) {
		snprintf(err, errlen, "master %.100s:%d replied \"%s\" to %s", m->host, m->port, c->refusal,
			strncmp(c->errstr, "AUTH", 4) == 0 ? "AUTH" : "SELECT");
		return -2;
	}
	if (c->err == KS_REDIS_ERR_CONNECT) {
		snprintf(err, errlen, "master '%.60s' at %.100s:%d:%.200s", c->host.params.master, m->host, m->port,
			connect_cause(c));
	} else {
		snprintf(err, errlen, "master %.100s:%d: %.200s", m->host, m->port, c->errstr);
	}
	return -1;
}

/*
 * Opens c to the master m a sentinel named, with ROLE in the handshake's
 * round trip: 0 when it is a master (c stays open), -2 when the master
 * refused our credentials (a refused AUTH, or NOAUTH because none were
 * given) or our database= (a refused SELECT), -1 for anything else; err
 * says why, naming the master.
 */
static int try_master(ks_redis_conn *c, const ks_redis_endpoint *m, int64_t deadline, char *err, size_t errlen)
{
	ks_redis_cmd role;
	ks_redis_reply *r = NULL;
	ks_redis_role got;
	ks_redis_status st;
	int rc = -1;

	ks_redis_cmd_init(&role, "ROLE");
	/* The ROLE check is part of discovery: its round trip (with the
	 * handshake's) waits until the connect deadline, not a read timeout. */
	ks_redis_conn_cap(c, deadline);
	st = ks_redis_conn_open(c, m, deadline, &role, &r);
	ks_redis_conn_cap(c, 0);
	if (st != KS_REDIS_OK) {
		ks_redis_cmd_free(&role);
		rc = open_failed(c, m, err, errlen);
		clear_error(c);
		return rc;
	}
	ks_redis_cmd_free(&role);
	if (r->kind == KS_REDIS_REPLY_ERROR) {
		/* NOAUTH for ROLE (auth= missing) says more than "role unknown". */
		snprintf(err, errlen, "master %.100s:%d replied \"%.*s\"", m->host, m->port, (int)(r->len > 150 ? 150 : r->len), r->str);
		rc = ks_redis_reply_is_error(r, "NOAUTH") ? -2 : -1;
	} else if ((got = ks_redis_parse_role(r)) != KS_REDIS_ROLE_MASTER) {
		snprintf(err, errlen, "the sentinels name %.100s:%d, but it reports the role %s%s", m->host, m->port,
			ks_redis_role_name(got), got == KS_REDIS_ROLE_REPLICA ? " (a failover in progress?)" : "");
	} else {
		rc = 0;
	}
	ks_redis_reply_free(r);
	if (rc != 0) {
		ks_redis_conn_disconnect(c);
	}
	return rc;
}

/* True when m is in tried[0..n). */
static bool tried_before(const ks_redis_endpoint *tried, size_t n, const ks_redis_endpoint *m)
{
	size_t j;

	for (j = 0; j < n; j++) {
		if (ks_redis_endpoint_equal(&tried[j], m)) {
			return true;
		}
	}
	return false;
}

/*
 * The master connection's connect hook: asks the sentinels in turn (the
 * one whose master worked last time first) until one names a master that
 * accepts us and reports the role master (see the header comment). A
 * refused password or database ends the search (every master gets the same).
 */
static ks_redis_status sentinel_connect(void *ctx, ks_redis_conn *c, int64_t deadline)
{
	sentinel *s = ctx;
	ks_redis_endpoint master, tried[KS_SENTINEL_MAX];
	char sum[400] = "", err[400] = "";
	size_t order[KS_SENTINEL_MAX], ntried = 0, i;
	int rc = -1;

	for (i = 0; i < s->n; i++) {
		order[i] = i;
	}
	ks_redis_sentinel_prefer(order, s->n, s->first);
	for (i = 0; i < s->n && rc == -1; i++) {
		int64_t now = ks_redis_now_ms(), share = (deadline - now) / (int64_t)(s->n - i);

		if (ntried > 0 && now >= deadline) {
			break;   /* a master used the rest of the budget */
		}
		if (share < KS_SENTINEL_MIN_SHARE_MS) {
			share = KS_SENTINEL_MIN_SHARE_MS;
		}
		if (!ask_sentinel(s, order[i], now + share < deadline ? now + share : deadline, &master, sum, sizeof(sum))
			|| tried_before(tried, ntried, &master)) {
			continue;   /* no answer, or the same master as a sentinel before: it failed already */
		}
		tried[ntried++] = master;
		if ((rc = try_master(c, &master, deadline, err, sizeof(err))) == 0) {
			s->first = order[i];
		} else if (s->first == order[i]) {
			s->first = 0;   /* its answer proved wrong: back to the listed order */
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
	snprintf(c->node, sizeof(c->node), "tcp://%.100s:%d (master '%.60s')", master.host, master.port, c->host.params.master);
	return KS_REDIS_OK;
}

static void sentinel_free(void *t)
{
	sentinel *s = t;
	size_t i;

	if (s == NULL) {
		return;
	}
	ks_redis_conn_free(s->master);
	for (i = 0; i < s->n; i++) {
		ks_redis_conn_free(s->asks[i]);
	}
	ks_redis_host_dtor(&s->master_host);
	free(s);
}

/*
 * Checks that every host is a sentinel and exactly one names the master,
 * and lists the sentinels ("h:p,h:p", for the description) into list.
 * Returns the host carrying master=, or NULL with a reason in err.
 */
static const ks_redis_host *check_path(const ks_redis_path *path, char *list, size_t listlen, char *err, size_t errlen)
{
	const ks_redis_host *with = NULL;
	size_t i, used = 0;

	list[0] = '\0';
	for (i = 0; i < path->nhosts; i++) {
		const ks_redis_host *h = &path->hosts[i];
		int n;

		if (h->scheme != KS_REDIS_SCHEME_SENTINEL) {
			snprintf(err, errlen, "host %zu (%s) is not a sentinel: a sentinel:// save_path lists only sentinels", i + 1, h->desc);
			return NULL;
		}
		if (h->params.master) {
			if (with) {
				snprintf(err, errlen, "'master' is given twice (hosts %zu and %zu)", (size_t)(with - path->hosts) + 1, i + 1);
				return NULL;
			}
			with = h;
		}
		n = snprintf(list + used, listlen - used, "%s%s:%d", i ? "," : "", h->host, h->port);
		if (n < 0 || (size_t)n >= listlen - used) {
			snprintf(err, errlen, "too many sentinels");
			return NULL;
		}
		used += (size_t)n;
	}
	if (!with) {
		snprintf(err, errlen, "sentinel:// needs master=<name> (the master the sentinels monitor)");
	}
	return with;
}

static void *sentinel_create(const ks_redis_path *path, ks_redis_counters *counters, const char *subject,
	char *err, size_t errlen)
{
	const ks_redis_host *with;
	ks_redis_host master;
	char list[1024];
	sentinel *s;
	size_t i;

	if ((with = check_path(path, list, sizeof(list), err, errlen)) == NULL) {
		return NULL;
	}
	if ((s = ks_redis_topo_new(sizeof(*s), path, counters, subject, err, errlen)) == NULL) {
		return NULL;
	}
	for (i = 0; i < path->nhosts && s->n < KS_SENTINEL_MAX; i++) {
		if (ks_redis_endpoint_set(&s->sentinels[s->n], path->hosts[i].host, strlen(path->hosts[i].host),
			path->hosts[i].port, err, errlen) == 0) {
			s->n++;
		}
	}
	/* A plain TCP connection to whatever master is found: the address
	 * (the first sentinel's, never used) is replaced at each connect. */
	master = *with;
	master.scheme = KS_REDIS_SCHEME_TCP;
	master.host = path->hosts[0].host;
	master.port = path->hosts[0].port;
	if (ks_redis_host_copy(&s->master_host, &master) < 0) {
		snprintf(err, errlen, "out of memory");
		sentinel_free(s);
		return NULL;
	}
	snprintf(s->master_host.desc, sizeof(s->master_host.desc), "sentinel://%.200s (master '%.60s')",
		list, with->params.master);
	return s;
}

static ks_redis_conn *sentinel_route(void *t, const char *key, size_t len)
{
	sentinel *s = t;

	(void)key;
	(void)len;
	if (s->master == NULL && (s->master = ks_redis_conn_new(&s->master_host, s->base.counters)) != NULL) {
		ks_redis_conn_set_hooks(s->master, &ks_redis_topo_sentinel.hooks, s);
	}
	return s->master;
}

static void sentinel_each_conn(void *t, void (*fn)(ks_redis_conn *c))
{
	sentinel *s = t;

	if (s->master != NULL) {
		fn(s->master);
	}
}

const ks_redis_topology_type ks_redis_topo_sentinel = {
	sentinel_name, sentinel_create, sentinel_route, sentinel_each_conn, sentinel_free,
	{ sentinel_connect, NULL, NULL }
};
