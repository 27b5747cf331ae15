/*
 * test_path.c: the save_path parser (path.c), which reads text an
 * administrator wrote and that may hold passwords.
 *
 *   fixed cases   one per rule: what each error names, that none quotes
 *                 the save_path, %-decoding of query values only, limits;
 *                 each field of a parsed host, with the defaults the
 *                 session handler passes
 *   round trip    random valid save paths (fixed seeds) built from a model,
 *                 written out with every value %-encoded in random ways,
 *                 parsed back and compared with the model field by field
 *   mutations     the same paths with random edits (bytes inserted,
 *                 deleted, replaced, escapes undone so a raw '&' or ','
 *                 lands in a password): the parser never crashes, and a
 *                 refusal never quotes any of the text
 *
 * "Secret" text is written with the letters of SECRET_ALPHABET, which no
 * error message of path.c contains two of in a row, so any two of them
 * side by side in a message are a leak.
 *
 * KS_UNIT_ITERATIONS (default 3000 per seed) and KS_UNIT_SEED (run that one
 * seed instead of the fixed list) are for long runs: scripts/fuzz-save-path.
 * Built and run by scripts/unit.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "redis/path.h"

int ks_unit_checks;
int ks_unit_failures;

#define SECRET_ALPHABET "QZJKVWY"

/* ---- helpers ---- */

static ks_redis_params defaults(void)
{
	ks_redis_params d;

	memset(&d, 0, sizeof(d));
	d.connect_timeout_ms = 1000;
	d.read_timeout_ms = 2000;
	d.weight = 1;
	d.tls_verify = true;
	return d;
}

/* True when text holds two secret letters side by side. */
static int leaks(const char *text)
{
	size_t i;

	for (i = 0; text[0] && text[i + 1]; i++) {
		if (strchr(SECRET_ALPHABET, text[i]) && strchr(SECRET_ALPHABET, text[i + 1])) {
			return 1;
		}
	}
	return 0;
}

/* Parses s; on failure checks the message is set and leaks nothing. */
static int parse(const char *s, ks_redis_path *p, char *err, size_t errlen)
{
	ks_redis_params d = defaults();
	int rc = ks_redis_path_parse(s, strlen(s), &d, p, err, errlen);

	if (rc < 0) {
		CHECK(err[0] != '\0' && !leaks(err));
		CHECK(p->nhosts == 0 && p->hosts == NULL);
	}
	return rc;
}

/* Expects a refusal whose message contains `want`. */
static void refused(const char *s, const char *want)
{
	ks_redis_path p;
	char err[512];

	if (!CHECK(parse(s, &p, err, sizeof(err)) == -1)) {
		fprintf(stderr, "  accepted: %s\n", s);
		ks_redis_path_dtor(&p);
		return;
	}
	if (!CHECK(strstr(err, want) != NULL)) {
		fprintf(stderr, "  %s\n  gave: %s\n  want: %s\n", s, err, want);
	}
}

/* 255 bytes is the longest name every layer holds; 256 is refused by name, on every scheme. */
static void long_host_names(void)
{
	static const char *schemes[] = { "tcp://", "tls://", "cluster://", "sentinel://", "" };
	char name[257], path[400];
	size_t i;
	ks_redis_path p;
	char err[256];

	memset(name, 'a', 256);
	name[256] = '\0';
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		snprintf(path, sizeof(path), "%s%s:7000%s", schemes[i], name, i == 3 ? "?master=m" : "");
		refused(path, "host name of host 1 at offset ");
		refused(path, " is longer than 255 bytes");
		snprintf(path, sizeof(path), "%s%s:7000%s", schemes[i], name + 1, i == 3 ? "?master=m" : "");
		CHECK(parse(path, &p, err, sizeof(err)) == 0);
		ks_redis_path_dtor(&p);
	}
}

/* ---- fixed cases ---- */

