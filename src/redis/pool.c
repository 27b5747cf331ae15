/*
 * pool.c: a save_path's topology and its connections (see pool.h).
 *
 *   path      deep copy of the parsed save_path the pool was built from;
 *             the topology's state borrows it
 *   type, t   the topology (topology.h) chosen from the path's scheme, and
 *             its state
 *   last      the connection of the last route (owned by the topology), for
 *             phpinfo and stats: the node in use; NULL before any
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redis/pool.h"
#include "redis/topo_single.h"
#include "redis/topo_ring.h"
#include "redis/topo_cluster.h"
#include "redis/topo_sentinel.h"

struct ks_redis_pool {
	ks_redis_path path;
	const ks_redis_topology_type *type;
	void *t;
	ks_redis_conn *last;
};

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
		if (ks_redis_host_copy(&dst->hosts[i], &src->hosts[i]) < 0) {
			ks_redis_path_dtor(dst);
			return -1;
		}
		dst->nhosts++;
	}
	return 0;
}

/* The topology a path asks for: its first host's scheme decides (the
 * topology checks that the others agree). */
static const ks_redis_topology_type *type_for(const ks_redis_path *path)
{
	switch (path->hosts[0].scheme) {
		case KS_REDIS_SCHEME_CLUSTER: return &ks_redis_topo_cluster;
		case KS_REDIS_SCHEME_SENTINEL: return &ks_redis_topo_sentinel;
		default: return path->nhosts > 1 ? &ks_redis_topo_ring : &ks_redis_topo_single;
	}
}

ks_redis_pool *ks_redis_pool_new(const ks_redis_path *path, ks_redis_counters *counters, const char *subject,
	char *err, size_t errlen)
{
	ks_redis_pool *p = calloc(1, sizeof(*p));

	if (p == NULL || path->nhosts == 0 || copy_path(&p->path, path) < 0) {
		free(p);
		snprintf(err, errlen, path->nhosts == 0 ? "no host" : "out of memory");
		return NULL;
	}
	p->type = type_for(&p->path);
	p->t = p->type->create(&p->path, counters, subject, err, errlen);
	if (p->t == NULL) {
		ks_redis_path_dtor(&p->path);
		free(p);
		return NULL;
	}
	return p;
}

void ks_redis_pool_free(ks_redis_pool *p)
{
	if (p == NULL) {
		return;
	}
	p->type->free(p->t);
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

ks_redis_conn *ks_redis_pool_route(ks_redis_pool *p, const char *key, size_t len)
{
	ks_redis_conn *c = p->type->route(p->t, key, len);

	if (c != NULL) {
		p->last = c;
	}
	return c;
}

static void reset_one(ks_redis_conn *c)
{
	if (c->err != KS_REDIS_OK) {
		ks_redis_conn_reset_error(c);   /* tells the topology's on_failure hook */
	}
}

void ks_redis_pool_reset_errors(ks_redis_pool *p)
{
	p->type->each_conn(p->t, reset_one);
}

void ks_redis_pool_recheck(ks_redis_pool *p)
{
	p->type->each_conn(p->t, ks_redis_conn_recheck);
}

void ks_redis_pool_disconnect(ks_redis_pool *p)
{
	p->type->each_conn(p->t, ks_redis_conn_disconnect);
}

const char *ks_redis_pool_topology(const ks_redis_pool *p)
{
	return p->type->name(p->t);
}

size_t ks_redis_pool_nhosts(const ks_redis_pool *p)
{
	return p->path.nhosts;
}

const char *ks_redis_pool_host_desc(const ks_redis_pool *p, size_t i)
{
	return i < p->path.nhosts ? p->path.hosts[i].desc : "";
}

void ks_redis_pool_describe(const ks_redis_pool *p, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < p->path.nhosts && used + 1 < len; i++) {
		const ks_redis_host *h = &p->path.hosts[i];
		int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", h->desc);

		if (n > 0 && p->path.nhosts > 1 && (size_t)n < len - used) {
			used += (size_t)n;
			n = snprintf(buf + used, len - used, " (weight %d)", h->params.weight);
		}
		if (n < 0 || (size_t)n >= len - used) {
			break;
		}
		used += (size_t)n;
	}
}

const ks_redis_conn *ks_redis_pool_current(const ks_redis_pool *p)
{
	return p->last;
}

bool ks_redis_pool_sentinel_auth(const ks_redis_pool *p, bool *set)
{
	size_t i;

	*set = false;
	if (p->type != &ks_redis_topo_sentinel) {
		return false;
	}
	for (i = 0; i < p->path.nhosts; i++) {
		const char *pw = p->path.hosts[i].params.sentinel_auth;
		if (p->path.hosts[i].params.master) {
			*set = pw && *pw;
		}
	}
	return true;
}
