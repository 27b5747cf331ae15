/*
 * ring.h: a weighted consistent-hash ring that maps a key to one of
 * several hosts.
 *
 * Each host owns KS_REDIS_RING_POINTS_PER_WEIGHT * weight points on a 32-bit
 * circle; a point's position is a hash of the host's name and the point's
 * number, so it depends only on that host, never on the others. A key goes
 * to the host owning the first point at or after the key's hash (wrapping
 * round). Adding a host therefore only takes over the arcs just before its
 * own points: about weight/total_weight of the keys move, all of them to
 * the new host, and no key moves between two old hosts.
 *
 *   points[0..npoints)  sorted by (hash, host); host is an index into the
 *                       caller's host array as passed to ks_redis_ring_build.
 *
 * Invariants: npoints == sum of weights * KS_REDIS_RING_POINTS_PER_WEIGHT,
 * points sorted, every host index < nhosts. Ties between two hosts' points
 * (rare with 32 bits) are broken by host name, not by position in the list,
 * so reordering the save path never moves a key.
 * Ownership: points is malloc()ed and owned by the ring (it lives per worker
 * across requests); ks_redis_ring_free() releases it. No locking: one ring
 * belongs to one worker.
 */
#ifndef KS_REDIS_RING_H
#define KS_REDIS_RING_H

#include <stddef.h>
#include <stdint.h>

/* 160 points per unit of weight keep the spread within a few percent. */
#define KS_REDIS_RING_POINTS_PER_WEIGHT 160
#define KS_REDIS_RING_MAX_WEIGHT 1000
#define KS_REDIS_RING_MAX_HOSTS 1024

typedef struct ks_redis_ring_host {
	const char *name; /* identity on the ring, e.g. "10.0.0.1:6379"; copied by nothing */
	size_t name_len;
	unsigned weight;  /* 1..KS_REDIS_RING_MAX_WEIGHT */
} ks_redis_ring_host;

typedef struct ks_redis_ring_point {
	uint32_t hash;
	uint32_t host;
} ks_redis_ring_point;

typedef struct ks_redis_ring {
	ks_redis_ring_point *points; /* malloc()ed, sorted */
	size_t npoints;
	size_t nhosts;
} ks_redis_ring;

/*
 * Builds ring for hosts[0..nhosts). Two hosts with the same name are an
 * error: they would share every point. Returns 0, or -1 with a reason in
 * err (bad weight, duplicate host, too many hosts, out of memory); ring is
 * left empty on failure and must be freed with ks_redis_ring_free() after
 * a success. The names are only read during the call.
 */
int ks_redis_ring_build(ks_redis_ring *ring, const ks_redis_ring_host *hosts, size_t nhosts,
	char *err, size_t errlen);

/* Releases the points; the ring is empty afterwards. Safe on an empty ring. */
void ks_redis_ring_free(ks_redis_ring *ring);

/* Index of the host that owns key. The ring must hold at least one host. */
size_t ks_redis_ring_lookup(const ks_redis_ring *ring, const char *key, size_t len);

/* The 32-bit hash used for both points and keys (exposed for the tests). */
uint32_t ks_redis_ring_hash(const char *buf, size_t len);

#endif
