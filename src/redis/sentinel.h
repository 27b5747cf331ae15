/*
 * sentinel.h: reading what Redis Sentinel and a discovered master say.
 * Pure logic: the caller sends the commands and hands over the replies.
 *
 * Discovery, as the connection layer runs it (phase 2 of issue 5):
 *   1. ask each sentinel in turn "SENTINEL get-master-addr-by-name <name>";
 *      the first that answers with an address wins (and is asked first next
 *      time: ks_redis_sentinel_prefer);
 *   2. connect to that address and send ROLE; only a "master" role is
 *      accepted, because a sentinel may still name a demoted master for a
 *      moment after a failover;
 *   3. on a later error reply that means "this node is no longer a writable
 *      master" (ks_redis_error_needs_rediscovery), drop the connection and go
 *      back to 1. Such an error is never reported as "session busy".
 */
#ifndef KS_REDIS_SENTINEL_H
#define KS_REDIS_SENTINEL_H

#include <stddef.h>
#include <hiredis/hiredis.h>

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
ks_redis_sentinel_answer ks_redis_sentinel_parse_master_addr(const redisReply *reply,
	ks_redis_endpoint *out, char *err, size_t errlen);

/* The role named by the first element of a ROLE reply ("master", "slave", "sentinel"). */
ks_redis_role ks_redis_parse_role(const redisReply *reply);

/* "master", "replica", "sentinel" or "unknown", for warnings and stats. */
const char *ks_redis_role_name(ks_redis_role role);

/*
 * 1 when an error reply's text says the node can no longer take writes for
 * this master: "READONLY ..." (a demoted master, now a replica) or
 * "MASTERDOWN ..." (a replica cut off from its master). The caller should
 * forget the master and ask the sentinels again. 0 for any other error.
 */
int ks_redis_error_needs_rediscovery(const char *s, size_t len);

/*
 * Moves order[at] to the front of order[0..n), keeping the others in their
 * order: the sentinel that answered last is asked first next time. order
 * holds indexes into the caller's list of sentinels.
 */
void ks_redis_sentinel_prefer(size_t *order, size_t n, size_t at);

#endif
