/*
 * pool.c: a save_path's connections and the routing of session ids to them
 * (see pool.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redis/pool.h"

/* Deep copy of a parsed save_path. Returns 0, or -1 when out of memory (dst empty). */
static int copy_path(ks_redis_path *dst, const ks_redis_path *src)
{
	size_t i;

	dst->nhosts = 0;
	dst->hosts = calloc(src->nhosts, sizeof(*dst->hosts));
	if (dst->hosts == NULL) {
		return -1;
	}
	for (i = 0; i < src->nhosts; i++) {
		ks_redis_host *h = &dst->hosts[i];

		*h = src->hosts[i];
		h->host = strdup(src->hosts[i].host);
		if (h->host == NULL || ks_redis_params_copy(&h->params, &src->hosts[i].params) < 0) {
			free(h->host);
			ks_redis_path_dtor(dst);
			return -1;
		}
		dst->nhosts++;
	}
	return 0;
}

/* The ring name of a host: "host:port", or the socket path. */
static void ring_name(const ks_redis_host *h, char *buf, size_t len)
{
	if (h->scheme == KS_REDIS_SCHEME_UNIX) {
		snprintf(buf, len, "%s", h->host);
	} else {
		snprintf(buf, len, "%s:%d", h->host, h->port);
	}
}

static int build_ring(ks_redis_pool *p, char *err, size_t errlen)
{
	ks_redis_ring_host *rh;
	char (*names)[300];
	size_t i;
	int rc;

	rh = calloc(p->path.nhosts, sizeof(*rh));
	names = calloc(p->path.nhosts, sizeof(*names));
	if (rh == NULL || names == NULL) {
		free(rh);
		free(names);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < p->path.nhosts; i++) {
		ring_name(&p->path.hosts[i], names[i], sizeof(names[i]));
		rh[i].name = names[i];
		rh[i].name_len = strlen(names[i]);
		rh[i].weight = (unsigned)p->path.hosts[i].params.weight;
	}
	rc = ks_redis_ring_build(&p->ring, rh, p->path.nhosts, err, errlen);
	free(rh);
	free(names);
	return rc;
}

/*
 * sentinel:// : checks that every host is a sentinel and exactly one names
 * the master, and builds the one host the connection is made from.
 */
