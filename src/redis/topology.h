/*
 * topology.h: how a pool finds the server for a key, one table of
 * functions per kind of deployment (in the manner of Redis's dictType).
 *
 *   ks_redis_topo_single     one host                       topo_single.c
 *   ks_redis_topo_ring       several hosts, consistent hash  topo_ring.c (ring.c)
 *   ks_redis_topo_cluster    Redis Cluster slots             topo_cluster.c (cluster.c)
 *   ks_redis_topo_sentinel   the master Sentinel names       topo_sentinel.c (sentinel.c)
 *
 * Each table is declared in its file's own header (topo_single.h, ...),
 * which only pool.c includes: the four files share this header and
 * topology.c, never each other.
 *
 * A topology's state (void *t) is made by create() from the pool's copy of
 * the save_path, which outlives it, and owns every connection it makes. It
 * starts with a ks_redis_topo_base, which ks_redis_topo_new() (topology.c)
 * allocates and fills in: the prologue every create() shares.
 * The connections get the topology's hooks (conn.h): that is how a
 * sentinel connection finds its master on connect, and how a cluster
 * connection follows MOVED and ASK and marks the map stale on failure;
 * conn.c itself knows none of them. Private to src/redis/: the pool
 * (pool.h) is the public face.
 *
 * What the pool does with the table: route() on every ks_redis_pool_route;
 * each_conn() to reset errors (each connection's reset runs the
 * on_failure hook) and to disconnect at the end of a non-persistent
 * request; name() for phpinfo and stats (the host list is the save_path's,
 * the same for every topology, so pool.c describes it); free() with the
 * pool.
 */
#ifndef KS_REDIS_TOPOLOGY_H
#define KS_REDIS_TOPOLOGY_H

#include <stddef.h>

#include "redis/conn.h"
#include "redis/path.h"

typedef struct ks_redis_topology_type {
	/* The name phpinfo and stats show ("tcp", "ring", "cluster", ...). */
	const char *(*name)(const void *t);
	/* Checks path and builds the state: NULL with a reason in err. path and
	 * subject (see ks_redis_pool_new) are borrowed for the state's life;
	 * counters may be NULL. */
	void *(*create)(const ks_redis_path *path, ks_redis_counters *counters, const char *subject,
		char *err, size_t errlen);
	/* The connection serving key[0..len) (see ks_redis_pool_route). */
	ks_redis_conn *(*route)(void *t, const char *key, size_t len);
	/* Calls fn on every connection the state made (reset, disconnect). */
	void (*each_conn)(void *t, void (*fn)(ks_redis_conn *c));
	/* Frees the state and its connections. NULL-safe. */
	void (*free)(void *t);
	/* Given to every connection the state makes (NULL members: none). */
	ks_redis_conn_hooks hooks;
} ks_redis_topology_type;

/* The first member of every topology's state. */
typedef struct ks_redis_topo_base {
	const ks_redis_path *path;    /* the pool's save_path (borrowed, outlives the state) */
	ks_redis_counters *counters;  /* given to every connection; borrowed, may be NULL */
	const char *subject;          /* what the keys hold, for messages (borrowed) */
} ks_redis_topo_base;

/*
 * The prologue of every create(): a zeroed state of `size` bytes (a struct
 * whose first member is a ks_redis_topo_base) with its base set from
 * create()'s arguments. Returns it (the caller frees it with free()), or
 * NULL with "out of memory" in err.
 */
void *ks_redis_topo_new(size_t size, const ks_redis_path *path, ks_redis_counters *counters,
	const char *subject, char *err, size_t errlen);

#endif /* KS_REDIS_TOPOLOGY_H */