static void test_secrets_never_quoted(void)
{
	ks_redis_path p;
	char err[512];

	/* An unencoded '&' in a password: its tail is neither a parameter nor quoted. */
	refused("tcp://127.0.0.1:6379?auth=Sup3r&S3cret", "parameter without '=' in host 1 at offset 33");
	CHECK(parse("tcp://127.0.0.1:6379?auth=Sup3r&S3cret", &p, err, sizeof(err)) == -1 && !strstr(err, "S3cret"));
	refused("tcp://127.0.0.1:6379?auth=QZ&JKVW=YQ", "unknown parameter in host 1 at offset 30");
	/* user:password@ is refused without quoting either part. */
	refused("redis://default:S3cretPw@127.0.0.1:6379", "credentials before '@' in host 1 at offset 9 are not supported");
	CHECK(parse("redis://default:S3cretPw@127.0.0.1:6379", &p, err, sizeof(err)) == -1
		&& !strstr(err, "S3cretPw") && !strstr(err, "default"));
	refused("tcp://QZJK@h:6379", "credentials before '@'");
	/* auth=a,b: the tail after ',' is not made a host (it would be named after the password). */
	refused("tcp://127.0.0.1:6379?auth=QZJ,KVW", "host 2 at offset 31 has no scheme and follows a host with parameters");
	refused("tcp://127.0.0.1:6379?auth=QZJ KVW:6379", "has no scheme and follows a host with parameters");
	/* A trailing ',' or space would silently cut the password's last character off. */
	refused("tcp://h:6379?auth=QZJKV,", "empty host after the ',' at offset 24 (the save_path ends there");
	refused("tcp://h:6379?auth=QZJKV, ", "empty host after the ',' at offset 24");
	refused("tcp://h:6379?auth=QZJKV ", "white space at offset 24 ends the save_path after a host with parameters");
	refused("tcp://h:6379?auth=QZJKV\n", "white space at offset 24 ends");
	refused("tcp://a:1,,tcp://b:2", "empty host at offset 11 (a ',' with no host between it and the previous ',')");
	refused("tcp://a:1?auth=QZ, ,tcp://b:2", "empty host at offset 20");
	refused(",tcp://a:1", "empty host at offset 1 (a ',' with no host before it)");
	refused("tcp://a:1,", "empty host after the ',' at offset 10");
	/* Values of known parameters are not quoted either. */
	refused("tcp://h:6379?timeout=QZJ", "bad value for 'timeout' in host 1 at offset 14 (want seconds > 0, at most 86400)");
	refused("tcp://h:6379?database=QZ", "bad value for 'database' in host 1 at offset 14 (want an integer >= 0)");
	refused("tcp://h:6379?persistent=QZ", "bad value for 'persistent'");
	refused("tcp://h:QZJK", "bad port in host 1 at offset 9 (want 1..65535)");
	refused("tcp://hQZ!K:1", "bad character in the host name of host 1 at offset 10");
	long_host_names();
	refused("QZJK://h:1", "unsupported scheme in host 1 at offset 1");
	refused("unix://QZJK", "unix socket path must be absolute in host 1 at offset 8");
	refused("tcp://h:6379?auth=QZ%4", "bad %-escape in the value of 'auth' in host 1 at offset 21");
}

static void test_percent_encoded_passwords(void)
{
	ks_redis_path p;
	char err[512];
	const char *s = "tcp://h:6379?auth=Sup3r%26S3cret%2Cx%25y%2By+z&user=a%40b";

	/* '&', ',', '%' and '+' in a password, written as %26, %2C, %25 and %2B. */
	CHECK(parse(s, &p, err, sizeof(err)) == 0);
	CHECK(p.nhosts == 1 && !strcmp(p.hosts[0].params.auth, "Sup3r&S3cret,x%y+y z"));
	CHECK(!strcmp(p.hosts[0].params.user, "a@b"));
	ks_redis_path_dtor(&p);
	/* A '%' that starts no escape is an error, not a literal. */
	refused("tcp://h:6379?auth=100%sure", "bad %-escape in the value of 'auth'");
	refused("tcp://h:6379?auth=x%", "bad %-escape");
}

static void test_decoding_only_in_query_values(void)
{
	ks_redis_path p;
	char err[512];

	CHECK(parse("unix:///tmp/a+b.sock", &p, err, sizeof(err)) == 0 && !strcmp(p.hosts[0].host, "/tmp/a+b.sock"));
	ks_redis_path_dtor(&p);
	CHECK(parse("unix:///tmp/a%20b.sock?prefix=a+b", &p, err, sizeof(err)) == 0
		&& !strcmp(p.hosts[0].host, "/tmp/a%20b.sock") && !strcmp(p.hosts[0].params.prefix, "a b"));
	ks_redis_path_dtor(&p);
	/* Keys are taken as written. */
	refused("tcp://h:6379?au%74h=x", "unknown parameter");
	/* %00 would cut the value short in C: refused. */
	refused("tcp://h:6379?prefix=app%00:", "%00 (a NUL byte) in the value of 'prefix' in host 1 at offset 24");
	refused("tcp://h:6379?auth=%00QZJ", "%00 (a NUL byte) in the value of 'auth'");
	{
		ks_redis_params d = defaults();
		static const char with_nul[] = "tcp://h:6379?auth=a\0b";
		CHECK(ks_redis_path_parse(with_nul, sizeof(with_nul) - 1, &d, &p, err, sizeof(err)) == -1
			&& strstr(err, "NUL byte at offset 20"));
	}
}

