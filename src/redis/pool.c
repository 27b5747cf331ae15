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
	if (path->hosts[0].scheme == KS_REDIS_SCHEME_SENTINEL) {
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
	size_t i = p->path.nhosts > 1 && !p->sentinel ? ks_redis_ring_lookup(&p->ring, sid, len) : 0;

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

	for (i = 0; i < p->path.nhosts; i++) {
		if (p->conns[i] != NULL && p->conns[i]->err != KS_REDIS_OK) {
			ks_redis_conn_reset_error(p->conns[i]);
		}
	}
}

void ks_redis_pool_disconnect(ks_redis_pool *p)
{
	size_t i;

	for (i = 0; i < p->path.nhosts; i++) {
		ks_redis_conn_disconnect(p->conns[i]);
	}
}

const ks_redis_params *ks_redis_path_session_params(const ks_redis_path *path)
{
	size_t i;

	for (i = 0; path->hosts[0].scheme == KS_REDIS_SCHEME_SENTINEL && i < path->nhosts; i++) {
		if (path->hosts[i].params.master) {
			return &path->hosts[i].params;
		}
	}
	return &path->hosts[0].params;
}

const char *ks_redis_pool_topology(const ks_redis_pool *p)
{
	if (p->sentinel) {
		return "sentinel";
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