static int build_sentinel_host(ks_redis_pool *p, char *err, size_t errlen)
{
	const ks_redis_path *path = &p->path;
	const ks_redis_host *with = NULL;
	char list[1024] = "";
	size_t i, used = 0;

	for (i = 0; i < path->nhosts; i++) {
		const ks_redis_host *h = &path->hosts[i];
		int n;

		if (h->scheme != KS_REDIS_SCHEME_SENTINEL) {
			snprintf(err, errlen, "host %zu (%s) is not a sentinel: a sentinel:// save_path lists only sentinels", i + 1, h->desc);
			return -1;
		}
		if (h->params.master) {
			if (with) {
				snprintf(err, errlen, "'master' is given twice (hosts %zu and %zu)", (size_t)(with - path->hosts) + 1, i + 1);
				return -1;
			}
			with = h;
		}
		n = snprintf(list + used, sizeof(list) - used, "%s%s:%d", i ? "," : "", h->host, h->port);
		if (n < 0 || (size_t)n >= sizeof(list) - used) {
			snprintf(err, errlen, "too many sentinels");
			return -1;
		}
		used += (size_t)n;
	}
	if (!with) {
		snprintf(err, errlen, "sentinel:// needs master=<name> (the master the sentinels monitor)");
		return -1;
	}
	p->sentinel_host = *with;
	p->sentinel_host.host = strdup(path->hosts[0].host);
	p->sentinel_host.port = path->hosts[0].port;
	if (p->sentinel_host.host == NULL || ks_redis_params_copy(&p->sentinel_host.params, &with->params) < 0) {
		free(p->sentinel_host.host);
		memset(&p->sentinel_host, 0, sizeof(p->sentinel_host));
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	free(p->sentinel_host.params.sentinels);
	p->sentinel_host.params.sentinels = strdup(list);
	p->sentinel = true;   /* from here on pool_free frees sentinel_host */
	if (p->sentinel_host.params.sentinels == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(p->sentinel_host.desc, sizeof(p->sentinel_host.desc), "sentinel://%.200s (master '%.60s')",
		list, with->params.master);
	return 0;
}

/* ---- cluster:// ---- */

/* The connection to a cluster node, made on first use (redirector callback too). */
static ks_redis_conn *node_conn(void *ctx, const ks_redis_endpoint *addr)
{
	ks_redis_pool *p = ctx;
	ks_redis_host h;
	size_t i;

	for (i = 0; i < p->nnodes; i++) {
		if (ks_redis_endpoint_equal(&p->nodes[i].addr, addr)) {
			return p->nodes[i].conn;
		}
	}
	if (p->nnodes == p->capnodes) {
		size_t cap = p->capnodes ? p->capnodes * 2 : 8;
		struct ks_redis_pool_node *grown = realloc(p->nodes, cap * sizeof(*grown));
		if (grown == NULL) {
			return NULL;
		}
		p->nodes = grown;
		p->capnodes = cap;
	}
	h = p->node_host;                  /* ks_redis_conn_new deep-copies it */
	/* tls_* parameters on the cluster:// save_path mean TLS to every node:
	 * a cluster with tls-cluster yes reports its TLS ports in CLUSTER SLOTS
	 * and MOVED, so the addresses need no translation. */
	h.scheme = (p->node_host.params.given & KS_REDIS_P_TLS) ? KS_REDIS_SCHEME_TLS : KS_REDIS_SCHEME_TCP;
	h.host = (char *)addr->host;
	h.port = addr->port;
	snprintf(h.desc, sizeof(h.desc), strchr(addr->host, ':') ? "%s://[%s]:%d" : "%s://%s:%d",
		h.scheme == KS_REDIS_SCHEME_TLS ? "tls" : "tcp", addr->host, addr->port);
	p->nodes[p->nnodes].conn = ks_redis_conn_new(&h, p->counters);
	if (p->nodes[p->nnodes].conn == NULL) {
		return NULL;
	}
	p->nodes[p->nnodes].conn->redirector = &p->redir;
	p->nodes[p->nnodes].addr = *addr;
	return p->nodes[p->nnodes++].conn;
}

static void node_failed(void *ctx)
{
	((ks_redis_pool *)ctx)->map_stale = true;
}

static void node_moved(void *ctx, unsigned slot, const ks_redis_endpoint *addr)
{
	ks_redis_pool *p = ctx;

	/* Out of memory only costs another MOVED next time. */
	(void)ks_redis_slot_map_set(&p->map, slot, addr);
}

/*
 * CLUSTER SLOTS from one node into a new map, swapped in only when it
 * parses; every wait of the exchange ends by `cap`. Returns 0, or -1 with
 * the cause appended to sum.
 */
static int load_map_from(ks_redis_pool *p, const ks_redis_endpoint *addr, int64_t cap, char *sum, size_t sumlen)
{
	const char *argv[2] = { "CLUSTER", "SLOTS" };
	size_t argvlen[2] = { 7, 5 };
	ks_redis_conn *c = node_conn(p, addr);
	ks_redis_slot_map fresh;
	redisReply *r = NULL;
	char err[200];
	size_t used = strlen(sum);
	int64_t share = cap - ks_redis_now_ms();
	int rc = -1;

	if (c == NULL) {
		return -1;
	}
	if (c->err != KS_REDIS_OK) {
		ks_redis_conn_reset_error(c);
	}
	ks_redis_conn_cap(c, cap);
	if (ks_redis_append(c, 2, argv, argvlen) != KS_REDIS_OK || ks_redis_exec(c, &r, 1, 0, KS_REDIS_RETRY_SAFE) != KS_REDIS_OK) {
		ks_redis_conn_cap(c, 0);
		/* A timeout here ended the node's share of the budget, maybe before its own timeout. */
		snprintf(sum + used, sumlen - used, "%s%.250s", used ? "; " : "", c->errstr);
		if (c->err == KS_REDIS_ERR_TIMEOUT || strstr(c->errstr, "timed out")) {
			used = strlen(sum);
			snprintf(sum + used, sumlen - used, " (its share of the reload: %lld ms)", (long long)share);
		}
		if (c->err == KS_REDIS_ERR_AUTH) {
			p->map_err = KS_REDIS_ERR_AUTH;
		}
		ks_redis_conn_reset_error(c);
		return -1;
	}
	ks_redis_conn_cap(c, 0);
	if (ks_redis_slot_map_parse(&fresh, r, addr, err, sizeof(err)) == 0) {
		ks_redis_slot_map_free(&p->map);
		p->map = fresh;
		rc = 0;
	} else {
		snprintf(sum + used, sumlen - used, "%s%s: %s", used ? "; " : "", c->host.desc, err);
		ks_redis_slot_map_free(&fresh);
	}
	freeReplyObject(r);
	return rc;
}

/* Appends addr to cand[0..*n) unless it is there already. */
static void add_candidate(ks_redis_endpoint *cand, size_t *n, const ks_redis_endpoint *addr)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if (ks_redis_endpoint_equal(&cand[i], addr)) {
			return;
		}
	}
	cand[(*n)++] = *addr;
}