static void test_timeout_limits(void)
{
	ks_redis_path p;
	char err[512];

	refused("tcp://h:6379?read_timeout=3000000", "bad value for 'read_timeout' in host 1 at offset 14 (want seconds > 0, at most 86400)");
	refused("tcp://h:6379?timeout=86400.001", "bad value for 'timeout'");
	refused("tcp://h:6379?timeout=1e300", "bad value for 'timeout'");
	refused("tcp://h:6379?timeout=inf", "bad value for 'timeout'");
	refused("tcp://h:6379?timeout=0", "bad value for 'timeout'");
	CHECK(parse("tcp://h:6379?timeout=86400&read_timeout=0.0001", &p, err, sizeof(err)) == 0);
	CHECK(p.hosts[0].params.connect_timeout_ms == 86400000 && p.hosts[0].params.read_timeout_ms == 1);
	ks_redis_path_dtor(&p);
	/* 2.007 * 1000 is 2007.0000000000002: 2007 ms, in save_path and (the same function) in the INI. */
	CHECK(parse("tcp://h:6379?timeout=2.007&read_timeout=12.3451", &p, err, sizeof(err)) == 0);
	CHECK(p.hosts[0].params.connect_timeout_ms == 2007 && p.hosts[0].params.read_timeout_ms == 12346);
	ks_redis_path_dtor(&p);
	CHECK(ks_redis_seconds_to_ms(2.007) == 2007 && ks_redis_seconds_to_ms(12.345) == 12345);
	CHECK(ks_redis_seconds_to_ms(0.0001) == 1 && ks_redis_seconds_to_ms(1.0005) == 1001);
	CHECK(ks_redis_seconds_to_ms(86400.0) == 86400000);
}

static void test_cluster_prefix_hash_tag(void)
{
	ks_redis_path p;
	char err[512];
	ks_redis_params d = defaults();
	const char *s = "cluster://h1:7000,h2:7001";

	refused("cluster://h1:7000,h2:7001?prefix=app{x}:", "the key prefix of host 2 contains '{' or '}'");
	refused("cluster://h1:7000?prefix=a}", "contains '{' or '}'");
	/* From the INI default too. */
	d.prefix = "app{";
	CHECK(ks_redis_path_parse(s, strlen(s), &d, &p, err, sizeof(err)) == -1 && strstr(err, "keepsake.session.prefix"));
	/* Elsewhere a brace in the prefix harms nothing. */
	CHECK(parse("tcp://h:6379?prefix=app{x}:", &p, err, sizeof(err)) == 0);
	ks_redis_path_dtor(&p);
}

static void test_mixed_schemes(void)
{
	ks_redis_path p;
	char err[512];

	refused("tcp://127.0.0.1:6379, sentinel://127.0.0.1:26379?master=m",
		"host 2 is sentinel:// but host 1 is tcp://");
	refused("tcp://127.0.0.1:6379, cluster://127.0.0.1:7000", "host 2 is cluster:// but host 1 is tcp://");
	refused("sentinel://127.0.0.1:26379?master=m, tcp://127.0.0.1:6379", "host 2 is tcp:// but host 1 is sentinel://");
	refused("cluster://a:7000, sentinel://b:26379?master=m", "host 2 is sentinel:// but host 1 is cluster://");
	refused("tls://a:6380, unix:///s.sock, cluster://c:7000", "host 3 is cluster:// but host 1 is tls://");
	CHECK(parse("tcp://a:6379, tls://b:6380, unix:///tmp/r.sock", &p, err, sizeof(err)) == 0 && p.nhosts == 3);
	ks_redis_path_dtor(&p);
	CHECK(parse("sentinel://a:26379,b:26379 sentinel://c:26379?master=m", &p, err, sizeof(err)) == 0 && p.nhosts == 3);
	ks_redis_path_dtor(&p);
	/* Separators: leading white space, ", " and " , " between hosts, trailing white space after a
	 * host without parameters (a quoted multi-line INI value) are fine. */
	CHECK(parse("  tcp://a:1 , tcp://b:2?weight=2,\n\ttcp://c:3 \n", &p, err, sizeof(err)) == 0 && p.nhosts == 3);
	ks_redis_path_dtor(&p);
	CHECK(parse("tcp://a:1?weight=2%20", &p, err, sizeof(err)) == -1);   /* not a number, but parsed up to the end */
	CHECK(parse("tcp://a:1?auth=QZ%2C%20", &p, err, sizeof(err)) == 0 && !strcmp(p.hosts[0].params.auth, "QZ, "));
	ks_redis_path_dtor(&p);
}

