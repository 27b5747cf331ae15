/*
 * test_topology.c: unit tests of the pure topology modules: CRC16 and key
 * slots, node addresses, MOVED/ASK, CLUSTER SLOTS, Sentinel replies, the
 * consistent-hash ring and the TLS byte sniffer. Replies are real RESP bytes
 * run through reply.h's reader, the same path the extension uses.
 * Built and run by scripts/unit.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "redis/cluster.h"
#include "redis/crc16.h"
#include "redis/endpoint.h"
#include "redis/path.h"
#include "redis/reply.h"
#include "redis/ring.h"
#include "redis/sentinel.h"
#include "redis/tls.h"

int ks_unit_checks;
int ks_unit_failures;

/* Parses one RESP reply from a C string; aborts the test run on a bad fixture. */
static ks_redis_reply *resp(const char *bytes)
{
	ks_redis_reply *r = ks_redis_reply_parse(bytes, strlen(bytes));

	if (r == NULL) {
		fprintf(stderr, "bad RESP fixture: %s\n", bytes);
		exit(2);
	}
	return r;
}

static unsigned slot_of(const char *key)
{
	return ks_redis_cluster_key_slot(key, strlen(key));
}

static void test_crc16_and_slots(void)
{
	CHECK(ks_redis_crc16("123456789", 9) == 0x31c3);
	CHECK(ks_redis_crc16("", 0) == 0);
	/* Values Redis itself gives for CLUSTER KEYSLOT (also compared live in tests/topology). */
	CHECK(slot_of("foo") == 12182);
	CHECK(slot_of("bar") == 5061);
	CHECK(slot_of("{user1000}.following") == slot_of("user1000"));
	CHECK(slot_of("{user1000}.followers") == slot_of("{user1000}.following"));
	CHECK(slot_of("foo{}{bar}") == ks_redis_crc16("foo{}{bar}", 10) % 16384);
	CHECK(slot_of("foo{{bar}}zap") == slot_of("{bar"));
	CHECK(slot_of("foo{bar}{zap}") == slot_of("bar"));
	CHECK(slot_of("{") == ks_redis_crc16("{", 1) % 16384);
	/* The session keys of one id share a slot, whatever the prefix. */
	CHECK(slot_of("PHPREDIS_SESSION:{abc123}") == slot_of("ks:{abc123}:lock"));
	CHECK(slot_of("ks:{abc123}:wake") == slot_of("abc123"));
	/* A key with a NUL byte is hashed whole, not cut at the NUL. */
	CHECK(ks_redis_cluster_key_slot("a\0b", 3) != ks_redis_cluster_key_slot("a", 1));
}

static void test_endpoint(void)
{
	ks_redis_endpoint e;
	char err[128];

	CHECK(ks_redis_endpoint_parse("127.0.0.1:7000", 14, 0, &e, err, sizeof(err)) == 0);
	CHECK(strcmp(e.host, "127.0.0.1") == 0 && e.port == 7000);
	CHECK(ks_redis_endpoint_parse("[::1]:7001", 10, 0, &e, err, sizeof(err)) == 0);
	CHECK(strcmp(e.host, "::1") == 0 && e.port == 7001);
	CHECK(ks_redis_endpoint_parse("::1:7002", 8, 0, &e, err, sizeof(err)) == 0);
	CHECK(strcmp(e.host, "::1") == 0 && e.port == 7002);
	CHECK(ks_redis_endpoint_parse("redis-1.internal:6379", 21, 0, &e, err, sizeof(err)) == 0);
	CHECK(strcmp(e.host, "redis-1.internal") == 0 && e.port == 6379);
	CHECK(ks_redis_endpoint_parse(":7000", 5, 0, &e, err, sizeof(err)) == -1);
	CHECK(strstr(err, "no host") != NULL);
	CHECK(ks_redis_endpoint_parse(":7000", 5, 1, &e, err, sizeof(err)) == 0 && e.host[0] == '\0');
	CHECK(ks_redis_endpoint_parse("h:0", 3, 0, &e, err, sizeof(err)) == -1);
	CHECK(ks_redis_endpoint_parse("h:65536", 7, 0, &e, err, sizeof(err)) == -1);
	CHECK(strstr(err, "out of range") != NULL);
	CHECK(ks_redis_endpoint_parse("h:", 2, 0, &e, err, sizeof(err)) == -1);
	CHECK(ks_redis_endpoint_parse("h:12a", 5, 0, &e, err, sizeof(err)) == -1);
	CHECK(ks_redis_endpoint_parse("h", 1, 0, &e, err, sizeof(err)) == -1);
	CHECK(strstr(err, "no ':port'") != NULL);
	CHECK(ks_redis_endpoint_parse("h\0x:1", 5, 0, &e, err, sizeof(err)) == -1);
	{
		char longhost[300];

		memset(longhost, 'a', 290);
		memcpy(longhost + 290, ":1", 2);
		CHECK(ks_redis_endpoint_parse(longhost, 292, 0, &e, err, sizeof(err)) == -1);
		CHECK(strstr(err, "longer than") != NULL);
	}
}