/*
 * Asks cand[0..n) in turn, from cand[p->map_next % n] on and wrapping, each
 * within its share of what is left before deadline, until one gives a map.
 * When the budget runs out first, the next load starts at the first node
 * left unasked. 0, or -1 with the causes appended to sum.
 */
static int load_map_in_turn(ks_redis_pool *p, const ks_redis_endpoint *cand, size_t n, int64_t deadline,
	char *sum, size_t sumlen)
{
	const ks_redis_params *np = &p->node_host.params;
	size_t k, start = n ? p->map_next % n : 0;
	int rc = -1;

	p->map_next = 0;
	for (k = 0; k < n && rc < 0; k++) {
		int64_t now = ks_redis_now_ms(), share = (deadline - now) / (int64_t)(n - k);

		if (now >= deadline) {
			size_t used = strlen(sum);
			snprintf(sum + used, sumlen - used, "%sthe reload's budget of %lld ms ran out before %zu of %zu nodes "
				"were asked (the next reload asks them first)", used ? "; " : "",
				(long long)np->connect_timeout_ms + np->read_timeout_ms, n - k, n);
			p->map_next = (start + k) % n;
			break;
		}
		if (share < KS_REDIS_MAP_MIN_SHARE_MS) {
			share = KS_REDIS_MAP_MIN_SHARE_MS;
		}
		rc = load_map_from(p, &cand[(start + k) % n], now + share < deadline ? now + share : deadline, sum, sumlen);
	}
	return rc;
}

/*
 * Loads the slot map from the known masters, then the replicas, then the
 * seeds, each node once (from where the last failed load stopped: see
 * load_map_in_turn). The whole load gets one budget, a connect timeout
 * plus a read timeout, and each node an equal share of what is left of it
 * (at least KS_REDIS_MAP_MIN_SHARE_MS, never past the budget), as sentinel
 * discovery does: nodes that accept and never answer cannot make the load
 * cost a full timeout each, and one that fails fast leaves its share to the
 * others. Returns 0, or -1 with the causes in sum.
 */