/* ---- fields of parsed hosts (with the session handler's defaults) ---- */

/* The defaults the session handler passes (a prefix, persistent on). */
static ks_redis_params session_defaults(void)
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

static int parse_with_session_defaults(const char *s, ks_redis_path *p, char *err)
{
	ks_redis_params d = session_defaults();
	return ks_redis_path_parse(s, strlen(s), &d, p, err, 256);
}

/* Each field of a parsed host, the forms of auth, several hosts, and the
 * offsets errors give. */
static void test_fields_and_error_offsets(void)
{
	ks_redis_path p;
	char err[256];

	CHECK(parse_with_session_defaults("tcp://127.0.0.1:6380?timeout=2.5&read_timeout=0.1&database=3&prefix=a%3Ab&persistent=0&weight=4", &p, err) == 0);
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
	CHECK(parse_with_session_defaults("redis.local", &p, err) == 0);
	CHECK(p.hosts[0].port == 6379 && p.hosts[0].params.connect_timeout_ms == 1000);
	CHECK(!strcmp(p.hosts[0].params.prefix, "ks:sess:") && p.hosts[0].params.given == 0);
	ks_redis_path_dtor(&p);

	/* IPv6 */
	CHECK(parse_with_session_defaults("tcp://[::1]:7000", &p, err) == 0);
	CHECK(!strcmp(p.hosts[0].host, "::1") && p.hosts[0].port == 7000 && !strcmp(p.hosts[0].desc, "tcp://[::1]:7000"));
	ks_redis_path_dtor(&p);

	/* unix socket, both spellings */
	CHECK(parse_with_session_defaults("unix:///run/redis.sock?database=1", &p, err) == 0);
	CHECK(p.hosts[0].scheme == KS_REDIS_SCHEME_UNIX && !strcmp(p.hosts[0].host, "/run/redis.sock") && p.hosts[0].port == 0);
	ks_redis_path_dtor(&p);
	CHECK(parse_with_session_defaults("unix:/run/redis.sock", &p, err) == 0 && !strcmp(p.hosts[0].desc, "unix:///run/redis.sock"));
	ks_redis_path_dtor(&p);

	/* auth forms; the password never appears in errors */
	CHECK(parse_with_session_defaults("tcp://h:1?auth=p%40ss", &p, err) == 0 && !strcmp(p.hosts[0].params.auth, "p@ss") && !p.hosts[0].params.user);
	ks_redis_path_dtor(&p);
	CHECK(parse_with_session_defaults("tcp://h:1?auth[]=alice&auth[]=pw", &p, err) == 0);
	CHECK(!strcmp(p.hosts[0].params.user, "alice") && !strcmp(p.hosts[0].params.auth, "pw"));
	ks_redis_path_dtor(&p);
	CHECK(parse_with_session_defaults("tcp://h:1?user=alice&auth=pw", &p, err) == 0 && !strcmp(p.hosts[0].params.user, "alice"));
	ks_redis_path_dtor(&p);
	CHECK(parse_with_session_defaults("tcp://h:1?auth=s3cret&database=x", &p, err) < 0 && !strstr(err, "s3cret"));
	CHECK(p.hosts == NULL && p.nhosts == 0);

	/* several hosts, comma and/or space separated */
	CHECK(parse_with_session_defaults("tcp://a:1?weight=2, tcp://b:2 unix:///s", &p, err) == 0 && p.nhosts == 3);
	CHECK(p.hosts[0].params.weight == 2 && p.hosts[1].params.weight == 1 && p.hosts[2].scheme == KS_REDIS_SCHEME_UNIX);
	ks_redis_path_dtor(&p);

	/* reserved schemes parse (the connection layer rejects them) */
	CHECK(parse_with_session_defaults("tls://h:6380", &p, err) == 0 && p.hosts[0].scheme == KS_REDIS_SCHEME_TLS);
	ks_redis_path_dtor(&p);

	/* errors point at the bad part */
	CHECK(parse_with_session_defaults("tcp://h:0", &p, err) < 0 && strstr(err, "bad port") && strstr(err, "offset 9"));
	CHECK(parse_with_session_defaults("tcp://h:1?timeout=0", &p, err) < 0 && strstr(err, "'timeout'"));
	CHECK(parse_with_session_defaults("tcp://h:1?x", &p, err) < 0 && strstr(err, "without '='"));
	CHECK(parse_with_session_defaults("tcp://h:1?a=1", &p, err) < 0 && strstr(err, "unknown parameter in host 1 at offset 11") && !strstr(err, "'a'"));
	CHECK(parse_with_session_defaults("tcp://h:1, tcp://h:1?database=zz", &p, err) < 0 && strstr(err, "host 2"));
	CHECK(parse_with_session_defaults("tcp://[::1", &p, err) < 0 && strstr(err, "']'"));
	CHECK(parse_with_session_defaults("tcp://h$x:1", &p, err) < 0 && strstr(err, "bad character in the host name of host 1 at offset 8"));
	CHECK(parse_with_session_defaults("  ,, ", &p, err) < 0 && strstr(err, "no host"));
	CHECK(parse_with_session_defaults("ftp://h", &p, err) < 0 && strstr(err, "unsupported scheme in host 1 at offset 1") && !strstr(err, "ftp"));
}

