/*
 * topo_sentinel.h: the topology of the master Sentinel names
 * (topo_sentinel.c), one of the four tables of topology.h. Only pool.c,
 * which picks the table, needs it.
 */
#ifndef KS_REDIS_TOPO_SENTINEL_H
#define KS_REDIS_TOPO_SENTINEL_H

#include "redis/topology.h"

extern const ks_redis_topology_type ks_redis_topo_sentinel;

#endif /* KS_REDIS_TOPO_SENTINEL_H */