static void test_redirect(void)
{
	ks_redis_endpoint cur;
	ks_redis_redirect r;
	char err[128];

	strcpy(cur.host, "10.0.0.9");
	cur.port = 7000;

#define REDIRECT(s) ks_redis_cluster_parse_redirect(s, strlen(s), &cur, &r, err, sizeof(err))
	CHECK(REDIRECT("MOVED 3999 127.0.0.1:6381") == 0);
	CHECK(r.kind == KS_REDIS_REDIRECT_MOVED && r.slot == 3999);
	CHECK(strcmp(r.addr.host, "127.0.0.1") == 0 && r.addr.port == 6381);
	CHECK(REDIRECT("ASK 16383 127.0.0.1:7005") == 0);
	CHECK(r.kind == KS_REDIS_REDIRECT_ASK && r.slot == 16383 && r.addr.port == 7005);
	CHECK(REDIRECT("MOVED 0 :7003") == 0);
	CHECK(r.kind == KS_REDIS_REDIRECT_MOVED && strcmp(r.addr.host, "10.0.0.9") == 0 && r.addr.port == 7003);
	CHECK(REDIRECT("ERR unknown command") == 0 && r.kind == KS_REDIS_REDIRECT_NONE);
	CHECK(REDIRECT("MOVEDX 1 h:1") == 0 && r.kind == KS_REDIS_REDIRECT_NONE);
	CHECK(REDIRECT("READONLY You can't write against a read only replica.") == 0 &&
		r.kind == KS_REDIS_REDIRECT_NONE);
	CHECK(REDIRECT("MOVED 16384 h:1") == -1);
	CHECK(REDIRECT("MOVED x h:1") == -1);
	CHECK(REDIRECT("MOVED 12") == -1);
	CHECK(REDIRECT("ASK 12 h:") == -1);
	CHECK(REDIRECT("ASK 12 h:70000") == -1);
#undef REDIRECT
}

/* Three masters each with a replica, as redis-cli --cluster create makes them. */
#define SLOTS_3M3R \
	"*3\r\n" \
	"*4\r\n:0\r\n:5460\r\n" \
		"*3\r\n$9\r\n127.0.0.1\r\n:7000\r\n$4\r\nid-a\r\n" \
		"*3\r\n$9\r\n127.0.0.1\r\n:7004\r\n$4\r\nid-e\r\n" \
	"*4\r\n:5461\r\n:10922\r\n" \
		"*3\r\n$9\r\n127.0.0.1\r\n:7001\r\n$4\r\nid-b\r\n" \
		"*3\r\n$9\r\n127.0.0.1\r\n:7005\r\n$4\r\nid-f\r\n" \
	"*4\r\n:10923\r\n:16383\r\n" \
		"*4\r\n$9\r\n127.0.0.1\r\n:7002\r\n$4\r\nid-c\r\n*0\r\n" \
		"*3\r\n$1\r\n?\r\n:7003\r\n$4\r\nid-d\r\n"