/* ---- random save paths ---- */

/* xorshift64*: the same sequence on every machine for a given seed. */
static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static unsigned pick(unsigned n)
{
	return (unsigned)(rnd() % n);
}

typedef struct sbuf {
	char s[4096];
	size_t n;
} sbuf;

static void put(sbuf *b, const char *text)
{
	size_t l = strlen(text);

	if (b->n + l < sizeof(b->s)) {
		memcpy(b->s + b->n, text, l + 1);
		b->n += l;
	}
}

/* A value: secret letters with the characters that break unencoded paths. */
static void random_value(char *out, size_t cap, int allow_braces)
{
	static const char special[] = "&,%@:=+?/ #;'\"\\[]!$*()~._-";
	size_t n = 1 + pick(14), i;

	for (i = 0; i < n && i + 1 < cap; i++) {
		unsigned r = pick(10);
		char c;

		if (r < 6) {
			c = SECRET_ALPHABET[pick(sizeof(SECRET_ALPHABET) - 1)];
		} else if (r < 9) {
			c = special[pick(sizeof(special) - 1)];
		} else if (allow_braces && pick(2)) {
			c = pick(2) ? '{' : '}';
		} else {
			c = (char)(0x80 + pick(0x80));   /* UTF-8 bytes and worse */
		}
		out[i] = c;
	}
	out[i] = '\0';
}

/* Writes v %-encoded: unreserved characters raw or (sometimes) escaped,
 * a space as '+' or %20, everything else as %XX in either case. */
static void put_encoded(sbuf *b, const char *v)
{
	char tmp[8];

	for (; *v; v++) {
		unsigned char c = (unsigned char)*v;
		int unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
			|| c == '-' || c == '.' || c == '_' || c == '~';

		if (unreserved && pick(8)) {
			tmp[0] = (char)c, tmp[1] = '\0';
		} else if (c == ' ' && pick(2)) {
			strcpy(tmp, "+");
		} else {
			snprintf(tmp, sizeof(tmp), pick(2) ? "%%%02X" : "%%%02x", c);
		}
		put(b, tmp);
	}
}

/* What one host should parse to. */
typedef struct model_host {
	ks_redis_scheme scheme;
	char host[64];
	int port;
	bool bare;            /* written without a scheme */
	bool has_query;
	int timeout_ms, read_timeout_ms, database, weight, persistent;   /* -1: not given */
	char auth[32], user[32], prefix[32], master[32], sentinel_auth[32], tls_sni[32];
	bool has_auth, has_user, has_prefix, has_master, has_sentinel_auth, has_tls_sni;
} model_host;

typedef struct model {
	model_host h[4];
	size_t n;
} model;

static void put_param(sbuf *b, bool *first, const char *key, const char *raw_value, bool encode)
{
	put(b, *first ? "?" : "&");
	*first = false;
	put(b, key);
	put(b, "=");
	if (encode) {
		put_encoded(b, raw_value);
	} else {
		put(b, raw_value);
	}
}

