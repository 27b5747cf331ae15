/*
 * test_pool.c: unit tests of the pool and its four topologies without a
 * server (routing makes no I/O): which topology a save_path gets, that a
 * key always routes to the connection its ring host or topology names,
 * the accessors phpinfo and stats use, and the paths each topology
 * refuses. The one test that reaches the network (a cluster with no
 * reachable seed) connects to a closed loopback port.
 * Built and run by scripts/unit (linked with every src/redis module).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "redis/pool.h"
#include "redis/ring.h"
#include "redis/cluster.h"

int ks_unit_checks;
int ks_unit_failures;

static ks_redis_params defaults;

static int parse(const char *s, ks_redis_path *p)
{
	char err[256];

	if (ks_redis_path_parse(s, strlen(s), &defaults, p, err, sizeof(err)) != 0) {
		fprintf(stderr, "bad save_path fixture %s: %s\n", s, err);
		exit(2);
	}
	return 0;
}

/* A pool for save_path s, or NULL with the reason in err. */
static ks_redis_pool *pool_for(const char *s, ks_redis_counters *ctr, char *err, size_t errlen)
{
	ks_redis_path path;
	ks_redis_pool *p;

	parse(s, &path);
	p = ks_redis_pool_new(&path, ctr, "test", err, errlen);
	ks_redis_path_dtor(&path);
	return p;
}

static void test_single(void)
{
	char err[256], buf[256];
	ks_redis_pool *p = pool_for("tcp://127.0.0.1:6390?auth=pw", NULL, err, sizeof(err));
	ks_redis_conn *a, *b;
	bool set;

	CHECK(p != NULL && !strcmp(ks_redis_pool_topology(p), "tcp"));
	CHECK(ks_redis_pool_current(p) == NULL && ks_redis_pool_nhosts(p) == 1);
	a = ks_redis_pool_route(p, "one", 3);
	b = ks_redis_pool_route(p, "two", 3);
	CHECK(a != NULL && a == b && ks_redis_pool_current(p) == a);
	CHECK(!ks_redis_conn_is_connected(a) && ks_redis_conn_has_auth(a));   /* no I/O yet */
	CHECK(!strcmp(ks_redis_conn_node(a), "tcp://127.0.0.1:6390") && !strcmp(ks_redis_pool_host_desc(p, 0), "tcp://127.0.0.1:6390"));
	ks_redis_pool_describe(p, buf, sizeof(buf));
	CHECK(!strcmp(buf, "tcp://127.0.0.1:6390"));
	CHECK(!ks_redis_pool_sentinel_auth(p, &set) && !set);
	ks_redis_pool_free(p);

	p = pool_for("unix:///tmp/x.sock", NULL, err, sizeof(err));
	CHECK(p && !strcmp(ks_redis_pool_topology(p), "unix"));
	CHECK(!ks_redis_conn_has_auth(ks_redis_pool_route(p, "k", 1)));
	ks_redis_pool_free(p);
	p = pool_for("tls://127.0.0.1:6390", NULL, err, sizeof(err));
	CHECK(p && !strcmp(ks_redis_pool_topology(p), "tls"));
	ks_redis_pool_free(p);
	ks_redis_pool_free(NULL);
}

static void test_ring(void)
{
	static const char *names[3] = { "10.0.0.1:6379", "10.0.0.2:6379", "10.0.0.3:6380" };
	ks_redis_ring_host rh[3];
	ks_redis_ring ring;
	char err[256], key[32], buf[300];
	ks_redis_pool *p = pool_for("tcp://10.0.0.1:6379?weight=2, tcp://10.0.0.2:6379, tls://10.0.0.3:6380", NULL, err, sizeof(err));
	unsigned i, hits[3] = { 0, 0, 0 }, wrong = 0;
	size_t h;

	CHECK(p != NULL && !strcmp(ks_redis_pool_topology(p), "ring") && ks_redis_pool_nhosts(p) == 3);
	for (h = 0; h < 3; h++) {
		rh[h].name = names[h];
		rh[h].name_len = strlen(names[h]);
		rh[h].weight = h == 0 ? 2 : 1;
	}
	CHECK(ks_redis_ring_build(&ring, rh, 3, err, sizeof(err)) == 0);
	/* Every key goes to the host the ring names, and always to the same connection. */
	for (i = 0; i < 3000; i++) {
		int n = snprintf(key, sizeof(key), "k%u", i * 7919u);
		ks_redis_conn *c = ks_redis_pool_route(p, key, (size_t)n);

		h = ks_redis_ring_lookup(&ring, key, (size_t)n);
		hits[h]++;
		if (c == NULL || strcmp(ks_redis_conn_desc(c), ks_redis_pool_host_desc(p, h)) != 0
			|| c != ks_redis_pool_route(p, key, (size_t)n)) {
			wrong++;
		}
	}
	CHECK(wrong == 0 && hits[0] > hits[1] && hits[1] > 0 && hits[2] > 0);
	ks_redis_ring_free(&ring);
	ks_redis_pool_describe(p, buf, sizeof(buf));
	CHECK(!strcmp(buf, "tcp://10.0.0.1:6379 (weight 2), tcp://10.0.0.2:6379 (weight 1), tls://10.0.0.3:6380 (weight 1)"));
	ks_redis_pool_describe(p, buf, 30);   /* cut to fit */
	CHECK(strlen(buf) < 30);
	ks_redis_pool_free(p);

	CHECK(pool_for("tcp://a:1, tcp://a:1", NULL, err, sizeof(err)) == NULL && strstr(err, "a:1"));
}

