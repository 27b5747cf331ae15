/*
 * cluster.h: Redis Cluster's key-to-slot rule, its slot map and its
 * redirections (MOVED, ASK). Pure logic: nothing here does I/O.
 *
 * The slot map says which master serves each of the 16384 hash slots:
 *
 *   nodes[0..nnodes)  every node the last CLUSTER SLOTS named, masters and
 *                     replicas, each once; a MOVED reply may append a master.
 *                     Replicas are kept as seeds for rediscovery: after a
 *                     failover the promoted replica is the one that answers.
 *   owner[slot]       index into nodes of the master serving slot, or
 *                     KS_REDIS_SLOT_UNOWNED while no master claims it (a
 *                     cluster being built, or a master lost with no replica).
 *
 * Invariants: every owner[] value is KS_REDIS_SLOT_UNOWNED or < nnodes and
 * names a node with is_master set; nnodes <= KS_REDIS_CLUSTER_MAX_NODES.
 * Ownership: a map is one malloc()ed block per nodes array, owned by the map
 * and freed by ks_redis_slot_map_free(). A map outlives requests (one per
 * worker and save path) so it uses the C allocator, like pemalloc(..., 1),
 * which keeps this file free of PHP and testable on its own. Nothing here
 * locks: a map belongs to one worker.
 */
#ifndef KS_REDIS_CLUSTER_H
#define KS_REDIS_CLUSTER_H

#include <stddef.h>
#include <stdint.h>
#include "redis/reply.h"

#include "redis/endpoint.h"

#define KS_REDIS_CLUSTER_SLOTS 16384
#define KS_REDIS_SLOT_UNOWNED 0xffffu
/* A bound on what a reply can make us allocate; real clusters are far smaller. */
#define KS_REDIS_CLUSTER_MAX_NODES 4096

typedef struct ks_redis_cluster_node {
	ks_redis_endpoint addr;
	int is_master; /* 1: serves slots in this map; 0: replica, a seed only */
} ks_redis_cluster_node;

typedef struct ks_redis_slot_map {
	ks_redis_cluster_node *nodes;             /* malloc()ed, nnodes entries */
	size_t nnodes;
	size_t cap;                               /* allocated entries of nodes */
	uint16_t owner[KS_REDIS_CLUSTER_SLOTS];   /* see the invariants above */
} ks_redis_slot_map;

typedef enum ks_redis_redirect_kind {
	KS_REDIS_REDIRECT_NONE = 0, /* the error is not a redirection */
	KS_REDIS_REDIRECT_MOVED,    /* the slot lives elsewhere for good: update the map */
	KS_REDIS_REDIRECT_ASK       /* slot being migrated: ASKING + retry once there */
} ks_redis_redirect_kind;

typedef struct ks_redis_redirect {
	ks_redis_redirect_kind kind;
	unsigned slot;
	ks_redis_endpoint addr;
} ks_redis_redirect;

/*
 * The slot of a key: CRC16 of the key modulo 16384, where a key containing
 * "{...}" with at least one byte between the first '{' and the first '}'
 * after it hashes only those bytes (the hash tag). Keys such as
 * "<prefix>{<id>}" and "<prefix>{<id>}:lock" so share a slot, and the
 * bytes "<id>" alone (no braces) hash to that same slot.
 */
unsigned ks_redis_cluster_key_slot(const char *key, size_t len);

/* An empty map: no nodes, every slot unowned. */
void ks_redis_slot_map_init(ks_redis_slot_map *map);

/* Frees the nodes and leaves an empty map. Safe on an empty or zeroed map. */
void ks_redis_slot_map_free(ks_redis_slot_map *map);

/*
 * Builds a map from a CLUSTER SLOTS reply into out (initialised here; the
 * caller frees it, also on failure). Each element is
 * [start, end, [host, port, id, ...], [replica host, port, ...]...].
 * A node whose host is "" or "?" (Redis does not know its own address) gets
 * asked->host, the node that sent the reply. Returns 0, or -1 with a reason
 * in err when the reply is not a well-formed slots table. A map that covers
 * no slot at all is an error too: it would route nothing.
 */
int ks_redis_slot_map_parse(ks_redis_slot_map *out, const ks_redis_reply *reply,
	const ks_redis_endpoint *asked, char *err, size_t errlen);

/* The master serving slot, or NULL when no master claims it. */
const ks_redis_endpoint *ks_redis_slot_map_master(const ks_redis_slot_map *map, unsigned slot);

/*
 * Records that addr now serves slot (after MOVED), adding addr as a master
 * when the map does not know it yet. Returns 0, or -1 when out of memory or
 * when the map already holds KS_REDIS_CLUSTER_MAX_NODES nodes; the map is
 * unchanged on failure.
 */
int ks_redis_slot_map_set(ks_redis_slot_map *map, unsigned slot, const ks_redis_endpoint *addr);

/* How many slots no master claims; 0 for a healthy cluster's map. */
size_t ks_redis_slot_map_unowned(const ks_redis_slot_map *map);

/* How many distinct masters own at least one slot. */
size_t ks_redis_slot_map_masters(const ks_redis_slot_map *map);

/*
 * Reads an error reply's text ("MOVED 3999 127.0.0.1:7002",
 * "ASK 3999 :7002", ...) into out. kind is NONE for any other error.
 * An empty host in the reply is replaced by current->host (Redis writes
 * ":port" when the node has no announced address). Returns 0 (out->kind
 * tells what was found), or -1 with a reason in err for a MOVED/ASK whose
 * slot or address is malformed.
 */
int ks_redis_cluster_parse_redirect(const char *s, size_t len, const ks_redis_endpoint *current,
	ks_redis_redirect *out, char *err, size_t errlen);

#endif