static void test_slot_map(void)
{
	ks_redis_slot_map map;
	ks_redis_endpoint asked, moved;
	const ks_redis_endpoint *m;
	ks_redis_reply *r;
	char err[160];

	strcpy(asked.host, "192.0.2.1");
	asked.port = 7000;
	r = resp(SLOTS_3M3R);
	CHECK(ks_redis_slot_map_parse(&map, r, &asked, err, sizeof(err)) == 0);
	ks_redis_reply_free(r);
	CHECK(map.nnodes == 6);
	CHECK(ks_redis_slot_map_masters(&map) == 3);
	CHECK(ks_redis_slot_map_unowned(&map) == 0);
	m = ks_redis_slot_map_master(&map, 0);
	CHECK(m != NULL && m->port == 7000);
	m = ks_redis_slot_map_master(&map, 5460);
	CHECK(m != NULL && m->port == 7000);
	m = ks_redis_slot_map_master(&map, 5461);
	CHECK(m != NULL && m->port == 7001);
	m = ks_redis_slot_map_master(&map, 16383);
	CHECK(m != NULL && m->port == 7002);
	CHECK(ks_redis_slot_map_master(&map, 16384) == NULL);
	/* "?" is the node that answered; replicas are kept, but not as masters. */
	CHECK(strcmp(map.nodes[5].addr.host, "192.0.2.1") == 0 && map.nodes[5].addr.port == 7003);
	CHECK(map.nodes[5].is_master == 0);

	/* MOVED for one slot: a new master, the others unchanged. */
	strcpy(moved.host, "127.0.0.1");
	moved.port = 7010;
	CHECK(ks_redis_slot_map_set(&map, 42, &moved) == 0);
	m = ks_redis_slot_map_master(&map, 42);
	CHECK(m != NULL && m->port == 7010);
	CHECK(ks_redis_slot_map_master(&map, 41)->port == 7000);
	CHECK(ks_redis_slot_map_masters(&map) == 4);
	/* A replica promoted by MOVED becomes a master in the map. */
	moved.port = 7004;
	CHECK(ks_redis_slot_map_set(&map, 43, &moved) == 0);
	CHECK(map.nnodes == 7);
	CHECK(ks_redis_slot_map_master(&map, 43)->port == 7004);
	CHECK(ks_redis_slot_map_set(&map, 16384, &moved) == -1);
	ks_redis_slot_map_free(&map);
	CHECK(map.nnodes == 0 && ks_redis_slot_map_unowned(&map) == 16384);
	ks_redis_slot_map_free(&map); /* twice is fine */

	/* A cluster with a hole: the slots of a lost master are unowned. */
	r = resp("*1\r\n*3\r\n:0\r\n:99\r\n*2\r\n$1\r\nh\r\n:1\r\n");
	CHECK(ks_redis_slot_map_parse(&map, r, &asked, err, sizeof(err)) == 0);
	CHECK(ks_redis_slot_map_unowned(&map) == 16384 - 100);
	CHECK(ks_redis_slot_map_master(&map, 100) == NULL);
	ks_redis_reply_free(r);
	ks_redis_slot_map_free(&map);

	/* Errors: each with a reason, and no leak (the caller frees). */
	r = resp("-ERR This instance has cluster support disabled\r\n");
	CHECK(ks_redis_slot_map_parse(&map, r, &asked, err, sizeof(err)) == -1);
	CHECK(strstr(err, "cluster support disabled") != NULL);
	ks_redis_reply_free(r);
	ks_redis_slot_map_free(&map);
	r = resp("*0\r\n");
	CHECK(ks_redis_slot_map_parse(&map, r, &asked, err, sizeof(err)) == -1);
	CHECK(strstr(err, "no slot") != NULL);
	ks_redis_reply_free(r);
	ks_redis_slot_map_free(&map);
	r = resp("*1\r\n*3\r\n:10\r\n:5\r\n*2\r\n$1\r\nh\r\n:1\r\n");
	CHECK(ks_redis_slot_map_parse(&map, r, &asked, err, sizeof(err)) == -1);
	CHECK(strstr(err, "bad slot range") != NULL);
	ks_redis_reply_free(r);
	ks_redis_slot_map_free(&map);
	r = resp("*1\r\n*3\r\n:0\r\n:16384\r\n*2\r\n$1\r\nh\r\n:1\r\n");
	CHECK(ks_redis_slot_map_parse(&map, r, &asked, err, sizeof(err)) == -1);
	ks_redis_reply_free(r);
	ks_redis_slot_map_free(&map);
	r = resp("*1\r\n*3\r\n:0\r\n:1\r\n*2\r\n:1\r\n:1\r\n");
	CHECK(ks_redis_slot_map_parse(&map, r, &asked, err, sizeof(err)) == -1);
	ks_redis_reply_free(r);
	ks_redis_slot_map_free(&map);
	r = resp("*1\r\n*3\r\n:0\r\n:1\r\n*2\r\n$1\r\nh\r\n:0\r\n");
	CHECK(ks_redis_slot_map_parse(&map, r, &asked, err, sizeof(err)) == -1);
	ks_redis_reply_free(r);
	ks_redis_slot_map_free(&map);
	r = resp("+OK\r\n");
	CHECK(ks_redis_slot_map_parse(&map, r, &asked, err, sizeof(err)) == -1);
	ks_redis_reply_free(r);
	ks_redis_slot_map_free(&map);
	CHECK(ks_redis_slot_map_parse(&map, NULL, &asked, err, sizeof(err)) == -1);
	ks_redis_slot_map_free(&map);
}

