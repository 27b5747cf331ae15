/*
 * pool.h: the connections of one save_path, and which one serves a key.
 *
 * A pool is what a caller binds to a parsed save_path (path.h): one
 * topology (topology.h) over lazily created connections (no I/O until a
 * command needs one). Which topology follows from the path:
 *
 *   one tcp://, tls:// or unix:// host   that host (topo_single.c)
 *   several such hosts                   a weighted consistent-hash ring (topo_ring.c)
 *   cluster:// seed nodes                the slot map, MOVED and ASK (topo_cluster.c)
 *   sentinel:// sentinels                the master they name (topo_sentinel.c)
 *
 * A key always routes to the same connection while the topology stays the
 * same, so every command on one key (or on one group of keys sharing a
 * hash tag) goes to one server, and a server that is down fails only its
 * own keys.
 *
 * The struct is private to pool.c: callers use the functions below.
 * Ownership: a pool and everything in it is malloc()ed (it lives per
 * worker across requests, pemalloc(..., 1) semantics) and freed by
 * ks_redis_pool_free. No locking: a pool belongs to one worker (one ZTS
 * thread).
 */
#ifndef KS_REDIS_POOL_H
#define KS_REDIS_POOL_H

#include <stddef.h>
#include <stdbool.h>

#include "redis/conn.h"
#include "redis/path.h"

typedef struct ks_redis_pool ks_redis_pool;

/*
 * Builds a pool for path (deep-copied; the caller keeps its own).
 * `counters` is borrowed for the pool's life and may be NULL. `subject`
 * names what the caller's keys hold, for messages that have no key to
 * name ("cannot route <subject> to a cluster master"); a static string.
 * Returns NULL with a reason in err on a path no topology accepts
 * (weights, duplicate hosts, sentinels without master=, ...) or when out
 * of memory.
 */
ks_redis_pool *ks_redis_pool_new(const ks_redis_path *path, ks_redis_counters *counters, const char *subject,
	char *err, size_t errlen);

/* Frees the pool and closes its sockets (without I/O when another process owns them). NULL-safe. */
void ks_redis_pool_free(ks_redis_pool *p);

/* True when the pool serves exactly these hosts with the same connection
 * parameters and weights (parameters a socket does not use may differ). */
bool ks_redis_pool_matches(const ks_redis_pool *p, const ks_redis_path *path);

/*
 * The connection that serves key[0..len) (created on first use, no I/O).
 * `key` is a whole key or the hash-tag content that a group of keys
 * shares: the ring hashes the bytes as given, Redis Cluster applies its
 * {tag} rule to them (bytes without braces hash whole), so passing the
 * tag's content routes every key "...{tag}..." together. The connection
 * may carry a sticky error when no server can be found (cluster:// with no
 * slot map): the caller reports it as any other. Returns NULL only when
 * out of memory.
 */
ks_redis_conn *ks_redis_pool_route(ks_redis_pool *p, const char *key, size_t len);

/* Clears every connection's sticky error (see ks_redis_conn_reset_error). */
void ks_redis_pool_reset_errors(ks_redis_pool *p);
/* A new unit of work (a request) starts: ks_redis_conn_recheck() on every
 * connection of the pool. */
void ks_redis_pool_recheck(ks_redis_pool *p);

/* Closes every socket, keeps the objects (persistent=0 at request end). */
void ks_redis_pool_disconnect(ks_redis_pool *p);

/* "tcp" / "unix" / "tls" for one host, "ring" for several, "sentinel", "cluster". */
const char *ks_redis_pool_topology(const ks_redis_pool *p);

/* How many hosts the save_path lists, and the description of host i
 * ("tcp://h:p", never a password), for phpinfo and stats. */
size_t ks_redis_pool_nhosts(const ks_redis_pool *p);
const char *ks_redis_pool_host_desc(const ks_redis_pool *p, size_t i);

/* The hosts in one line, "tcp://a:1 (weight 2), tcp://b:2" (weights only
 * when there are several hosts), cut to fit len. */
void ks_redis_pool_describe(const ks_redis_pool *p, char *buf, size_t len);

/* The connection of the last route, NULL before any: phpinfo and stats
 * show it as the node in use (ks_redis_conn_node, ks_redis_conn_is_connected). */
const ks_redis_conn *ks_redis_pool_current(const ks_redis_pool *p);

/* sentinel://: true, with *set telling whether sentinel_auth is given.
 * Other topologies: false (they have no sentinels). */
bool ks_redis_pool_sentinel_auth(const ks_redis_pool *p, bool *set);

#endif