static int load_map(ks_redis_pool *p, char *sum, size_t sumlen)
{
	const ks_redis_params *np = &p->node_host.params;
	int64_t deadline = ks_redis_now_ms() + np->connect_timeout_ms + np->read_timeout_ms;
	ks_redis_endpoint *cand, seed;
	size_t ncand = 0, i, pass;
	int rc;

	sum[0] = '\0';
	p->map_err = KS_REDIS_ERR_CONNECT;
	cand = malloc((p->map.nnodes + p->path.nhosts) * sizeof(*cand) + 1);
	if (cand == NULL) {
		snprintf(sum, sumlen, "out of memory");
		return -1;
	}
	/* Masters of the old map first (they answered recently), then replicas, then the seeds. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < p->map.nnodes; i++) {
			if (p->map.nodes[i].is_master == (pass == 0)) {
				add_candidate(cand, &ncand, &p->map.nodes[i].addr);
			}
		}
	}
	for (i = 0; i < p->path.nhosts; i++) {
		char err[100];
		if (ks_redis_endpoint_set(&seed, p->path.hosts[i].host, strlen(p->path.hosts[i].host),
			p->path.hosts[i].port, err, sizeof(err)) == 0) {
			add_candidate(cand, &ncand, &seed);
		}
	}
	rc = load_map_in_turn(p, cand, ncand, deadline, sum, sumlen);
	free(cand);
	if (rc == 0) {
		p->map_stale = false;
	}
	return rc;
}

static int init_cluster(ks_redis_pool *p, char *err, size_t errlen)
{
	const ks_redis_host *last = &p->path.hosts[p->path.nhosts - 1];
	size_t i;

	for (i = 0; i < p->path.nhosts; i++) {
		if (p->path.hosts[i].scheme != KS_REDIS_SCHEME_CLUSTER) {
			snprintf(err, errlen, "host %zu (%s) is not a cluster node: a cluster:// save_path lists only seed nodes",
				i + 1, p->path.hosts[i].desc);
			return -1;
		}
	}
	if (last->params.database > 0) {
		snprintf(err, errlen, "database=%ld: Redis Cluster has only database 0", last->params.database);
		return -1;
	}
	p->node_host = *last;
	p->node_host.host = strdup(last->host);
	if (p->node_host.host == NULL || ks_redis_params_copy(&p->node_host.params, &last->params) < 0) {
		free(p->node_host.host);
		memset(&p->node_host, 0, sizeof(p->node_host));
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p->cluster = true;   /* from here on pool_free frees node_host */
	ks_redis_slot_map_init(&p->map);
	p->map_stale = true;
	p->redir.conn_for = node_conn;
	p->redir.moved = node_moved;
	p->redir.failed = node_failed;
	p->redir.ctx = p;
	return 0;
}

/*
 * The master's connection for sid's slot; a connection with a sticky error
 * when none can be found. A stale map is loaded again first, except within
 * KS_REDIS_MAP_RETRY_MS of a load that failed: then the old map still
 * routes (a node that moved answers MOVED), and without one the request
 * fails at once with the last cause. So a cluster that does not answer
 * costs a worker one reload budget per KS_REDIS_MAP_RETRY_MS, not one per
 * request.
 */
static ks_redis_conn *cluster_route(ks_redis_pool *p, const char *sid, size_t len)
{
	unsigned slot = ks_redis_cluster_key_slot(sid, len);
	const ks_redis_endpoint *owner = NULL;
	ks_redis_endpoint seed;
	ks_redis_conn *c;
	char sum[600], err[100];
	int64_t now = ks_redis_now_ms();

	if (!p->map_stale || now < p->map_retry_at) {
		owner = ks_redis_slot_map_master(&p->map, slot);
	}
	if (owner != NULL) {
		/* routed by the map (or, during the back-off, by the stale one) */
	} else if (now < p->map_retry_at) {
		snprintf(sum, sizeof(sum), "the slot map could not be loaded %lld ms ago; this worker tries again %d ms after a failure (%.400s)",
			(long long)(now - p->map_failed_at), KS_REDIS_MAP_RETRY_MS, p->map_why);
	} else if (load_map(p, sum, sizeof(sum)) == 0) {
		owner = ks_redis_slot_map_master(&p->map, slot);
		if (owner == NULL) {
			snprintf(sum, sizeof(sum), "no master serves slot %u (is the cluster down?)", slot);
		}
	} else {
		p->map_failed_at = ks_redis_now_ms();
		p->map_retry_at = p->map_failed_at + KS_REDIS_MAP_RETRY_MS;
		snprintf(p->map_why, sizeof(p->map_why), "%s", sum);
	}
	if (owner != NULL) {
		return node_conn(p, owner);
	}
	/* Report through the first seed's connection: the handler warns once. */
	if (ks_redis_endpoint_set(&seed, p->path.hosts[0].host, strlen(p->path.hosts[0].host), p->path.hosts[0].port,
		err, sizeof(err)) != 0 || (c = node_conn(p, &seed)) == NULL) {
		return NULL;
	}
	p->map_stale = true;
	ks_redis_conn_set_error(c, p->map_err, "cannot route session to a cluster master: %s", sum);
	return c;
}

