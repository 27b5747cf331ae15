/*
 * pool.h: the connections of one save_path, and which one serves a session.
 *
 * A pool is what PS_OPEN binds a request to: one lazily created connection
 * per host of the save_path (no I/O until a command needs it) and, when
 * there are several hosts, a weighted consistent-hash ring (ring.h) over
 * them. A session id always maps to the same connection, so every
 * operation of a session (lock, read, write, release, destroy) goes to
 * the same host, and a host that is down fails only its own sessions.
 *
 *   path       deep copy of the parsed save_path the pool was built from
 *   conns[i]   connection to path.hosts[i], NULL until first routed to
 *   ring       built when path.nhosts > 1; the ring's names are "host:port"
 *              (or the socket path), never the scheme or the query, so
 *              changing a timeout or moving tcp:// to tls:// keeps every
 *              session where it is, and only adding or removing a host
 *              moves sessions (about 1/N of them)
 *   sentinel   sentinel:// save paths: every host is a sentinel, and the
 *              pool has one connection, made from sentinel_host: the host
 *              carrying master= (its parameters apply to the master), with
 *              params.sentinels listing every sentinel; sentinel_transport.c
 *              discovers the master on each connect
 *   cluster    cluster:// save paths: every host is a seed node; the pool
 *              keeps the slot map (cluster.h) across requests and one
 *              connection per node it has talked to (nodes[]), all made
 *              from node_host's parameters (the last host's: the query is
 *              written once, at the end). A session goes to the master of
 *              its id's slot (the keys' hash tag is the id). MOVED and ASK
 *              are followed by conn.c through `redir`; MOVED updates the
 *              map. The map is loaded again (map_stale) after a node failed
 *              to answer, so a promoted replica is found after a failover.
 *              A load asks each known node once (masters, replicas, then
 *              seeds) within one budget of connect + read timeout; after a
 *              failed one the worker waits KS_REDIS_MAP_RETRY_MS before the
 *              next (map_retry_at), routing by the old map meanwhile. A load
 *              whose budget ran out before every node was asked makes the
 *              next one start at the first node it left out (map_next), so
 *              silent nodes listed first cannot hide a healthy one forever.
 *   last       the connection of the last routed session, for phpinfo and
 *              keepsake_session_stats() ("node in use"); NULL before any
 *
 * Ownership: everything is malloc()ed (it lives per worker across
 * requests, pemalloc(..., 1) semantics) and freed by ks_redis_pool_free.
 * No locking: a pool belongs to one worker (one ZTS thread).
 */
#ifndef KS_REDIS_POOL_H
#define KS_REDIS_POOL_H

/* cluster: a worker whose map load failed waits this long before the next
 * load (meanwhile the old map routes, or the request fails at once). */
#define KS_REDIS_MAP_RETRY_MS 1000
/* cluster: the least time one node gets of a load's budget. */
#define KS_REDIS_MAP_MIN_SHARE_MS 50

#include "redis/conn.h"
#include "redis/ring.h"
#include "redis/cluster.h"

typedef struct ks_redis_pool {
	ks_redis_path path;
	ks_redis_conn **conns;        /* path.nhosts entries */
	ks_redis_ring ring;           /* empty when path.nhosts == 1 */
	ks_redis_conn *last;          /* borrowed from conns */
	bool sentinel;
	ks_redis_host sentinel_host;  /* valid when sentinel; owned */
	bool cluster;
	ks_redis_host node_host;      /* valid when cluster: parameters for every node; owned */
	ks_redis_slot_map map;        /* cluster: empty until first loaded */
	bool map_stale;               /* cluster: load the map before the next route */
	size_t map_next;              /* cluster: where the next load starts in its candidate
	                                 list: the first node the last failed load left unasked
	                                 (0 after a load that succeeded or asked every node) */
	int64_t map_failed_at;        /* cluster: when the last load failed (ks_redis_now_ms) */
	int64_t map_retry_at;         /* cluster: no load before this time (0: any time); set
	                                 KS_REDIS_MAP_RETRY_MS after a failed load */
	char map_why[600];            /* cluster: the causes of the last failed load */
	ks_redis_status map_err;      /* cluster: why the last map load failed (AUTH wins
	                                 over CONNECT, so a refused password is reported
	                                 as auth on every topology) */
	struct ks_redis_pool_node {
		ks_redis_endpoint addr;
		ks_redis_conn *conn;
	} *nodes;                     /* cluster: malloc'd, nnodes entries */
	size_t nnodes, capnodes;
	ks_redis_redirector redir;    /* cluster: given to every node connection */
	ks_redis_counters *counters;  /* borrowed, may be NULL */
} ks_redis_pool;

/*
 * Builds a pool for path (deep-copied; the caller keeps its own). Returns
 * NULL with a reason in err on a bad ring (weights, duplicate hosts) or
 * when out of memory.
 */
ks_redis_pool *ks_redis_pool_new(const ks_redis_path *path, ks_redis_counters *counters,
	char *err, size_t errlen);

/* Frees the pool and closes its sockets (without I/O when another process owns them). NULL-safe. */
void ks_redis_pool_free(ks_redis_pool *p);

/* True when the pool serves exactly these hosts with the same parameters and weights. */
bool ks_redis_pool_matches(const ks_redis_pool *p, const ks_redis_path *path);

/*
 * The connection that serves session id sid[0..len) (created on first use,
 * no I/O). Returns NULL only when out of memory.
 */
ks_redis_conn *ks_redis_pool_route(ks_redis_pool *p, const char *sid, size_t len);

/* Clears every connection's sticky error (see ks_redis_conn_reset_error). */
void ks_redis_pool_reset_errors(ks_redis_pool *p);

/* Closes every socket, keeps the objects (persistent=0 at request end). */
void ks_redis_pool_disconnect(ks_redis_pool *p);

/* "tcp" / "unix" / "tls" for one host, "ring" for several, "sentinel", "cluster": for phpinfo and stats. */
const char *ks_redis_pool_topology(const ks_redis_pool *p);

/* The parameters that apply to every session of a save_path (prefix,
 * persistent): the first host's, or for sentinel:// those of the host
 * carrying master=. Read them from the request's own parsed path: a pool is
 * reused across save_paths that differ only in such parameters. */
const ks_redis_params *ks_redis_path_session_params(const ks_redis_path *path);

#endif
