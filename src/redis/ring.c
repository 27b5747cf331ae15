/*
 * ring.c: the weighted consistent-hash ring.
 *
 * Hash: 64-bit FNV-1a over the bytes, then a 64-bit avalanche (xor-shift and
 * multiply, the splitmix64 finaliser), keeping the top 32 bits. FNV alone
 * spreads short, similar strings ("host:1", "host:2", ...) poorly across the
 * high bits; the finaliser fixes that, so the points of one host land
 * independently around the circle.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redis/ring.h"

#define KS_FNV64_OFFSET 0xcbf29ce484222325ULL
#define KS_FNV64_PRIME 0x100000001b3ULL

static uint64_t fnv1a64(uint64_t h, const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)buf[i];
		h *= KS_FNV64_PRIME;
	}
	return h;
}

static uint32_t avalanche(uint64_t h)
{
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return (uint32_t)(h >> 32);
}

uint32_t ks_redis_ring_hash(const char *buf, size_t len)
{
	return avalanche(fnv1a64(KS_FNV64_OFFSET, buf, len));
}

/* Position of point number i of a host: hash of "<name>#<i>". */
static uint32_t point_hash(const ks_redis_ring_host *host, unsigned i)
{
	char suffix[16];
	int n = snprintf(suffix, sizeof(suffix), "#%u", i);
	uint64_t h = fnv1a64(KS_FNV64_OFFSET, host->name, host->name_len);

	return avalanche(fnv1a64(h, suffix, (size_t)n));
}

static int compare_names(const ks_redis_ring_host *a, const ks_redis_ring_host *b)
{
	size_t n = a->name_len < b->name_len ? a->name_len : b->name_len;
	int c = memcmp(a->name, b->name, n);

	if (c != 0) {
		return c;
	}
	return (a->name_len > b->name_len) - (a->name_len < b->name_len);
}

/*
 * While sorting, a point's host field holds the host's rank by name, so
 * equal hashes order by name without qsort needing any context (which
 * would have to be a static, unsafe under ZTS).
 */
static int compare_points(const void *pa, const void *pb)
{
	const ks_redis_ring_point *a = pa, *b = pb;

	if (a->hash != b->hash) {
		return a->hash < b->hash ? -1 : 1;
	}
	return (a->host > b->host) - (a->host < b->host);
}

/* rank_of[i] = how many hosts sort before hosts[i] by name (names are distinct). */
static void rank_hosts(const ks_redis_ring_host *hosts, size_t nhosts, uint32_t *rank_of, uint32_t *host_at)
{
	size_t i, j;

	for (i = 0; i < nhosts; i++) {
		uint32_t r = 0;

		for (j = 0; j < nhosts; j++) {
			r += compare_names(&hosts[j], &hosts[i]) < 0;
		}
		rank_of[i] = r;
		host_at[r] = (uint32_t)i;
	}
}

static int check_hosts(const ks_redis_ring_host *hosts, size_t nhosts, char *err, size_t errlen)
{
	size_t i, j;

	if (nhosts == 0 || nhosts > KS_REDIS_RING_MAX_HOSTS) {
		snprintf(err, errlen, "the ring needs 1 to %d hosts, got %zu", KS_REDIS_RING_MAX_HOSTS, nhosts);
		return -1;
	}
	for (i = 0; i < nhosts; i++) {
		if (hosts[i].weight < 1 || hosts[i].weight > KS_REDIS_RING_MAX_WEIGHT) {
			snprintf(err, errlen, "weight %u of host '%.*s' is out of range 1..%d", hosts[i].weight,
				(int)hosts[i].name_len, hosts[i].name, KS_REDIS_RING_MAX_WEIGHT);
			return -1;
		}
		for (j = 0; j < i; j++) {
			if (compare_names(&hosts[i], &hosts[j]) == 0) {
				snprintf(err, errlen, "host '%.*s' is listed twice", (int)hosts[i].name_len, hosts[i].name);
				return -1;
			}
		}
	}
	return 0;
}

int ks_redis_ring_build(ks_redis_ring *ring, const ks_redis_ring_host *hosts, size_t nhosts,
	char *err, size_t errlen)
{
	size_t i, total = 0, at = 0;
	uint32_t *rank_of, *host_at;
	unsigned p;

	ring->points = NULL;
	ring->npoints = 0;
	ring->nhosts = 0;
	if (check_hosts(hosts, nhosts, err, errlen) != 0) {
		return -1;
	}
	for (i = 0; i < nhosts; i++) {
		total += (size_t)hosts[i].weight * KS_REDIS_RING_POINTS_PER_WEIGHT;
	}
	ring->points = malloc(total * sizeof(*ring->points));
	rank_of = malloc(2 * nhosts * sizeof(*rank_of));
	if (ring->points == NULL || rank_of == NULL) {
		free(ring->points);
		free(rank_of);
		ring->points = NULL;
		snprintf(err, errlen, "out of memory for %zu ring points", total);
		return -1;
	}
	host_at = rank_of + nhosts;
	rank_hosts(hosts, nhosts, rank_of, host_at);
	for (i = 0; i < nhosts; i++) {
		for (p = 0; p < hosts[i].weight * KS_REDIS_RING_POINTS_PER_WEIGHT; p++) {
			ring->points[at].hash = point_hash(&hosts[i], p);
			ring->points[at].host = rank_of[i];
			at++;
		}
	}
	qsort(ring->points, total, sizeof(*ring->points), compare_points);
	for (i = 0; i < total; i++) {
		ring->points[i].host = host_at[ring->points[i].host];
	}
	free(rank_of);
	ring->npoints = total;
	ring->nhosts = nhosts;
	return 0;
}

void ks_redis_ring_free(ks_redis_ring *ring)
{
	free(ring->points);
	ring->points = NULL;
	ring->npoints = 0;
	ring->nhosts = 0;
}

size_t ks_redis_ring_lookup(const ks_redis_ring *ring, const char *key, size_t len)
{
	uint32_t h = ks_redis_ring_hash(key, len);
	size_t lo = 0, hi = ring->npoints;

	/* First point with hash >= h; past the last point wraps to the first. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ring->points[mid].hash < h) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return ring->points[lo == ring->npoints ? 0 : lo].host;
}