ks_redis_pool *ks_redis_pool_new(const ks_redis_path *path, ks_redis_counters *counters,
	char *err, size_t errlen)
{
	ks_redis_pool *p = calloc(1, sizeof(*p));

	if (p == NULL || copy_path(&p->path, path) < 0) {
		free(p);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->counters = counters;
	p->conns = calloc(path->nhosts, sizeof(*p->conns));
	if (p->conns == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (path->hosts[0].scheme == KS_REDIS_SCHEME_CLUSTER) {
		if (init_cluster(p, err, errlen) < 0) {
			goto fail;
		}
	} else if (path->hosts[0].scheme == KS_REDIS_SCHEME_SENTINEL) {
		if (build_sentinel_host(p, err, errlen) < 0) {
			goto fail;
		}
	} else if (path->nhosts > 1 && build_ring(p, err, errlen) < 0) {
		goto fail;
	}
	return p;

fail:
	ks_redis_pool_free(p);
	return NULL;
}

void ks_redis_pool_free(ks_redis_pool *p)
{
	size_t i;

	if (p == NULL) {
		return;
	}
	for (i = 0; p->conns && i < p->path.nhosts; i++) {
		ks_redis_conn_free(p->conns[i]);
	}
	free(p->conns);
	if (p->sentinel) {
		free(p->sentinel_host.host);
		ks_redis_params_dtor(&p->sentinel_host.params);
	}
	if (p->cluster) {
		for (i = 0; i < p->nnodes; i++) {
			ks_redis_conn_free(p->nodes[i].conn);
		}
		free(p->nodes);
		free(p->node_host.host);
		ks_redis_params_dtor(&p->node_host.params);
		ks_redis_slot_map_free(&p->map);
	}
	ks_redis_ring_free(&p->ring);
	ks_redis_path_dtor(&p->path);
	free(p);
}

bool ks_redis_pool_matches(const ks_redis_pool *p, const ks_redis_path *path)
{
	size_t i;

	if (p->path.nhosts != path->nhosts) {
		return false;
	}
	for (i = 0; i < path->nhosts; i++) {
		const ks_redis_host *a = &p->path.hosts[i], *b = &path->hosts[i];

		if (a->params.weight != b->params.weight || !ks_redis_host_same(a, b)) {
			return false;
		}
	}
	return true;
}

ks_redis_conn *ks_redis_pool_route(ks_redis_pool *p, const char *sid, size_t len)
{
	size_t i = p->path.nhosts > 1 && !p->sentinel && !p->cluster ? ks_redis_ring_lookup(&p->ring, sid, len) : 0;

	if (p->cluster) {
		ks_redis_conn *c = cluster_route(p, sid, len);
		if (c != NULL) {
			p->last = c;
		}
		return c;
	}

	if (p->conns[i] == NULL) {
		p->conns[i] = ks_redis_conn_new(p->sentinel ? &p->sentinel_host : &p->path.hosts[i], p->counters);
		if (p->conns[i] == NULL) {
			return NULL;
		}
	}
	p->last = p->conns[i];
	return p->conns[i];
}

void ks_redis_pool_reset_errors(ks_redis_pool *p)
{
	size_t i;

	for (i = 0; p->cluster && i < p->nnodes; i++) {
		if (p->nodes[i].conn->err != KS_REDIS_OK) {
			ks_redis_conn_reset_error(p->nodes[i].conn);   /* marks the map stale when it should */
		}
	}

	for (i = 0; i < p->path.nhosts; i++) {
		if (p->conns[i] != NULL && p->conns[i]->err != KS_REDIS_OK) {
			ks_redis_conn_reset_error(p->conns[i]);
		}
	}
}

void ks_redis_pool_disconnect(ks_redis_pool *p)
{
	size_t i;

	for (i = 0; p->cluster && i < p->nnodes; i++) {
		ks_redis_conn_disconnect(p->nodes[i].conn);
	}

	for (i = 0; i < p->path.nhosts; i++) {
		ks_redis_conn_disconnect(p->conns[i]);
	}
}

const char *ks_redis_pool_topology(const ks_redis_pool *p)
{
	if (p->sentinel) {
		return "sentinel";
	}
	if (p->cluster) {
		return "cluster";
	}
	if (p->path.nhosts > 1) {
		return "ring";
	}
	switch (p->path.hosts[0].scheme) {
		case KS_REDIS_SCHEME_UNIX: return "unix";
		case KS_REDIS_SCHEME_TLS: return "tls";
		default: return "tcp";
	}
}
