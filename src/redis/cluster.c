/*
 * cluster.c: key slots, the slot map built from CLUSTER SLOTS, and MOVED /
 * ASK redirections. Pure: the caller sends the commands and hands over the
 * replies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redis/cluster.h"
#include "redis/crc16.h"

unsigned ks_redis_cluster_key_slot(const char *key, size_t len)
{
	const char *open = memchr(key, '{', len);

	if (open != NULL) {
		size_t rest = len - (size_t)(open - key) - 1;
		const char *close = memchr(open + 1, '}', rest);

		/* "{}" hashes the whole key, as Redis does. */
		if (close != NULL && close > open + 1) {
			return ks_redis_crc16(open + 1, (size_t)(close - open - 1)) & (KS_REDIS_CLUSTER_SLOTS - 1);
		}
	}
	return ks_redis_crc16(key, len) & (KS_REDIS_CLUSTER_SLOTS - 1);
}

void ks_redis_slot_map_init(ks_redis_slot_map *map)
{
	size_t i;

	map->nodes = NULL;
	map->nnodes = 0;
	map->cap = 0;
	for (i = 0; i < KS_REDIS_CLUSTER_SLOTS; i++) {
		map->owner[i] = KS_REDIS_SLOT_UNOWNED;
	}
}

void ks_redis_slot_map_free(ks_redis_slot_map *map)
{
	free(map->nodes);
	ks_redis_slot_map_init(map);
}

/* Index of addr in map->nodes, or -1. */
static long find_node(const ks_redis_slot_map *map, const ks_redis_endpoint *addr)
{
	size_t i;

	for (i = 0; i < map->nnodes; i++) {
		if (ks_redis_endpoint_equal(&map->nodes[i].addr, addr)) {
			return (long)i;
		}
	}
	return -1;
}

/*
 * Index of addr in map->nodes, appended when new. A node seen once as a
 * master stays a master. Returns -1 when full or out of memory.
 */
static long add_node(ks_redis_slot_map *map, const ks_redis_endpoint *addr, int is_master)
{
	long at = find_node(map, addr);

	if (at >= 0) {
		map->nodes[at].is_master |= is_master;
		return at;
	}
	if (map->nnodes >= KS_REDIS_CLUSTER_MAX_NODES) {
		return -1;
	}
	if (map->nnodes == map->cap) {
		size_t cap = map->cap ? map->cap * 2 : 8;
		ks_redis_cluster_node *grown = realloc(map->nodes, cap * sizeof(*grown));

		if (grown == NULL) {
			return -1;
		}
		map->nodes = grown;
		map->cap = cap;
	}
	map->nodes[map->nnodes].addr = *addr;
	map->nodes[map->nnodes].is_master = is_master;
	return (long)map->nnodes++;
}

/* Reads [host, port, ...] of one node of a CLUSTER SLOTS entry. */
static int parse_slots_node(const ks_redis_reply *r, const ks_redis_endpoint *asked,
	ks_redis_endpoint *out, char *err, size_t errlen)
{
	const ks_redis_reply *host, *port;

	if (r->kind != KS_REDIS_REPLY_ARRAY || r->elements < 2) {
		snprintf(err, errlen, "CLUSTER SLOTS: a node is not [host, port, ...]");
		return -1;
	}
	host = r->element[0];
	port = r->element[1];
	if (host->kind != KS_REDIS_REPLY_STRING || port->kind != KS_REDIS_REPLY_INTEGER) {
		snprintf(err, errlen, "CLUSTER SLOTS: a node's host is not a string or its port not an integer");
		return -1;
	}
	/* "" (Redis < 7) and "?" (cluster-preferred-endpoint-type unknown): the node we asked. */
	if (host->len == 0 || (host->len == 1 && host->str[0] == '?')) {
		return ks_redis_endpoint_set(out, asked->host, strlen(asked->host), port->integer, err, errlen);
	}
	return ks_redis_endpoint_set(out, host->str, host->len, port->integer, err, errlen);
}

/* One [start, end, master, replicas...] entry of CLUSTER SLOTS. */
static int parse_slots_range(ks_redis_slot_map *map, const ks_redis_reply *r,
	const ks_redis_endpoint *asked, char *err, size_t errlen)
{
	ks_redis_endpoint addr;
	long long start, end, slot;
	long master = -1;
	size_t i;

	if (r->kind != KS_REDIS_REPLY_ARRAY || r->elements < 3 ||
		r->element[0]->kind != KS_REDIS_REPLY_INTEGER || r->element[1]->kind != KS_REDIS_REPLY_INTEGER) {
		snprintf(err, errlen, "CLUSTER SLOTS: an entry is not [start, end, master, ...]");
		return -1;
	}
	start = r->element[0]->integer;
	end = r->element[1]->integer;
	if (start < 0 || end >= KS_REDIS_CLUSTER_SLOTS || start > end) {
		snprintf(err, errlen, "CLUSTER SLOTS: bad slot range %lld-%lld", start, end);
		return -1;
	}
	for (i = 2; i < r->elements; i++) {
		long at;

		if (parse_slots_node(r->element[i], asked, &addr, err, errlen) != 0) {
			return -1;
		}
		at = add_node(map, &addr, i == 2);
		if (at < 0) {
			snprintf(err, errlen, "CLUSTER SLOTS: out of memory or more than %d nodes", KS_REDIS_CLUSTER_MAX_NODES);
			return -1;
		}
		if (i == 2) {
			master = at;
		}
	}
	for (slot = start; slot <= end; slot++) {
		map->owner[slot] = (uint16_t)master;
	}
	return 0;
}

