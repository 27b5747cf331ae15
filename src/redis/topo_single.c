/*
 * topo_single.c: the topology of one tcp://, tls:// or unix:// host
 * (topology.h). Its state is that host and one connection to it, made on
 * the first route; every key goes there.
 */
#include <stdio.h>
#include <stdlib.h>

#include "redis/topology.h"

typedef struct single {
	const ks_redis_host *host;    /* borrowed from the pool's path */
	ks_redis_conn *conn;          /* NULL until the first route */
	ks_redis_counters *counters;  /* borrowed, may be NULL */
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
	single *s = calloc(1, sizeof(*s));

	(void)subject;

	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->host = &path->hosts[0];
	s->counters = counters;
	return s;
}

static ks_redis_conn *single_route(void *t, const char *key, size_t len)
{
	single *s = t;

	(void)key;
	(void)len;
	if (s->conn == NULL) {
		s->conn = ks_redis_conn_new(s->host, s->counters);
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