/* ks_redis_reply_needs_rediscovery on the reply in bytes. */
static int needs(const char *bytes)
{
	ks_redis_reply *r = resp(bytes);
	int yes = ks_redis_reply_needs_rediscovery(r);

	ks_redis_reply_free(r);
	return yes;
}

static void test_sentinel(void)
{
	ks_redis_endpoint e;
	ks_redis_reply *r;
	char err[128];
	size_t order[4] = {0, 1, 2, 3};

	r = resp("*2\r\n$9\r\n127.0.0.1\r\n$4\r\n6380\r\n");
	CHECK(ks_redis_sentinel_parse_master_addr(r, &e, err, sizeof(err)) == KS_REDIS_SENTINEL_FOUND);
	CHECK(strcmp(e.host, "127.0.0.1") == 0 && e.port == 6380);
	ks_redis_reply_free(r);
	r = resp("$-1\r\n");
	CHECK(ks_redis_sentinel_parse_master_addr(r, &e, err, sizeof(err)) == KS_REDIS_SENTINEL_UNKNOWN);
	ks_redis_reply_free(r);
	r = resp("*-1\r\n");
	CHECK(ks_redis_sentinel_parse_master_addr(r, &e, err, sizeof(err)) == KS_REDIS_SENTINEL_UNKNOWN);
	ks_redis_reply_free(r);
	r = resp("-IDONTKNOW I have not enough information\r\n");
	CHECK(ks_redis_sentinel_parse_master_addr(r, &e, err, sizeof(err)) == KS_REDIS_SENTINEL_ERROR);
	CHECK(strstr(err, "IDONTKNOW") != NULL);
	ks_redis_reply_free(r);
	r = resp("*2\r\n$9\r\n127.0.0.1\r\n$3\r\nabc\r\n");
	CHECK(ks_redis_sentinel_parse_master_addr(r, &e, err, sizeof(err)) == KS_REDIS_SENTINEL_ERROR);
	ks_redis_reply_free(r);
	r = resp("*1\r\n$9\r\n127.0.0.1\r\n");
	CHECK(ks_redis_sentinel_parse_master_addr(r, &e, err, sizeof(err)) == KS_REDIS_SENTINEL_ERROR);
	ks_redis_reply_free(r);
	r = resp("*2\r\n$0\r\n\r\n$4\r\n6380\r\n");
	CHECK(ks_redis_sentinel_parse_master_addr(r, &e, err, sizeof(err)) == KS_REDIS_SENTINEL_ERROR);
	ks_redis_reply_free(r);

	r = resp("*3\r\n$6\r\nmaster\r\n:3129659\r\n*0\r\n");
	CHECK(ks_redis_parse_role(r) == KS_REDIS_ROLE_MASTER);
	ks_redis_reply_free(r);
	r = resp("*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:9000\r\n$9\r\nconnected\r\n:3167038\r\n");
	CHECK(ks_redis_parse_role(r) == KS_REDIS_ROLE_REPLICA);
	ks_redis_reply_free(r);
	r = resp("*2\r\n$8\r\nsentinel\r\n*1\r\n$8\r\nmymaster\r\n");
	CHECK(ks_redis_parse_role(r) == KS_REDIS_ROLE_SENTINEL);
	ks_redis_reply_free(r);
	r = resp("-ERR unknown command 'ROLE'\r\n");
	CHECK(ks_redis_parse_role(r) == KS_REDIS_ROLE_UNKNOWN);
	ks_redis_reply_free(r);
	CHECK(ks_redis_parse_role(NULL) == KS_REDIS_ROLE_UNKNOWN);
	CHECK(strcmp(ks_redis_role_name(KS_REDIS_ROLE_REPLICA), "replica") == 0);

	CHECK(needs("-READONLY You can't write against a read only replica.\r\n"));
	CHECK(needs("-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.\r\n"));
	CHECK(needs("-READONLY\r\n"));
	CHECK(!needs("-READONLYX\r\n"));
	CHECK(!needs("-ERR wrong number of arguments\r\n"));
	CHECK(!needs("-NOSCRIPT No matching script.\r\n"));
	CHECK(!needs("-\r\n"));
	CHECK(!needs("+READONLY\r\n"));   /* a status, not an error */

	ks_redis_sentinel_prefer(order, 4, 2);
	CHECK(order[0] == 2 && order[1] == 0 && order[2] == 1 && order[3] == 3);
	ks_redis_sentinel_prefer(order, 4, 0);
	CHECK(order[0] == 2 && order[1] == 0);
	ks_redis_sentinel_prefer(order, 4, 9);
	CHECK(order[0] == 2 && order[3] == 3);
}

