/*
 * topo_cluster.h: the topology of Redis Cluster (topo_cluster.c), one of
 * the four tables of topology.h. Only pool.c, which picks the table, needs it.
 */
#ifndef KS_REDIS_TOPO_CLUSTER_H
#define KS_REDIS_TOPO_CLUSTER_H

#include "redis/topology.h"

extern const ks_redis_topology_type ks_redis_topo_cluster;

#endif /* KS_REDIS_TOPO_CLUSTER_H */