int ks_redis_slot_map_parse(ks_redis_slot_map *out, const ks_redis_reply *reply,
	const ks_redis_endpoint *asked, char *err, size_t errlen)
{
	size_t i;

	ks_redis_slot_map_init(out);
	if (reply == NULL) {
		snprintf(err, errlen, "CLUSTER SLOTS: no reply");
		return -1;
	}
	if (reply->kind == KS_REDIS_REPLY_ERROR) {
		snprintf(err, errlen, "CLUSTER SLOTS: %.*s", (int)(reply->len > 200 ? 200 : reply->len), reply->str);
		return -1;
	}
	if (reply->kind != KS_REDIS_REPLY_ARRAY) {
		snprintf(err, errlen, "CLUSTER SLOTS: reply is not an array");
		return -1;
	}
	for (i = 0; i < reply->elements; i++) {
		if (parse_slots_range(out, reply->element[i], asked, err, errlen) != 0) {
			return -1;
		}
	}
	if (ks_redis_slot_map_unowned(out) == KS_REDIS_CLUSTER_SLOTS) {
		snprintf(err, errlen, "CLUSTER SLOTS: no slot is assigned to any master");
		return -1;
	}
	return 0;
}

const ks_redis_endpoint *ks_redis_slot_map_master(const ks_redis_slot_map *map, unsigned slot)
{
	if (slot >= KS_REDIS_CLUSTER_SLOTS || map->owner[slot] == KS_REDIS_SLOT_UNOWNED) {
		return NULL;
	}
	return &map->nodes[map->owner[slot]].addr;
}

int ks_redis_slot_map_set(ks_redis_slot_map *map, unsigned slot, const ks_redis_endpoint *addr)
{
	long at;

	if (slot >= KS_REDIS_CLUSTER_SLOTS) {
		return -1;
	}
	at = add_node(map, addr, 1);
	if (at < 0) {
		return -1;
	}
	map->owner[slot] = (uint16_t)at;
	return 0;
}

size_t ks_redis_slot_map_unowned(const ks_redis_slot_map *map)
{
	size_t i, n = 0;

	for (i = 0; i < KS_REDIS_CLUSTER_SLOTS; i++) {
		n += map->owner[i] == KS_REDIS_SLOT_UNOWNED;
	}
	return n;
}

size_t ks_redis_slot_map_masters(const ks_redis_slot_map *map)
{
	size_t i, n = 0;
	unsigned char *seen;

	if (map->nnodes == 0) {
		return 0;
	}
	seen = calloc(map->nnodes, 1);
	if (seen == NULL) {
		return 0;
	}
	for (i = 0; i < KS_REDIS_CLUSTER_SLOTS; i++) {
		if (map->owner[i] != KS_REDIS_SLOT_UNOWNED && !seen[map->owner[i]]) {
			seen[map->owner[i]] = 1;
			n++;
		}
	}
	free(seen);
	return n;
}

/* Parses the decimal slot of a redirection; -1 when malformed. */
static long parse_slot(const char *s, size_t len)
{
	long v = ks_redis_parse_short_decimal(s, len);

	return v < KS_REDIS_CLUSTER_SLOTS ? v : -1;
}

int ks_redis_cluster_parse_redirect(const char *s, size_t len, const ks_redis_endpoint *current,
	ks_redis_redirect *out, char *err, size_t errlen)
{
	const char *slot, *addr, *end = s + len;
	long n;

	out->kind = KS_REDIS_REDIRECT_NONE;
	if (len > 6 && memcmp(s, "MOVED ", 6) == 0) {
		out->kind = KS_REDIS_REDIRECT_MOVED;
		slot = s + 6;
	} else if (len > 4 && memcmp(s, "ASK ", 4) == 0) {
		out->kind = KS_REDIS_REDIRECT_ASK;
		slot = s + 4;
	} else {
		return 0;
	}
	addr = memchr(slot, ' ', (size_t)(end - slot));
	n = addr ? parse_slot(slot, (size_t)(addr - slot)) : -1;
	if (n < 0) {
		snprintf(err, errlen, "bad slot in redirection '%.*s'", (int)(len > 80 ? 80 : len), s);
		return -1;
	}
	out->slot = (unsigned)n;
	addr++;
	if (ks_redis_endpoint_parse(addr, (size_t)(end - addr), 1, &out->addr, err, errlen) != 0) {
		return -1;
	}
	if (out->addr.host[0] == '\0') {
		return ks_redis_endpoint_set(&out->addr, current->host, strlen(current->host),
			out->addr.port, err, errlen);
	}
	return 0;
}