#define RING_KEYS 100000

static void key_name(char *buf, size_t cap, unsigned i, size_t *len)
{
	*len = (size_t)snprintf(buf, cap, "sess-%08x-%u", i * 2654435761u, i);
}

static void set_host(ks_redis_ring_host *h, const char *name, unsigned weight)
{
	h->name = name;
	h->name_len = strlen(name);
	h->weight = weight;
}

static void test_ring(void)
{
	ks_redis_ring_host hosts[4], reordered[3];
	ks_redis_ring three, four, rev, weighted;
	char err[160], key[64];
	unsigned i, moved = 0, moved_elsewhere = 0, counts[3] = {0, 0, 0};
	size_t len;

	set_host(&hosts[0], "10.0.0.1:6379", 1);
	set_host(&hosts[1], "10.0.0.2:6379", 1);
	set_host(&hosts[2], "10.0.0.3:6379", 1);
	set_host(&hosts[3], "10.0.0.4:6379", 1);
	CHECK(ks_redis_ring_build(&three, hosts, 3, err, sizeof(err)) == 0);
	CHECK(three.npoints == 3 * KS_REDIS_RING_POINTS_PER_WEIGHT);
	CHECK(ks_redis_ring_build(&four, hosts, 4, err, sizeof(err)) == 0);
	reordered[0] = hosts[2];
	reordered[1] = hosts[0];
	reordered[2] = hosts[1];
	CHECK(ks_redis_ring_build(&rev, reordered, 3, err, sizeof(err)) == 0);

	for (i = 0; i < RING_KEYS; i++) {
		size_t a, b, c;

		key_name(key, sizeof(key), i, &len);
		a = ks_redis_ring_lookup(&three, key, len);
		b = ks_redis_ring_lookup(&four, key, len);
		c = ks_redis_ring_lookup(&rev, key, len);
		counts[a]++;
		if (a != b) {
			moved++;
			moved_elsewhere += b != 3; /* a key may only move to the new host */
		}
		/* The order of the save path does not matter, only the names. */
		if (strcmp(hosts[a].name, reordered[c].name) != 0) {
			moved_elsewhere++;
		}
		/* Stable: the same key, the same host. */
		if (ks_redis_ring_lookup(&three, key, len) != a) {
			moved_elsewhere++;
		}
	}
	printf("ring: 3 -> 4 hosts moved %.1f%% of %d keys (ideal 25%%); spread %u/%u/%u\n",
		100.0 * moved / RING_KEYS, RING_KEYS, counts[0], counts[1], counts[2]);
	CHECK(moved_elsewhere == 0);
	CHECK(moved > RING_KEYS * 18 / 100 && moved < RING_KEYS * 32 / 100);
	for (i = 0; i < 3; i++) {
		CHECK(counts[i] > RING_KEYS * 27 / 100 && counts[i] < RING_KEYS * 40 / 100);
	}
	ks_redis_ring_free(&three);
	ks_redis_ring_free(&four);
	ks_redis_ring_free(&rev);

	/* weight=2 on the first host: about two thirds of the keys. */
	set_host(&hosts[0], "a:6379", 2);
	set_host(&hosts[1], "b:6379", 1);
	CHECK(ks_redis_ring_build(&weighted, hosts, 2, err, sizeof(err)) == 0);
	counts[0] = counts[1] = 0;
	for (i = 0; i < RING_KEYS; i++) {
		key_name(key, sizeof(key), i, &len);
		counts[ks_redis_ring_lookup(&weighted, key, len)]++;
	}
	printf("ring: weights 2:1 gave %.1f%% : %.1f%% (ideal 66.7 : 33.3)\n",
		100.0 * counts[0] / RING_KEYS, 100.0 * counts[1] / RING_KEYS);
	CHECK(counts[0] > RING_KEYS * 60 / 100 && counts[0] < RING_KEYS * 73 / 100);
	ks_redis_ring_free(&weighted);

	/* One host takes everything. */
	CHECK(ks_redis_ring_build(&weighted, hosts, 1, err, sizeof(err)) == 0);
	CHECK(ks_redis_ring_lookup(&weighted, "x", 1) == 0);
	ks_redis_ring_free(&weighted);
	ks_redis_ring_free(&weighted); /* twice is fine */

	/* Bad rings: a reason each, nothing allocated. */
	set_host(&hosts[1], "a:6379", 1);
	CHECK(ks_redis_ring_build(&weighted, hosts, 2, err, sizeof(err)) == -1);
	CHECK(strstr(err, "listed twice") != NULL && weighted.points == NULL);
	set_host(&hosts[1], "b:6379", 0);
	CHECK(ks_redis_ring_build(&weighted, hosts, 2, err, sizeof(err)) == -1);
	CHECK(strstr(err, "weight 0") != NULL);
	set_host(&hosts[1], "b:6379", KS_REDIS_RING_MAX_WEIGHT + 1);
	CHECK(ks_redis_ring_build(&weighted, hosts, 2, err, sizeof(err)) == -1);
	CHECK(ks_redis_ring_build(&weighted, hosts, 0, err, sizeof(err)) == -1);
}