static void random_host_name(model_host *h)
{
	static const char *const v6[] = { "::1", "fe80::1", "2001:db8::7" };

	if (h->scheme == KS_REDIS_SCHEME_UNIX) {
		snprintf(h->host, sizeof(h->host), "/tmp/r%u+x%%41.sock", pick(1000));
		h->port = 0;
		return;
	}
	if (pick(5) == 0) {
		snprintf(h->host, sizeof(h->host), "%s", v6[pick(3)]);
	} else {
		snprintf(h->host, sizeof(h->host), "redis-%u.example", pick(100000));
	}
	h->port = pick(4) ? 1 + (int)pick(65535) : 6379;
}

/* The query of one host: a random subset of the parameters its scheme takes. */
static void random_query(model_host *h, sbuf *b)
{
	bool first = true;
	char num[32];

	h->timeout_ms = h->read_timeout_ms = h->database = h->weight = h->persistent = -1;
	if (pick(2)) {
		unsigned ms = 1 + pick(86400000);
		snprintf(num, sizeof(num), "%u.%03u", ms / 1000, ms % 1000);
		h->timeout_ms = (int)ms;
		put_param(b, &first, "timeout", num, false);
	}
	if (pick(2)) {
		h->read_timeout_ms = pick(8) ? (1 + (int)pick(600)) * 1000 : 1;
		snprintf(num, sizeof(num), h->read_timeout_ms == 1 ? "0.0001" : "%d", h->read_timeout_ms / 1000);
		put_param(b, &first, "read_timeout", num, false);
	}
	if (h->scheme != KS_REDIS_SCHEME_CLUSTER && pick(3) == 0) {
		h->database = (int)pick(16);
		snprintf(num, sizeof(num), "%d", h->database);
		put_param(b, &first, "database", num, false);
	}
	if (pick(2)) {
		random_value(h->auth, sizeof(h->auth), 1);
		h->has_auth = true;
		put_param(b, &first, "auth", h->auth, true);
		if (pick(2)) {
			random_value(h->user, sizeof(h->user), 1);
			h->has_user = true;
			put_param(b, &first, "user", h->user, true);
		}
	}
	if (pick(2)) {
		random_value(h->prefix, sizeof(h->prefix), h->scheme != KS_REDIS_SCHEME_CLUSTER);
		h->has_prefix = true;
		put_param(b, &first, "prefix", h->prefix, true);
	}
	if (pick(3) == 0) {
		h->persistent = (int)pick(2);
		put_param(b, &first, "persistent", h->persistent ? "1" : "0", false);
	}
	if (h->scheme == KS_REDIS_SCHEME_TLS && pick(2)) {
		random_value(h->tls_sni, sizeof(h->tls_sni), 1);
		h->has_tls_sni = true;
		put_param(b, &first, pick(2) ? "tls_sni" : "stream[peer_name]", h->tls_sni, true);
	}
	if (h->scheme == KS_REDIS_SCHEME_SENTINEL && pick(2)) {
		random_value(h->sentinel_auth, sizeof(h->sentinel_auth), 1);
		h->has_sentinel_auth = true;
		put_param(b, &first, "sentinel_auth", h->sentinel_auth, true);
	}
	if (h->scheme == KS_REDIS_SCHEME_SENTINEL && (h->has_master || pick(2))) {
		random_value(h->master, sizeof(h->master), 1);
		h->has_master = true;
		put_param(b, &first, "master", h->master, true);
	}
	h->has_query = !first;
}

static const char *scheme_prefix(ks_redis_scheme s)
{
	static const char *const tcp[] = { "tcp://", "redis://", "TCP://" };
	static const char *const tls[] = { "tls://", "ssl://", "rediss://" };
	static const char *const unix_[] = { "unix://", "unix:", "file://" };

	switch (s) {
		case KS_REDIS_SCHEME_TCP: return tcp[pick(3)];
		case KS_REDIS_SCHEME_TLS: return tls[pick(3)];
		case KS_REDIS_SCHEME_UNIX: return unix_[pick(3)];
		case KS_REDIS_SCHEME_CLUSTER: return "cluster://";
		case KS_REDIS_SCHEME_SENTINEL: return "sentinel://";
	}
	return "";
}

