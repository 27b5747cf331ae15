/*
 * topo_ring.c: the topology of several tcp://, tls:// or unix:// hosts
 * (topology.h): a weighted consistent-hash ring (ring.h) picks the host of
 * each key.
 *
 *   base       the pool's save_path and counters (topology.h), borrowed
 *   conns[i]   connection to base.path->hosts[i], NULL until first routed to
 *   ring       the ring's names are "host:port" (or the socket path), never
 *              the scheme or the query, so changing a timeout or moving
 *              tcp:// to tls:// keeps every key where it is, and only
 *              adding or removing a host moves keys (about 1/N of them)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redis/topo_ring.h"
#include "redis/ring.h"

typedef struct ring {
	ks_redis_topo_base base;
	ks_redis_conn **conns;        /* base.path->nhosts entries */
	ks_redis_ring ring;
} ring;

static const char *ring_name(const void *t)
{
	(void)t;
	return "ring";
}

/* The ring name of a host: "host:port", or the socket path. */
static void host_name(const ks_redis_host *h, char *buf, size_t len)
{
	if (h->scheme == KS_REDIS_SCHEME_UNIX) {
		snprintf(buf, len, "%s", h->host);
	} else {
		snprintf(buf, len, "%s:%d", h->host, h->port);
	}
}

static int build_ring(ring *r, char *err, size_t errlen)
{
	size_t i, n = r->base.path->nhosts;
	ks_redis_ring_host *rh = calloc(n, sizeof(*rh));
	char (*names)[300] = calloc(n, sizeof(*names));
	int rc = -1;

	if (rh == NULL || names == NULL) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	for (i = 0; i < n; i++) {
		host_name(&r->base.path->hosts[i], names[i], sizeof(names[i]));
		rh[i].name = names[i];
		rh[i].name_len = strlen(names[i]);
		rh[i].weight = (unsigned)r->base.path->hosts[i].params.weight;
	}
	rc = ks_redis_ring_build(&r->ring, rh, n, err, errlen);
done:
	free(rh);
	free(names);
	return rc;
}

static void ring_free(void *t)
{
	ring *r = t;
	size_t i;

	if (r == NULL) {
		return;
	}
	for (i = 0; r->conns && i < r->base.path->nhosts; i++) {
		ks_redis_conn_free(r->conns[i]);
	}
	free(r->conns);
	ks_redis_ring_free(&r->ring);
	free(r);
}

static void *ring_create(const ks_redis_path *path, ks_redis_counters *counters, const char *subject,
	char *err, size_t errlen)
{
	ring *r = ks_redis_topo_new(sizeof(*r), path, counters, subject, err, errlen);

	if (r == NULL) {
		return NULL;
	}
	if ((r->conns = calloc(path->nhosts, sizeof(*r->conns))) == NULL) {
		free(r);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (build_ring(r, err, errlen) < 0) {
		ring_free(r);
		return NULL;
	}
	return r;
}

static ks_redis_conn *ring_route(void *t, const char *key, size_t len)
{
	ring *r = t;
	size_t i = ks_redis_ring_lookup(&r->ring, key, len);

	if (r->conns[i] == NULL) {
		r->conns[i] = ks_redis_conn_new(&r->base.path->hosts[i], r->base.counters);
	}
	return r->conns[i];
}

static void ring_each_conn(void *t, void (*fn)(ks_redis_conn *c))
{
	ring *r = t;
	size_t i;

	for (i = 0; i < r->base.path->nhosts; i++) {
		if (r->conns[i] != NULL) {
			fn(r->conns[i]);
		}
	}
}

const ks_redis_topology_type ks_redis_topo_ring = {
	ring_name, ring_create, ring_route, ring_each_conn, ring_free, { NULL, NULL, NULL }
};
