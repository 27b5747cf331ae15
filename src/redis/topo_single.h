/*
 * topo_single.h: the topology of one tcp://, tls:// or unix:// host
 * (topo_single.c), one of the four tables of topology.h. Only pool.c,
 * which picks the table, needs it.
 */
#ifndef KS_REDIS_TOPO_SINGLE_H
#define KS_REDIS_TOPO_SINGLE_H

#include "redis/topology.h"

extern const ks_redis_topology_type ks_redis_topo_single;

#endif /* KS_REDIS_TOPO_SINGLE_H */
