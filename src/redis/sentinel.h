/*
 * sentinel.h: reading what Redis Sentinel and a discovered master say.
 * Pure logic: the caller sends the commands and hands over the replies.
 *
 * Discovery, as topo_sentinel.c runs it:
 *   1. ask each sentinel in turn "SENTINEL get-master-addr-by-name <name>";
 *      the first that answers with an address wins (and is asked first next
 *      time: ks_redis_sentinel_prefer);
 *   2. connect to that address and send ROLE; only a "master" role is
 *      accepted, because a sentinel may still name a demoted master for a
 *      moment after a failover;
 *   3. on a later error reply that means "this node is no longer a writable
 *      master" (ks_redis_reply_needs_rediscovery), drop the connection and go
 *      back to 1. Such an error is never reported as a lock being busy.
 */
#ifndef KS_REDIS_SENTINEL_H
#define KS_REDIS_SENTINEL_H

#include <stddef.h>
#include "redis/reply.h"

#include "redis/endpoint.h"

typedef enum ks_redis_sentinel_answer {
	KS_REDIS_SENTINEL_ERROR = -1,    /* malformed or error reply: err says why */
	KS_REDIS_SENTINEL_UNKNOWN = 0,   /* nil: this sentinel does not monitor that name */
	KS_REDIS_SENTINEL_FOUND = 1      /* out holds the master's address */
} ks_redis_sentinel_answer;

typedef enum ks_redis_role {
	KS_REDIS_ROLE_UNKNOWN = 0,
	KS_REDIS_ROLE_MASTER,
	KS_REDIS_ROLE_REPLICA,
	KS_REDIS_ROLE_SENTINEL
} ks_redis_role;

/*
 * Reads the reply to SENTINEL get-master-addr-by-name: [host, port] or nil.
 * The port comes as a bulk string. err is filled for KS_REDIS_SENTINEL_ERROR.
 */
ks_redis_sentinel_answer ks_redis_sentinel_parse_master_addr(const ks_redis_reply *reply,
	ks_redis_endpoint *out, char *err, size_t errlen);

/* The role named by the first element of a ROLE reply ("master", "slave", "sentinel"). */
ks_redis_role ks_redis_parse_role(const ks_redis_reply *reply);

/* "master", "replica", "sentinel" or "unknown", for warnings and stats. */
const char *ks_redis_role_name(ks_redis_role role);

/*
 * Moves order[at] to the front of order[0..n), keeping the others in their
 * order: the sentinel that answered last is asked first next time. order
 * holds indexes into the caller's list of sentinels.
 */
void ks_redis_sentinel_prefer(size_t *order, size_t n, size_t at);

#endif