/* A valid save_path and what it should parse to. */
static void random_path(model *m, sbuf *b)
{
	unsigned kind = pick(3);   /* 0: tcp/tls/unix (a ring when several), 1: sentinel, 2: cluster */
	size_t i;

	memset(m, 0, sizeof(*m));
	b->n = 0;
	b->s[0] = '\0';
	m->n = 1 + pick(4);
	for (i = 0; i < m->n; i++) {
		model_host *h = &m->h[i];
		static const char *const seps[] = { ",", ", ", " ", " , ", "\t" };
		bool prev_query = i > 0 && m->h[i - 1].has_query;

		h->scheme = kind == 1 ? KS_REDIS_SCHEME_SENTINEL : kind == 2 ? KS_REDIS_SCHEME_CLUSTER
			: (ks_redis_scheme)(pick(3) == 0 ? KS_REDIS_SCHEME_TLS : pick(4) == 0 ? KS_REDIS_SCHEME_UNIX
				: KS_REDIS_SCHEME_TCP);
		/* A bare host takes the scheme before it: tcp:// in a ring, else the
		 * topology's; after a host with a query it is refused, so never then. */
		h->bare = !prev_query && (kind == 0 ? h->scheme == KS_REDIS_SCHEME_TCP : i > 0) && pick(2);
		if (i > 0) {
			put(b, seps[pick(5)]);
		}
		random_host_name(h);
		if (!h->bare) {
			put(b, scheme_prefix(h->scheme));
		}
		if (h->scheme == KS_REDIS_SCHEME_UNIX) {
			put(b, h->host);
		} else {
			char addr[96];
			bool v6 = strchr(h->host, ':') != NULL;
			if (h->port == 6379 && pick(2)) {
				snprintf(addr, sizeof(addr), v6 ? "[%s]" : "%s", h->host);
			} else {
				snprintf(addr, sizeof(addr), v6 ? "[%s]:%d" : "%s:%d", h->host, h->port);
			}
			put(b, addr);
		}
		/* sentinel: master= on the last host; cluster: the query on the last host. */
		if (kind == 1) {
			m->h[i].has_master = i + 1 == m->n;
		}
		if ((kind == 0 && pick(2)) || i + 1 == m->n) {
			random_query(h, b);
			if (kind == 0 && m->n > 1 && pick(2)) {
				char num[16];
				h->weight = 1 + (int)pick(5);
				snprintf(num, sizeof(num), "%s%sweight=%d", h->has_query ? "" : "?", h->has_query ? "&" : "", h->weight);
				put(b, num);
				h->has_query = true;
			}
		} else {
			h->timeout_ms = h->read_timeout_ms = h->database = h->weight = h->persistent = -1;
		}
	}
}

static int same_str(const char *want, bool given, const char *got, const char *dflt)
{
	if (!given) {
		return (dflt == NULL && got == NULL) || (dflt && got && !strcmp(dflt, got));
	}
	return got && !strcmp(want, got);
}

/* Compares a parse with its model; 1 when every field matches. */
static int matches(const model *m, const ks_redis_path *p)
{
	size_t i;

	if (p->nhosts != m->n) {
		return 0;
	}
	for (i = 0; i < m->n; i++) {
		const model_host *w = &m->h[i];
		const ks_redis_host *g = &p->hosts[i];
		const ks_redis_params *q = &g->params;

		if (g->scheme != w->scheme || strcmp(g->host, w->host) || g->port != w->port
			|| q->connect_timeout_ms != (w->timeout_ms > 0 ? w->timeout_ms : 1000)
			|| q->read_timeout_ms != (w->read_timeout_ms > 0 ? w->read_timeout_ms : 2000)
			|| q->database != (w->database >= 0 ? w->database : 0)
			|| q->weight != (w->weight > 0 ? w->weight : 1)
			|| q->persistent != (w->persistent == 1)
			|| !same_str(w->auth, w->has_auth, q->auth, NULL) || !same_str(w->user, w->has_user, q->user, NULL)
			|| !same_str(w->prefix, w->has_prefix, q->prefix, NULL)
			|| !same_str(w->master, w->has_master, q->master, NULL)
			|| !same_str(w->sentinel_auth, w->has_sentinel_auth, q->sentinel_auth, NULL)
			|| !same_str(w->tls_sni, w->has_tls_sni, q->tls_sni, NULL)
			|| leaks(g->desc)) {
			return 0;
		}
	}
	return 1;
}

