/*
 * pure_unit.c: unit tests of the pure session/redis helpers (save_path
 * parsing, session id checks, key names, lock TTL rule), without a server.
 * Built and run by tests/session/pure_helpers_unit_tests.phpt; prints one
 * line per failed check and "ok N" at the end.
 */
#include "redis/conn.h"
#include "session/ks_sess_keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int checks, failures;

#define CHECK(cond) check((cond), #cond, __LINE__)
static void check(int ok, const char *what, int line)
{
	checks++;
	if (!ok) {
		failures++;
		printf("FAILED line %d: %s\n", line, what);
	}
}

static ks_redis_params defaults(void)
{
	ks_redis_params d;
	memset(&d, 0, sizeof(d));
	d.connect_timeout_ms = 1000;
	d.read_timeout_ms = 2000;
	d.prefix = "ks:sess:";
	d.persistent = true;
	d.weight = 1;
	return d;
}

static int parse(const char *s, ks_redis_path *p, char *err)
{
	ks_redis_params d = defaults();
	return ks_redis_path_parse(s, strlen(s), &d, p, err, 256);
}

static void test_path(void)
{
	ks_redis_path p;
	char err[256];

	CHECK(parse("tcp://127.0.0.1:6380?timeout=2.5&read_timeout=0.1&database=3&prefix=a%3Ab&persistent=0&weight=4", &p, err) == 0);
	CHECK(p.nhosts == 1);
	CHECK(p.hosts[0].scheme == KS_REDIS_SCHEME_TCP);
	CHECK(!strcmp(p.hosts[0].host, "127.0.0.1") && p.hosts[0].port == 6380);
	CHECK(p.hosts[0].params.connect_timeout_ms == 2500 && p.hosts[0].params.read_timeout_ms == 100);
	CHECK(p.hosts[0].params.database == 3 && !p.hosts[0].params.persistent && p.hosts[0].params.weight == 4);
	CHECK(!strcmp(p.hosts[0].params.prefix, "a:b"));
	CHECK(!strcmp(p.hosts[0].desc, "tcp://127.0.0.1:6380"));
	CHECK(p.hosts[0].params.given == (KS_REDIS_P_TIMEOUT | KS_REDIS_P_READ_TIMEOUT | KS_REDIS_P_DATABASE
		| KS_REDIS_P_PREFIX | KS_REDIS_P_PERSISTENT | KS_REDIS_P_WEIGHT));
	ks_redis_path_dtor(&p);

	/* defaults apply; bare host; default port */
	CHECK(parse("redis.local", &p, err) == 0);
	CHECK(p.hosts[0].port == 6379 && p.hosts[0].params.connect_timeout_ms == 1000);
	CHECK(!strcmp(p.hosts[0].params.prefix, "ks:sess:") && p.hosts[0].params.given == 0);
	ks_redis_path_dtor(&p);

	/* IPv6 */
	CHECK(parse("tcp://[::1]:7000", &p, err) == 0);
	CHECK(!strcmp(p.hosts[0].host, "::1") && p.hosts[0].port == 7000 && !strcmp(p.hosts[0].desc, "tcp://[::1]:7000"));
	ks_redis_path_dtor(&p);

	/* unix socket, both spellings */
	CHECK(parse("unix:///run/redis.sock?database=1", &p, err) == 0);
	CHECK(p.hosts[0].scheme == KS_REDIS_SCHEME_UNIX && !strcmp(p.hosts[0].host, "/run/redis.sock") && p.hosts[0].port == 0);
	ks_redis_path_dtor(&p);
	CHECK(parse("unix:/run/redis.sock", &p, err) == 0 && !strcmp(p.hosts[0].desc, "unix:///run/redis.sock"));
	ks_redis_path_dtor(&p);

	/* auth forms; the password never appears in errors */
	CHECK(parse("tcp://h:1?auth=p%40ss", &p, err) == 0 && !strcmp(p.hosts[0].params.auth, "p@ss") && !p.hosts[0].params.user);
	ks_redis_path_dtor(&p);
	CHECK(parse("tcp://h:1?auth[]=alice&auth[]=pw", &p, err) == 0);
	CHECK(!strcmp(p.hosts[0].params.user, "alice") && !strcmp(p.hosts[0].params.auth, "pw"));
	ks_redis_path_dtor(&p);
	CHECK(parse("tcp://h:1?user=alice&auth=pw", &p, err) == 0 && !strcmp(p.hosts[0].params.user, "alice"));
	ks_redis_path_dtor(&p);
	CHECK(parse("tcp://h:1?auth=s3cret&database=x", &p, err) < 0 && !strstr(err, "s3cret"));
	CHECK(p.hosts == NULL && p.nhosts == 0);

	/* several hosts, comma and/or space separated */
	CHECK(parse("tcp://a:1?weight=2, tcp://b:2 unix:///s", &p, err) == 0 && p.nhosts == 3);
	CHECK(p.hosts[0].params.weight == 2 && p.hosts[1].params.weight == 1 && p.hosts[2].scheme == KS_REDIS_SCHEME_UNIX);
	ks_redis_path_dtor(&p);

	/* reserved schemes parse (the connection layer rejects them) */
	CHECK(parse("tls://h:6380", &p, err) == 0 && p.hosts[0].scheme == KS_REDIS_SCHEME_TLS);
	ks_redis_path_dtor(&p);

	/* errors point at the bad part */
	CHECK(parse("tcp://h:0", &p, err) < 0 && strstr(err, "bad port") && strstr(err, "offset 9"));
	CHECK(parse("tcp://h:1?timeout=0", &p, err) < 0 && strstr(err, "'timeout'"));
	CHECK(parse("tcp://h:1?x", &p, err) < 0 && strstr(err, "without '='"));
	CHECK(parse("tcp://h:1?a=1", &p, err) < 0 && strstr(err, "unknown parameter in host 1 at offset 11") && !strstr(err, "'a'"));
	CHECK(parse("tcp://h:1, tcp://h:1?database=zz", &p, err) < 0 && strstr(err, "host 2"));
	CHECK(parse("tcp://[::1", &p, err) < 0 && strstr(err, "']'"));
	CHECK(parse("tcp://h$x:1", &p, err) < 0 && strstr(err, "bad character in the host name of host 1 at offset 8"));
	CHECK(parse("  ,, ", &p, err) < 0 && strstr(err, "no host"));
	CHECK(parse("ftp://h", &p, err) < 0 && strstr(err, "unsupported scheme in host 1 at offset 1") && !strstr(err, "ftp"));
}

