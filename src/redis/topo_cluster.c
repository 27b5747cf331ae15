/*
 * topo_cluster.c: the Redis Cluster topology (topology.h): a key goes to
 * the master of its slot (cluster.h), and replies that say the slot lives
 * elsewhere are followed.
 *
 *   base        the pool's save_path (base.path: every host is a seed
 *               node), the counters and the subject (topology.h); borrowed
 *   node_host   the parameters of every node connection: the last host's
 *               (the query is written once, at the end); owned
 *   nodes[]     one connection per node talked to, made from node_host
 *   map         the slot map, kept across requests; empty until loaded
 *   map_stale   load the map before the next route: set at creation and
 *               after a node failed to answer (on_failure), so a promoted
 *               replica is found after a failover
 *
 * A load asks each known node once (masters, replicas, then seeds) within
 * one budget of connect + read timeout; after a failed one the worker
 * waits KS_REDIS_MAP_RETRY_MS before the next (map_retry_at), routing by
 * the old map meanwhile. A load whose budget ran out before every node was
 * asked makes the next one start at the first node it left out (map_next),
 * so silent nodes listed first cannot hide a healthy one forever.
 *
 * Redirections: every node connection carries this topology's hooks. When
 * the one command of an exec is answered MOVED or ASK, on_error_reply sends
 * the same bytes to the named node (after ASKING for ASK) and hands back
 * that node's reply as if it came from the first; MOVED also updates the
 * map. TRYAGAIN (a slot being migrated, a multi-key command that found
 * only some keys) is sent again after a short nap, within the read timeout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "redis/topo_cluster.h"
#include "redis/cluster.h"

/* A worker whose map load failed waits this long before the next load
 * (meanwhile the old map routes, or the request fails at once). */
#define KS_REDIS_MAP_RETRY_MS 1000
/* The least time one node gets of a load's budget. */
#define KS_REDIS_MAP_MIN_SHARE_MS 50
/* Redirections followed for one command: a cluster being resharded can
 * bounce a command a few times, never forever. */
#define KS_REDIS_MAX_REDIRECTS 5
/* The nap before a TRYAGAIN is sent again. */
#define KS_REDIS_TRYAGAIN_MS 20

typedef struct cluster_node {
	ks_redis_endpoint addr;
	ks_redis_conn *conn;
} cluster_node;

typedef struct cluster {
	ks_redis_topo_base base;      /* base.path: every host is a seed node */
	ks_redis_host node_host;
	cluster_node *nodes;          /* malloc'd, nnodes entries */
	size_t nnodes, capnodes;
	ks_redis_slot_map map;
	bool map_stale;
	size_t map_next;              /* where the next load starts in its candidate list: the
	                                 first node the last failed load left unasked (0 after
	                                 a load that succeeded or asked every node) */
	int64_t map_failed_at;        /* when the last load failed (ks_redis_now_ms) */
	int64_t map_retry_at;         /* no load before this time (0: any time) */
	char map_why[600];            /* the causes of the last failed load */
	ks_redis_status map_err;      /* why the last load failed (AUTH wins over CONNECT, so
	                                 a refused password is reported as auth on every
	                                 topology) */
	int depth;                    /* redirections being followed right now */
} cluster;

static const char *cluster_name(const void *t)
{
	(void)t;
	return "cluster";
}