static void test_tls_sniff(void)
{
	CHECK(ks_redis_tls_bytes_look_like_tls("\x15\x03\x03\x00\x02\x02\x46", 7));
	CHECK(ks_redis_tls_bytes_look_like_tls("\x16\x03\x01", 3));
	CHECK(!ks_redis_tls_bytes_look_like_tls("+PONG\r\n", 7));
	CHECK(!ks_redis_tls_bytes_look_like_tls("-ERR", 4));
	CHECK(!ks_redis_tls_bytes_look_like_tls("\x15", 1));
}

/* The save_path forms of issue 5 (path.c is pure too). */
static void test_topology_paths(void)
{
	ks_redis_params d;
	ks_redis_path p;
	char err[256];
	const char *s;

	memset(&d, 0, sizeof(d));
	d.connect_timeout_ms = 1000;
	d.read_timeout_ms = 2000;
	d.weight = 1;
	d.tls_verify = true;

	s = "sentinel://10.0.0.1:26379,10.0.0.2:26380?master=mymaster&prefix=app:";
	CHECK(ks_redis_path_parse(s, strlen(s), &d, &p, err, sizeof(err)) == 0);
	CHECK(p.nhosts == 2 && p.hosts[0].scheme == KS_REDIS_SCHEME_SENTINEL && p.hosts[1].scheme == KS_REDIS_SCHEME_SENTINEL);
	CHECK(p.hosts[1].port == 26380 && !strcmp(p.hosts[1].params.master, "mymaster") && p.hosts[0].params.master == NULL);
	CHECK(!strcmp(p.hosts[1].desc, "sentinel://10.0.0.2:26380"));
	ks_redis_path_dtor(&p);

	s = "cluster://h1:7000,h2:7001 h3:7002?timeout=0.5";
	CHECK(ks_redis_path_parse(s, strlen(s), &d, &p, err, sizeof(err)) == 0);
	CHECK(p.nhosts == 3 && p.hosts[2].scheme == KS_REDIS_SCHEME_CLUSTER && p.hosts[2].params.connect_timeout_ms == 500);
	ks_redis_path_dtor(&p);

	/* A bare host after tcp:// stays tcp://. */
	s = "tcp://a:1, b:2";
	CHECK(ks_redis_path_parse(s, strlen(s), &d, &p, err, sizeof(err)) == 0 && p.hosts[1].scheme == KS_REDIS_SCHEME_TCP);
	ks_redis_path_dtor(&p);

	s = "tls://r:6380?tls_ca=%2Fetc%2Fca.pem&tls_cert=/c.pem&tls_key=/k.pem&tls_sni=redis.example&tls_verify=0";
	CHECK(ks_redis_path_parse(s, strlen(s), &d, &p, err, sizeof(err)) == 0);
	CHECK(!strcmp(p.hosts[0].params.tls_ca, "/etc/ca.pem") && !strcmp(p.hosts[0].params.tls_sni, "redis.example"));
	CHECK(!p.hosts[0].params.tls_verify && (p.hosts[0].params.given & KS_REDIS_P_TLS));
	{
		ks_redis_params copy;
		CHECK(ks_redis_params_copy(&copy, &p.hosts[0].params) == 0);
		CHECK(copy.tls_key != p.hosts[0].params.tls_key && !strcmp(copy.tls_key, "/k.pem"));
		ks_redis_params_dtor(&copy);
	}
	ks_redis_path_dtor(&p);
	s = "tls://r:6380?stream[cafile]=/x.pem&stream[verify_peer]=0";
	CHECK(ks_redis_path_parse(s, strlen(s), &d, &p, err, sizeof(err)) == 0 && !strcmp(p.hosts[0].params.tls_ca, "/x.pem"));
	ks_redis_path_dtor(&p);

	/* On cluster:// the tls_* parameters mean TLS to every node. */
	s = "cluster://h1:7000,h2:7001?tls_ca=/ca.pem&tls_sni=redis.internal";
	CHECK(ks_redis_path_parse(s, strlen(s), &d, &p, err, sizeof(err)) == 0);
	CHECK(p.hosts[1].scheme == KS_REDIS_SCHEME_CLUSTER && (p.hosts[1].params.given & KS_REDIS_P_TLS)
		&& !strcmp(p.hosts[1].params.tls_ca, "/ca.pem"));
	ks_redis_path_dtor(&p);
	s = "tcp://r:6379?tls_ca=/x.pem";
	CHECK(ks_redis_path_parse(s, strlen(s), &d, &p, err, sizeof(err)) == -1 && strstr(err, "not a tls:// host"));
	s = "tcp://r:6379?master=m";
	CHECK(ks_redis_path_parse(s, strlen(s), &d, &p, err, sizeof(err)) == -1 && strstr(err, "not a sentinel:// host"));
	s = "sentinel://r:26379?master=";
	CHECK(ks_redis_path_parse(s, strlen(s), &d, &p, err, sizeof(err)) == -1 && strstr(err, "empty 'master'"));

	/* The sentinels' own login is separate from the master's, and copied with the params. */
	s = "sentinel://a:26379,b:26379?master=m&auth=mpw&sentinel_user=ops&sentinel_auth=s%26pw";
	CHECK(ks_redis_path_parse(s, strlen(s), &d, &p, err, sizeof(err)) == 0);
	CHECK(!strcmp(p.hosts[1].params.sentinel_auth, "s&pw") && !strcmp(p.hosts[1].params.sentinel_user, "ops"));
	CHECK(!strcmp(p.hosts[1].params.auth, "mpw") && p.hosts[1].params.user == NULL);
	{
		ks_redis_params copy;
		CHECK(ks_redis_params_copy(&copy, &p.hosts[1].params) == 0);
		CHECK(copy.sentinel_auth != p.hosts[1].params.sentinel_auth && !strcmp(copy.sentinel_auth, "s&pw"));
		ks_redis_params_dtor(&copy);
	}
	ks_redis_path_dtor(&p);
	s = "tcp://r:6379?sentinel_auth=secret-pw";
	CHECK(ks_redis_path_parse(s, strlen(s), &d, &p, err, sizeof(err)) == -1 && strstr(err, "not a sentinel:// host")
		&& !strstr(err, "secret-pw"));
	s = "sentinel://r:26379?master=m&sentinel_user=ops";
	CHECK(ks_redis_path_parse(s, strlen(s), &d, &p, err, sizeof(err)) == -1 && strstr(err, "'sentinel_user' without 'sentinel_auth'"));
}

int main(void)
{
	test_crc16_and_slots();
	test_endpoint();
	test_redirect();
	test_slot_map();
	test_sentinel();
	test_ring();
	test_tls_sniff();
	test_topology_paths();
	printf("test_topology: %d checks, %d failed\n", ks_unit_checks, ks_unit_failures);
	return ks_unit_failures ? 1 : 0;
}
