/*
 * topology.c: what the four topologies (topology.h) share: the making of
 * a state's common head, ks_redis_topo_base.
 */
#include <stdio.h>
#include <stdlib.h>

#include "redis/topology.h"

void *ks_redis_topo_new(size_t size, const ks_redis_path *path, ks_redis_counters *counters,
	const char *subject, char *err, size_t errlen)
{
	ks_redis_topo_base *b = calloc(1, size);

	if (b == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	b->path = path;
	b->counters = counters;
	b->subject = subject;
	return b;
}