/* The connection to a node, made on first use. NULL when out of memory. */
static ks_redis_conn *node_conn(cluster *cl, const ks_redis_endpoint *addr)
{
	ks_redis_host h;
	size_t i;

	for (i = 0; i < cl->nnodes; i++) {
		if (ks_redis_endpoint_equal(&cl->nodes[i].addr, addr)) {
			return cl->nodes[i].conn;
		}
	}
	if (cl->nnodes == cl->capnodes) {
		size_t cap = cl->capnodes ? cl->capnodes * 2 : 8;
		cluster_node *grown = realloc(cl->nodes, cap * sizeof(*grown));
		if (grown == NULL) {
			return NULL;
		}
		cl->nodes = grown;
		cl->capnodes = cap;
	}
	h = cl->node_host;                  /* ks_redis_conn_new deep-copies it */
	/* tls_* parameters on the cluster:// save_path mean TLS to every node:
	 * a cluster with tls-cluster yes reports its TLS ports in CLUSTER SLOTS
	 * and MOVED, so the addresses need no translation. */
	h.scheme = (cl->node_host.params.given & KS_REDIS_P_TLS) ? KS_REDIS_SCHEME_TLS : KS_REDIS_SCHEME_TCP;
	h.host = (char *)addr->host;
	h.port = addr->port;
	snprintf(h.desc, sizeof(h.desc), strchr(addr->host, ':') ? "%s://[%s]:%d" : "%s://%s:%d",
		h.scheme == KS_REDIS_SCHEME_TLS ? "tls" : "tcp", addr->host, addr->port);
	cl->nodes[cl->nnodes].conn = ks_redis_conn_new(&h, cl->base.counters);
	if (cl->nodes[cl->nnodes].conn == NULL) {
		return NULL;
	}
	ks_redis_conn_set_hooks(cl->nodes[cl->nnodes].conn, &ks_redis_topo_cluster.hooks, cl);
	cl->nodes[cl->nnodes].addr = *addr;
	return cl->nodes[cl->nnodes++].conn;
}

/* A node that did not answer, or said the cluster is down, may have lost
 * its slots: load the map again before the next route. */
static void cluster_on_failure(void *ctx, ks_redis_conn *c)
{
	if (c->err != KS_REDIS_ERR_REPLY || c->drop_on_reset || strstr(c->errstr, "CLUSTERDOWN")) {
		((cluster *)ctx)->map_stale = true;
	}
}

/* Appends "; <the node's error>" to sum, naming the node's share of the budget after a timeout. */
static void note_failure(cluster *cl, const ks_redis_conn *c, int64_t share, char *sum, size_t sumlen)
{
	size_t used = strlen(sum);

	snprintf(sum + used, sumlen - used, "%s%.250s", used ? "; " : "", c->errstr);
	if (c->err == KS_REDIS_ERR_TIMEOUT || strstr(c->errstr, "timed out")) {
		used = strlen(sum);
		snprintf(sum + used, sumlen - used, " (its share of the reload: %lld ms)", (long long)share);
	}
	if (c->err == KS_REDIS_ERR_AUTH) {
		cl->map_err = KS_REDIS_ERR_AUTH;
	}
}

/*
 * CLUSTER SLOTS from one node into a new map, swapped in only when it
 * parses; every wait of the exchange ends by `cap`. Returns 0, or -1 with
 * the cause appended to sum.
 */