static void test_keys(void)
{
	ks_sess_keys k;
	char hex[33];
	unsigned char raw[16];
	char big[300];
	int i;

	CHECK(ks_sess_sid_valid("abcXYZ019,-", 11));
	CHECK(!ks_sess_sid_valid("", 0));
	CHECK(!ks_sess_sid_valid("../x", 4));
	CHECK(!ks_sess_sid_valid("a b", 3));
	CHECK(!ks_sess_sid_valid("a{b}", 4));
	CHECK(!ks_sess_sid_valid("a\0b", 3));
	memset(big, 'a', sizeof(big));
	CHECK(ks_sess_sid_valid(big, 256));
	CHECK(!ks_sess_sid_valid(big, 257));

	CHECK(ks_sess_keys_build(&k, "p:", 2, "abc", 3) == 0);
	CHECK(!strcmp(k.data, "p:{abc}") && k.data_len == 7);
	CHECK(!strcmp(k.lock, "p:{abc}:lock") && k.lock_len == 12);
	CHECK(!strcmp(k.wake, "p:{abc}:wake") && k.wake_len == 12);
	{
		char *rk = NULL;
		size_t rlen = 0;
		CHECK(ks_sess_keys_receipt(&k, "00112233445566778899aabbccddeeff", &rk, &rlen) == 0);
		CHECK(rk && !strcmp(rk, "p:{abc}:done:00112233445566778899aabbccddeeff") && rlen == strlen(rk));
		free(rk);
	}
	ks_sess_keys_free(&k);
	CHECK(k.buf == NULL);

	for (i = 0; i < 16; i++) {
		raw[i] = (unsigned char)(i * 17);
	}
	ks_sess_hex(raw, 16, hex);
	CHECK(!strcmp(hex, "00112233445566778899aabbccddeeff"));

	CHECK(ks_sess_lock_ttl_ms(1234, 0) == 1234);
	CHECK(ks_sess_lock_ttl_ms(0, 0) == 30000);          /* CLI: still finite */
	CHECK(ks_sess_lock_ttl_ms(0, 10) == 30000);         /* floor */
	CHECK(ks_sess_lock_ttl_ms(0, 60) == 65000);         /* max_execution_time + 5 s */
	CHECK(ks_sess_lock_ttl_ms(0, 86399) == 86400000);   /* + 5 s, clamped to lock_ttl's maximum */
	CHECK(ks_sess_lock_ttl_ms(0, 86400) == 86400000);   /* a day or more: the maximum, never back to 30 s */
	CHECK(ks_sess_lock_ttl_ms(0, INT64_MAX) == 86400000);
	CHECK(ks_sess_lock_wait_ms(-1, 65000) == 65000);
	CHECK(ks_sess_lock_wait_ms(0, 65000) == 0);
	CHECK(ks_sess_lock_wait_ms(250, 65000) == 250);
}

int main(void)
{
	test_path();
	test_keys();
	printf("ok %d/%d\n", checks - failures, checks);
	return failures ? 1 : 0;
}
