/*
 * topo_ring.h: the topology of several hosts on a consistent-hash ring
 * (topo_ring.c), one of the four tables of topology.h. Only pool.c, which
 * picks the table, needs it.
 */
#ifndef KS_REDIS_TOPO_RING_H
#define KS_REDIS_TOPO_RING_H

#include "redis/topology.h"

extern const ks_redis_topology_type ks_redis_topo_ring;

#endif /* KS_REDIS_TOPO_RING_H */