static int load_map_from(cluster *cl, const ks_redis_endpoint *addr, int64_t cap, char *sum, size_t sumlen)
{
	ks_redis_conn *c = node_conn(cl, addr);
	ks_redis_slot_map fresh;
	ks_redis_reply *r = NULL;
	ks_redis_cmd cmd;
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
	ks_redis_cmd_init(&cmd, "CLUSTER");
	ks_redis_cmd_append_str(&cmd, "SLOTS");
	if (ks_redis_append_cmd(c, &cmd) != KS_REDIS_OK || ks_redis_exec(c, &r, 1, 0, KS_REDIS_RETRY_SAFE) != KS_REDIS_OK) {
		ks_redis_cmd_free(&cmd);
		ks_redis_conn_cap(c, 0);
		/* A timeout here ended the node's share of the budget, maybe before its own timeout. */
		note_failure(cl, c, share, sum, sumlen);
		ks_redis_conn_reset_error(c);
		return -1;
	}
	ks_redis_cmd_free(&cmd);
	ks_redis_conn_cap(c, 0);
	if (ks_redis_slot_map_parse(&fresh, r, addr, err, sizeof(err)) == 0) {
		ks_redis_slot_map_free(&cl->map);
		cl->map = fresh;
		rc = 0;
	} else {
		snprintf(sum + used, sumlen - used, "%s%s: %s", used ? "; " : "", c->host.desc, err);
		ks_redis_slot_map_free(&fresh);
	}
	ks_redis_reply_free(r);
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
 * Asks cand[0..n) in turn, from cand[map_next % n] on and wrapping, each
 * within its share of what is left before deadline, until one gives a map.
 * When the budget runs out first, the next load starts at the first node
 * left unasked. 0, or -1 with the causes appended to sum.
 */
static int load_map_in_turn(cluster *cl, const ks_redis_endpoint *cand, size_t n, int64_t deadline,
	char *sum, size_t sumlen)
{
	const ks_redis_params *np = &cl->node_host.params;
	size_t k, start = n ? cl->map_next % n : 0;
	int rc = -1;

	cl->map_next = 0;
	for (k = 0; k < n && rc < 0; k++) {
		int64_t now = ks_redis_now_ms(), share = (deadline - now) / (int64_t)(n - k);

		if (now >= deadline) {
			size_t used = strlen(sum);
			snprintf(sum + used, sumlen - used, "%sthe reload's budget of %lld ms ran out before %zu of %zu nodes "
				"were asked (the next reload asks them first)", used ? "; " : "",
				(long long)np->connect_timeout_ms + np->read_timeout_ms, n - k, n);
			cl->map_next = (start + k) % n;
			break;
		}
		if (share < KS_REDIS_MAP_MIN_SHARE_MS) {
			share = KS_REDIS_MAP_MIN_SHARE_MS;
		}
		rc = load_map_from(cl, &cand[(start + k) % n], now + share < deadline ? now + share : deadline, sum, sumlen);
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
static int load_map(cluster *cl, char *sum, size_t sumlen)
{
	const ks_redis_params *np = &cl->node_host.params;
	int64_t deadline = ks_redis_now_ms() + np->connect_timeout_ms + np->read_timeout_ms;
	ks_redis_endpoint *cand, seed;
	size_t ncand = 0, i, pass;
	int rc;

	sum[0] = '\0';
	cl->map_err = KS_REDIS_ERR_CONNECT;
	cand = malloc((cl->map.nnodes + cl->base.path->nhosts) * sizeof(*cand) + 1);
	if (cand == NULL) {
		snprintf(sum, sumlen, "out of memory");
		return -1;
	}
	/* Masters of the old map first (they answered recently), then replicas, then the seeds. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < cl->map.nnodes; i++) {
			if (cl->map.nodes[i].is_master == (pass == 0)) {
				add_candidate(cand, &ncand, &cl->map.nodes[i].addr);
			}
		}
	}
	for (i = 0; i < cl->base.path->nhosts; i++) {
		const ks_redis_host *h = &cl->base.path->hosts[i];
		char err[100];
		if (ks_redis_endpoint_set(&seed, h->host, strlen(h->host), h->port, err, sizeof(err)) == 0) {
			add_candidate(cand, &ncand, &seed);
		}
	}
	rc = load_map_in_turn(cl, cand, ncand, deadline, sum, sumlen);
	free(cand);
	if (rc == 0) {
		cl->map_stale = false;
	}
	return rc;
}

static void cluster_free(void *t)
{
	cluster *cl = t;
	size_t i;

	if (cl == NULL) {
		return;
	}
	for (i = 0; i < cl->nnodes; i++) {
		ks_redis_conn_free(cl->nodes[i].conn);
	}
	free(cl->nodes);
	ks_redis_host_dtor(&cl->node_host);
	ks_redis_slot_map_free(&cl->map);
	free(cl);
}

static void *cluster_create(const ks_redis_path *path, ks_redis_counters *counters, const char *subject,
	char *err, size_t errlen)
{
	const ks_redis_host *last = &path->hosts[path->nhosts - 1];
	cluster *cl;
	size_t i;

	for (i = 0; i < path->nhosts; i++) {
		if (path->hosts[i].scheme != KS_REDIS_SCHEME_CLUSTER) {
			snprintf(err, errlen, "host %zu (%s) is not a cluster node: a cluster:// save_path lists only seed nodes",
				i + 1, path->hosts[i].desc);
			return NULL;
		}
	}
	if (last->params.database > 0) {
		snprintf(err, errlen, "database=%ld: Redis Cluster has only database 0", last->params.database);
		return NULL;
	}
	if ((cl = ks_redis_topo_new(sizeof(*cl), path, counters, subject, err, errlen)) == NULL) {
		return NULL;
	}
	if (ks_redis_host_copy(&cl->node_host, last) < 0) {
		snprintf(err, errlen, "out of memory");
		cluster_free(cl);
		return NULL;
	}
	ks_redis_slot_map_init(&cl->map);
	cl->map_stale = true;
	return cl;
}

/* Why no master can be found for `slot` right now, into sum; and whether
 * the map needs a load first (then the caller loads it). */
static const ks_redis_endpoint *owner_of(cluster *cl, unsigned slot, char *sum, size_t sumlen)
{
	int64_t now = ks_redis_now_ms();
	const ks_redis_endpoint *owner = NULL;

	if (!cl->map_stale || now < cl->map_retry_at) {
		owner = ks_redis_slot_map_master(&cl->map, slot);
	}
	if (owner != NULL) {
		return owner;   /* routed by the map (or, during the back-off, by the stale one) */
	}
	if (now < cl->map_retry_at) {
		snprintf(sum, sumlen, "the slot map could not be loaded %lld ms ago; this worker tries again %d ms after a failure (%.400s)",
			(long long)(now - cl->map_failed_at), KS_REDIS_MAP_RETRY_MS, cl->map_why);
	} else if (load_map(cl, sum, sumlen) == 0) {
		owner = ks_redis_slot_map_master(&cl->map, slot);
		if (owner == NULL) {
			snprintf(sum, sumlen, "no master serves slot %u (is the cluster down?)", slot);
		}
	} else {
		cl->map_failed_at = ks_redis_now_ms();
		cl->map_retry_at = cl->map_failed_at + KS_REDIS_MAP_RETRY_MS;
		snprintf(cl->map_why, sizeof(cl->map_why), "%s", sum);
	}
	return owner;
}

/*
 * The master's connection for key's slot; a connection with a sticky error
 * when none can be found. A stale map is loaded again first, except within
 * KS_REDIS_MAP_RETRY_MS of a load that failed: then the old map still
 * routes (a node that moved answers MOVED), and without one the request
 * fails at once with the last cause. So a cluster that does not answer
 * costs a worker one reload budget per KS_REDIS_MAP_RETRY_MS, not one per
 * request.
 */
static ks_redis_conn *cluster_route(void *t, const char *key, size_t len)
{
	cluster *cl = t;
	unsigned slot = ks_redis_cluster_key_slot(key, len);
	const ks_redis_host *first = &cl->base.path->hosts[0];
	const ks_redis_endpoint *owner;
	ks_redis_endpoint seed;
	ks_redis_conn *c;
	char sum[600], err[100];

	owner = owner_of(cl, slot, sum, sizeof(sum));
	if (owner != NULL) {
		return node_conn(cl, owner);
	}
	/* Report through the first seed's connection: the caller warns once. */
	if (ks_redis_endpoint_set(&seed, first->host, strlen(first->host), first->port, err, sizeof(err)) != 0
		|| (c = node_conn(cl, &seed)) == NULL) {
		return NULL;
	}
	cl->map_stale = true;
	ks_redis_conn_set_error(c, cl->map_err, "cannot route %s to a cluster master: %s", cl->base.subject, sum);
	return c;
}

static void cluster_each_conn(void *t, void (*fn)(ks_redis_conn *c))
{
	cluster *cl = t;
	size_t i;

	for (i = 0; i < cl->nnodes; i++) {
		fn(cl->nodes[i].conn);
	}
}

/*
 * Follows a MOVED/ASK answer to the one command of x (see the header
 * comment). On success *reply is replaced by the final reply; a failure at
 * the target becomes c's sticky error. A reply that is not a (usable)
 * redirection is left for the caller.
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
static ks_redis_status follow_redirect(cluster *cl, ks_redis_conn *c, const ks_redis_exec_info *x,
	ks_redis_reply **reply)
{
	static const char asking[] = "*1\r\n$6\r\nASKING\r\n";
	ks_redis_endpoint here;
	ks_redis_redirect r;
	ks_redis_conn *t;
	ks_redis_reply *got[2] = { NULL, NULL };
	char err[200];
	unsigned n;
	ks_redis_status st;

	if (ks_redis_endpoint_set(&here, c->host.host, strlen(c->host.host), c->host.port, err, sizeof(err)) != 0
		|| ks_redis_cluster_parse_redirect((*reply)->str, (*reply)->len, &here, &r, err, sizeof(err)) != 0
		|| r.kind == KS_REDIS_REDIRECT_NONE) {
		return KS_REDIS_OK;
	}
	if (cl->depth >= KS_REDIS_MAX_REDIRECTS) {
		return ks_redis_conn_set_error(c, KS_REDIS_ERR_REPLY, "%s: more than %d cluster redirections (slot %u)",
			c->host.desc, KS_REDIS_MAX_REDIRECTS, r.slot);
	}
	if (r.kind == KS_REDIS_REDIRECT_MOVED) {
		(void)ks_redis_slot_map_set(&cl->map, r.slot, &r.addr);   /* out of memory costs another MOVED */
	}
	if ((t = node_conn(cl, &r.addr)) == NULL) {
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
	n = r.kind == KS_REDIS_REDIRECT_ASK ? 2 : 1;
	if ((n == 2 && ks_redis_append_raw(t, asking, sizeof(asking) - 1, 1) != KS_REDIS_OK)
		|| ks_redis_append_raw(t, x->cmd, x->cmdlen, 1) != KS_REDIS_OK) {
		ks_redis_conn_set_error(c, KS_REDIS_ERR_OOM, "%s", t->errstr);
		ks_redis_conn_reset_error(t);
		return c->err;
	}
	cl->depth++;
	st = ks_redis_exec(t, got, n, x->extra_wait_ms, x->flags);
	cl->depth--;
	if (st != KS_REDIS_OK) {
		/* Reported once, on the connection the caller holds. */
		ks_redis_conn_set_error(c, t->err, "%s (redirected from %s)", t->errstr, c->host.desc);
		ks_redis_conn_reset_error(t);
		return c->err;
	}
	ks_redis_reply_free(*reply);
	if (n == 2) {
		ks_redis_reply_free(got[0]);
	}
	*reply = got[n - 1];
	return KS_REDIS_OK;
}

/*
 * A node's error reply: a redirection is followed; TRYAGAIN (this
 * multi-key command found only some keys on either side of a slot being
 * migrated: nothing ran, and moving one group of keys takes milliseconds)
 * is sent again after a nap, within the read timeout of the exec.
 */
static ks_redis_status cluster_on_error_reply(void *ctx, ks_redis_conn *c, ks_redis_exec_info *x,
	ks_redis_reply **reply)
{
	cluster *cl = ctx;

	if (follow_redirect(cl, c, x, reply) != KS_REDIS_OK) {
		return c->err;
	}
	if (cl->depth == 0 && ks_redis_reply_is_error(*reply, "TRYAGAIN")
		&& ks_redis_now_ms() + KS_REDIS_TRYAGAIN_MS < x->started + c->host.params.read_timeout_ms) {
		usleep(KS_REDIS_TRYAGAIN_MS * 1000);
		x->resend = true;
	}
	return KS_REDIS_OK;
}

const ks_redis_topology_type ks_redis_topo_cluster = {
	cluster_name, cluster_create, cluster_route, cluster_each_conn, cluster_free,
	{ NULL, cluster_on_error_reply, cluster_on_failure }
};
