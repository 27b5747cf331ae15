/*
 * topo_single.c: the topology of one tcp://, tls:// or unix:// host
 * (topology.h). Its state is that host and one connection to it, made on
 * the first route; every key goes there.
 */
#include <stdio.h>
#include <stdlib.h>

#include "redis/topo_single.h"

typedef struct single {
	ks_redis_topo_base base;
	const ks_redis_host *host;    /* base.path's only host */
	ks_redis_conn *conn;          /* NULL until the first route */
} single;

static const char *single_name(const void *t)
{
	switch (((const single *)t)->host->scheme) {
		case KS_REDIS_SCHEME_UNIX: return "unix";
		case KS_REDIS_SCHEME_TLS: return "tls";
		default: return "tcp";
	}
}

static void *single_create(const ks_redis_path *path, ks_redis_counters *counters, const char *subject,
	char *err, size_t errlen)
{
	single *s = ks_redis_topo_new(sizeof(*s), path, counters, subject, err, errlen);

	if (s != NULL) {
		s->host = &path->hosts[0];
	}
	return s;
}

static ks_redis_conn *single_route(void *t, const char *key, size_t len)
{
	single *s = t;

	(void)key;
	(void)len;
	if (s->conn == NULL) {
		s->conn = ks_redis_conn_new(s->host, s->base.counters);
	}
	return s->conn;
}

static void single_each_conn(void *t, void (*fn)(ks_redis_conn *c))
{
	single *s = t;

	if (s->conn != NULL) {
		fn(s->conn);
	}
}

static void single_free(void *t)
{
	single *s = t;

	if (s != NULL) {
		ks_redis_conn_free(s->conn);
		free(s);
	}
}

const ks_redis_topology_type ks_redis_topo_single = {
	single_name, single_create, single_route, single_each_conn, single_free, { NULL, NULL, NULL }
};