static void test_sentinel(void)
{
	char err[256];
	ks_redis_pool *p = pool_for("sentinel://127.0.0.1:1,127.0.0.1:2?master=mm&sentinel_auth=x&auth=y", NULL, err, sizeof(err));
	ks_redis_conn *c;
	bool set = false;

	CHECK(p != NULL && !strcmp(ks_redis_pool_topology(p), "sentinel"));
	c = ks_redis_pool_route(p, "k", 1);
	CHECK(c != NULL && c == ks_redis_pool_route(p, "other", 5));
	CHECK(!strcmp(ks_redis_conn_desc(c), "sentinel://127.0.0.1:1,127.0.0.1:2 (master 'mm')") && ks_redis_conn_has_auth(c));
	CHECK(ks_redis_pool_sentinel_auth(p, &set) && set);
	ks_redis_pool_free(p);
	p = pool_for("sentinel://127.0.0.1:1?master=mm", NULL, err, sizeof(err));
	CHECK(p && ks_redis_pool_sentinel_auth(p, &set) && !set);
	ks_redis_pool_free(p);
	CHECK(pool_for("sentinel://127.0.0.1:1,127.0.0.1:2", NULL, err, sizeof(err)) == NULL && strstr(err, "needs master="));
	CHECK(pool_for("sentinel://h:1?master=a,sentinel://h:2?master=b", NULL, err, sizeof(err)) == NULL && strstr(err, "twice"));
}

static void test_cluster(void)
{
	char err[256];
	ks_redis_counters ctr;
	ks_redis_pool *p;
	ks_redis_conn *c;

	memset(&ctr, 0, sizeof(ctr));
	CHECK(pool_for("cluster://127.0.0.1:1?database=3", NULL, err, sizeof(err)) == NULL && strstr(err, "only database 0"));
	/* No seed answers (port 1 is closed): the route's connection carries the cause, naming the subject. */
	p = pool_for("cluster://127.0.0.1:1?timeout=0.5&read_timeout=0.5", &ctr, err, sizeof(err));
	CHECK(p != NULL && !strcmp(ks_redis_pool_topology(p), "cluster"));
	c = ks_redis_pool_route(p, "k", 1);
	CHECK(c != NULL && c->err == KS_REDIS_ERR_CONNECT && strstr(c->errstr, "cannot route test to a cluster master: cannot connect to tcp://127.0.0.1:1"));
	ks_redis_pool_reset_errors(p);
	CHECK(c->err == KS_REDIS_OK);
	/* Within the back-off: no second load, the last cause again. */
	c = ks_redis_pool_route(p, "k", 1);
	CHECK(c != NULL && strstr(c->errstr, "the slot map could not be loaded"));
	CHECK(ctr.connects == 0);
	ks_redis_pool_disconnect(p);
	ks_redis_pool_free(p);
}

static void test_matches(void)
{
	char err[256];
	ks_redis_path a, b;
	ks_redis_pool *p;

	parse("tcp://h:1?timeout=1, tcp://h:2", &a);
	p = ks_redis_pool_new(&a, NULL, "test", err, sizeof(err));
	parse("tcp://h:1?timeout=1, tcp://h:2", &b);
	CHECK(p && ks_redis_pool_matches(p, &b));
	ks_redis_path_dtor(&b);
	parse("tcp://h:1?timeout=2, tcp://h:2", &b);
	CHECK(!ks_redis_pool_matches(p, &b));   /* another timeout: another socket */
	ks_redis_path_dtor(&b);
	parse("tcp://h:1?timeout=1&weight=3, tcp://h:2", &b);
	CHECK(!ks_redis_pool_matches(p, &b));   /* another weight: another ring */
	ks_redis_path_dtor(&b);
	parse("tcp://h:1?timeout=1", &b);
	CHECK(!ks_redis_pool_matches(p, &b));
	ks_redis_path_dtor(&b);
	ks_redis_pool_free(p);
	ks_redis_path_dtor(&a);
}

int main(void)
{
	defaults.connect_timeout_ms = 1000;
	defaults.read_timeout_ms = 1000;
	defaults.weight = 1;
	defaults.tls_verify = true;
	test_single();
	test_ring();
	test_sentinel();
	test_cluster();
	test_matches();
	printf("test_pool: %d checks, %d failed\n", ks_unit_checks, ks_unit_failures);
	return ks_unit_failures ? 1 : 0;
}