/* Random edits of a valid path, the kind a hand-written save_path gets. */
static size_t mutate(char *s, size_t n, size_t cap)
{
	static const char interesting[] = "&,%@:=+?/ {}[]\0\xff" SECRET_ALPHABET "09azAZ";
	unsigned edits = 1 + pick(4), k;

	for (k = 0; k < edits; k++) {
		size_t at = n ? pick((unsigned)n + 1) : 0;
		unsigned op = pick(6);

		if (op == 0 && n + 1 < cap) {                  /* insert a byte */
			memmove(s + at + 1, s + at, n - at);
			s[at] = interesting[pick(sizeof(interesting) - 1)];
			n++;
		} else if (op == 1 && at < n) {               /* delete a byte */
			memmove(s + at, s + at + 1, n - at - 1);
			n--;
		} else if (op == 2 && at < n) {               /* replace a byte */
			s[at] = (char)pick(256);
		} else if (op == 3) {                         /* undo one %-escape: a raw special lands in a value */
			char *pct = memchr(s + at, '%', n - at);
			if (pct && pct + 2 < s + n) {
				unsigned v;
				char hex[3] = { pct[1], pct[2], 0 };
				if (sscanf(hex, "%2x", &v) == 1) {
					*pct = (char)v;
					memmove(pct + 1, pct + 3, (size_t)(s + n - pct - 3));
					n -= 2;
				}
			}
		} else if (op == 4) {                         /* truncate */
			n = at;
		} else if (op == 5 && at < n && n + (n - at) < cap) {   /* duplicate the tail */
			memcpy(s + n, s + at, n - at);
			n += n - at;
		}
	}
	return n;
}

static void test_random(uint64_t seed, unsigned iterations)
{
	unsigned i, bad_round_trips = 0, crashes_checked = 0;

	rng_state = seed * 0x9E3779B97F4A7C15ULL + 1;
	for (i = 0; i < iterations; i++) {
		model m;
		sbuf b;
		ks_redis_path p;
		ks_redis_params d = defaults();
		char err[512], mutated[8192];
		size_t n;
		int rc;

		random_path(&m, &b);
		rc = ks_redis_path_parse(b.s, b.n, &d, &p, err, sizeof(err));
		if (rc != 0 || !matches(&m, &p)) {
			if (bad_round_trips++ < 5) {
				fprintf(stderr, "seed %llu #%u: round trip failed for [%s]: %s\n",
					(unsigned long long)seed, i, b.s, rc ? err : "fields differ");
			}
		}
		if (rc == 0) {
			ks_redis_path_dtor(&p);
		}

		memcpy(mutated, b.s, b.n);
		n = mutate(mutated, b.n, sizeof(mutated));
		memset(err, 'x', sizeof(err));
		rc = ks_redis_path_parse(mutated, n, &d, &p, err, sizeof(err));
		crashes_checked++;
		if (rc == 0) {
			size_t h;
			CHECK(p.nhosts >= 1);
			for (h = 0; h < p.nhosts; h++) {
				CHECK(p.hosts[h].host && p.hosts[h].host[0]);
				CHECK(p.hosts[h].scheme == KS_REDIS_SCHEME_UNIX ? p.hosts[h].port == 0
					: p.hosts[h].port >= 1 && p.hosts[h].port <= 65535);
				CHECK(p.hosts[h].params.connect_timeout_ms > 0 && p.hosts[h].params.read_timeout_ms > 0);
			}
			ks_redis_path_dtor(&p);
		} else if (!CHECK(rc == -1 && memchr(err, '\0', sizeof(err)) && err[0] && !leaks(err))) {
			fprintf(stderr, "seed %llu #%u: [%.*s] -> %s\n", (unsigned long long)seed, i, (int)n, mutated, err);
		}
	}
	CHECK(bad_round_trips == 0);
	CHECK(crashes_checked == iterations);
}

int main(void)
{
	static const uint64_t seeds[] = { 1, 2, 3, 42, 1234567, 20261129 };
	const char *it = getenv("KS_UNIT_ITERATIONS"), *one = getenv("KS_UNIT_SEED");
	unsigned iterations = it && *it ? (unsigned)strtoul(it, NULL, 10) : 3000;
	size_t i;

	test_secrets_never_quoted();
	test_percent_encoded_passwords();
	test_decoding_only_in_query_values();
	test_timeout_limits();
	test_cluster_prefix_hash_tag();
	test_mixed_schemes();
	test_fields_and_error_offsets();
	if (one && *one) {
		test_random(strtoull(one, NULL, 10), iterations);
	} else {
		for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
			test_random(seeds[i], iterations);
		}
	}
	printf("test_path: %d checks, %d failed\n", ks_unit_checks, ks_unit_failures);
	return ks_unit_failures ? 1 : 0;
}
