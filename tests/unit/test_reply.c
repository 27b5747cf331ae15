/*
 * test_reply.c: unit tests of the RESP reader's typed replies (reply.c) and
 * the command builder (cmd.c), without a server.
 *  - every reply kind, nesting, binary strings, taking an element out;
 *  - a reply fed one byte at a time comes out whole, and only at the end;
 *  - bytes that are not RESP put the reader in error, with a reason;
 *  - commands encode to exactly the RESP Redis expects, whatever the bytes;
 *  - randomized, fixed seeds: random reply trees encoded, fed in random
 *    chunks, come back equal; random edits of valid streams never crash
 *    the reader nor leak (scripts/unit --valgrind checks that).
 * Built and run by scripts/unit.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "redis/reply.h"
#include "redis/cmd.h"

int ks_unit_checks;
int ks_unit_failures;

static ks_redis_reply *parse(const char *bytes, size_t len)
{
	return ks_redis_reply_parse(bytes, len);
}

#define PARSE(lit) parse(lit, sizeof(lit) - 1)

static void test_kinds(void)
{
	ks_redis_reply *r, *e;

	r = PARSE("$3\r\nfoo\r\n");
	CHECK(r && r->kind == KS_REDIS_REPLY_STRING && r->len == 3 && !strcmp(r->str, "foo"));
	ks_redis_reply_free(r);
	r = PARSE("$5\r\na\0b\r\n\r\n");
	CHECK(r && r->kind == KS_REDIS_REPLY_STRING && r->len == 5 && !memcmp(r->str, "a\0b\r\n", 5) && r->str[5] == '\0');
	ks_redis_reply_free(r);
	r = PARSE("$0\r\n\r\n");
	CHECK(r && r->kind == KS_REDIS_REPLY_STRING && r->len == 0 && r->str && r->str[0] == '\0');
	ks_redis_reply_free(r);
	r = PARSE("+OK\r\n");
	CHECK(r && r->kind == KS_REDIS_REPLY_STATUS && r->len == 2 && !strcmp(r->str, "OK"));
	ks_redis_reply_free(r);
	r = PARSE("-NOSCRIPT No matching script.\r\n");
	CHECK(r && r->kind == KS_REDIS_REPLY_ERROR && ks_redis_reply_is_error(r, "NOSCRIPT"));
	CHECK(!ks_redis_reply_is_error(r, "NOSCRIPTS") && !ks_redis_reply_is_error(r, "ERR"));
	ks_redis_reply_free(r);
	r = PARSE(":-9223372036854775808\r\n");
	CHECK(r && r->kind == KS_REDIS_REPLY_INTEGER && r->integer == INT64_MIN && r->str == NULL);
	ks_redis_reply_free(r);
	r = PARSE("$-1\r\n");
	CHECK(r && r->kind == KS_REDIS_REPLY_NIL);
	ks_redis_reply_free(r);
	r = PARSE("*-1\r\n");
	CHECK(r && r->kind == KS_REDIS_REPLY_NIL);
	ks_redis_reply_free(r);
	r = PARSE("*0\r\n");
	CHECK(r && r->kind == KS_REDIS_REPLY_ARRAY && r->elements == 0);
	ks_redis_reply_free(r);

	r = PARSE("*3\r\n:1\r\n*2\r\n$1\r\nx\r\n$-1\r\n+QUEUED\r\n");
	CHECK(r && r->kind == KS_REDIS_REPLY_ARRAY && r->elements == 3);
	CHECK(r->element[0]->kind == KS_REDIS_REPLY_INTEGER && r->element[0]->integer == 1);
	CHECK(r->element[1]->kind == KS_REDIS_REPLY_ARRAY && r->element[1]->elements == 2);
	CHECK(r->element[1]->element[0]->len == 1 && r->element[1]->element[1]->kind == KS_REDIS_REPLY_NIL);
	CHECK(r->element[2]->kind == KS_REDIS_REPLY_STATUS);
	/* Taking an element out: the array keeps a NULL and frees the rest. */
	e = ks_redis_reply_take(r, 1);
	CHECK(e && e->kind == KS_REDIS_REPLY_ARRAY && r->element[1] == NULL);
	CHECK(ks_redis_reply_take(r, 1) == NULL && ks_redis_reply_take(r, 3) == NULL && ks_redis_reply_take(e->element[0], 0) == NULL);
	ks_redis_reply_free(r);
	CHECK(e->element[0]->str[0] == 'x');
	ks_redis_reply_free(e);
	ks_redis_reply_free(NULL);

	CHECK(!strcmp(ks_redis_reply_kind_name(KS_REDIS_REPLY_ARRAY), "array"));
	CHECK(!ks_redis_reply_is_error(NULL, "ERR"));
}

static void test_reader(void)
{
	static const char bytes[] = "*2\r\n$5\r\nhello\r\n:7\r\n+PONG\r\n";
	ks_redis_reader *rd = ks_redis_reader_new();
	ks_redis_reply *r = NULL;
	size_t i, first_end = sizeof(bytes) - 1 - 7;

	CHECK(rd != NULL);
	/* Byte by byte: nothing comes out until the array is whole. */
	for (i = 0; i < first_end; i++) {
		CHECK(ks_redis_reader_feed(rd, bytes + i, 1) == 0);
		CHECK(ks_redis_reader_get(rd, &r) == 0);
		if (i + 1 < first_end) {
			CHECK(r == NULL);
		}
	}
	CHECK(r && r->kind == KS_REDIS_REPLY_ARRAY && r->elements == 2 && !strcmp(r->element[0]->str, "hello"));
	ks_redis_reply_free(r);
	CHECK(ks_redis_reader_feed(rd, bytes + first_end, 7) == 0);
	CHECK(ks_redis_reader_get(rd, &r) == 0 && r && r->kind == KS_REDIS_REPLY_STATUS);
	ks_redis_reply_free(r);
	CHECK(ks_redis_reader_get(rd, &r) == 0 && r == NULL);
	CHECK(!strcmp(ks_redis_reader_errstr(rd), ""));

	/* Not RESP: the reader fails, says why, and stays failed. */
	CHECK(ks_redis_reader_feed(rd, "*1\r\n?what\r\n", 11) == 0);
	CHECK(ks_redis_reader_get(rd, &r) == -1 && r == NULL);
	CHECK(strlen(ks_redis_reader_errstr(rd)) > 0);
	CHECK(ks_redis_reader_get(rd, &r) == -1);
	ks_redis_reader_free(rd);
	ks_redis_reader_free(NULL);

	CHECK(PARSE("$3\r\nfo") == NULL);     /* not whole */
	CHECK(PARSE(":12a\r\n") == NULL);     /* not an integer */
}

/* Depth of the first-element chain of r. */
static int depth_of(const ks_redis_reply *r)
{
	int d = 0;

	for (; r && r->kind == KS_REDIS_REPLY_ARRAY && r->elements > 0; r = r->element[0]) {
		d++;
	}
	return d;
}

/* What a hostile or broken server may send: out-of-range lengths, deep
 * nesting, a protocol error in the middle of a half-built tree (freed by
 * the reader: scripts/unit --valgrind checks no node leaks), NULs in a
 * status line, an array of errors. Never a crash; either a reply, "more
 * bytes needed", or the reader in error with a reason. */
static void test_hostile(void)
{
	ks_redis_reader *rd;
	ks_redis_reply *r = NULL;
	char deep[4 * 200 + 8];
	size_t i, n = 0;
	int rc;

	CHECK(PARSE("$-5\r\n") == NULL);           /* a bulk length below -1 */
	CHECK(PARSE("*-5\r\n") == NULL);           /* an array length below -1 */
	CHECK(PARSE("*99999999999999999999\r\n") == NULL);
	/* A bulk length far past what will come: the reader waits for the
	 * bytes (allocating nothing up front), the read timeout ends it. */
	rd = ks_redis_reader_new();
	CHECK(rd && ks_redis_reader_feed(rd, "$2147483648\r\nabc", 17) == 0);
	CHECK(ks_redis_reader_get(rd, &r) == 0 && r == NULL);
	ks_redis_reader_free(rd);

	/* 200 levels of arrays: hiredis 0.14 refuses more than 7, 1.x reads
	 * them; either way a whole reply of that depth or an error. */
	for (i = 0; i < 200; i++) {
		memcpy(deep + n, "*1\r\n", 4);
		n += 4;
	}
	memcpy(deep + n, ":1\r\n", 4);
	n += 4;
	rd = ks_redis_reader_new();
	CHECK(rd && ks_redis_reader_feed(rd, deep, n) == 0);
	rc = ks_redis_reader_get(rd, &r);
	CHECK((rc == 0 && r && depth_of(r) == 200) || (rc == -1 && r == NULL && strlen(ks_redis_reader_errstr(rd)) > 0));
	ks_redis_reply_free(r);
	ks_redis_reader_free(rd);

	/* Half a tree, then bytes that are not RESP: the tree is freed. */
	rd = ks_redis_reader_new();
	CHECK(rd && ks_redis_reader_feed(rd, "*3\r\n:1\r\n*2\r\n$1\r\na\r\n", 19) == 0);
	CHECK(ks_redis_reader_get(rd, &r) == 0 && r == NULL);
	CHECK(ks_redis_reader_feed(rd, "?x\r\n", 4) == 0);
	CHECK(ks_redis_reader_get(rd, &r) == -1 && r == NULL);
	ks_redis_reader_free(rd);
	/* Half a tree left in a reader that is freed. */
	rd = ks_redis_reader_new();
	CHECK(rd && ks_redis_reader_feed(rd, "*2\r\n*2\r\n$3\r\nabc\r\n", 17) == 0);
	CHECK(ks_redis_reader_get(rd, &r) == 0 && r == NULL);
	ks_redis_reader_free(rd);

	/* An array header declaring more than KS_REDIS_REPLY_MAX_ELEMENTS: refused
	 * at once with a reason, instead of an allocation of 8 bytes per declared
	 * element that a few header bytes would buy (and a walk of it when freed). */
	rd = ks_redis_reader_new();
	CHECK(rd && ks_redis_reader_feed(rd, "*2147483647\r\n", 14) == 0);
	CHECK(ks_redis_reader_get(rd, &r) == -1 && r == NULL);
	CHECK(strstr(ks_redis_reader_errstr(rd), "2147483647 elements") != NULL);
	ks_redis_reader_free(rd);
	/* Inside a half-built tree: the tree is freed. */
	rd = ks_redis_reader_new();
	CHECK(rd && ks_redis_reader_feed(rd, "*2\r\n:1\r\n*65537\r\n", 19) == 0);
	CHECK(ks_redis_reader_get(rd, &r) == -1 && r == NULL);
	CHECK(strstr(ks_redis_reader_errstr(rd), "65537 elements") != NULL);
	ks_redis_reader_free(rd);
	/* The cap itself is read (waiting for its elements). */
	rd = ks_redis_reader_new();
	CHECK(rd && ks_redis_reader_feed(rd, "*65536\r\n:1\r\n", 12) == 0);
	CHECK(ks_redis_reader_get(rd, &r) == 0 && r == NULL && strlen(ks_redis_reader_errstr(rd)) == 0);
	ks_redis_reader_free(rd);

	r = PARSE("+O\0K\r\n");   /* a NUL in a status line is kept, length and all */
	CHECK(r && r->kind == KS_REDIS_REPLY_STATUS && r->len == 3 && !memcmp(r->str, "O\0K", 4));
	ks_redis_reply_free(r);
	r = PARSE("*2\r\n-ERR one\r\n-READONLY two\r\n");
	CHECK(r && r->kind == KS_REDIS_REPLY_ARRAY && r->elements == 2 && ks_redis_reply_is_error(r->element[0], "ERR"));
	CHECK(!ks_redis_reply_needs_rediscovery(r) && ks_redis_reply_needs_rediscovery(r->element[1]));
	ks_redis_reply_free(r);
}

static void check_cmd(const ks_redis_cmd *cmd, const char *want, size_t wantlen)
{
	char hdr[24];
	size_t n = ks_redis_cmd_header(cmd, hdr, sizeof(hdr));

	CHECK(!cmd->oom && n > 0 && n + cmd->len == wantlen && !memcmp(hdr, want, n) && !memcmp(cmd->buf, want + n, cmd->len));
}

#define CHECK_CMD(cmd, lit) check_cmd(cmd, lit, sizeof(lit) - 1)

static void test_cmd(void)
{
	ks_redis_cmd cmd, args;
	char big[1000];
	size_t i;

	ks_redis_cmd_init(&cmd, "SET");
	ks_redis_cmd_append_len(&cmd, "k{x}", 4);
	ks_redis_cmd_append_len(&cmd, "a\0\r\n", 4);
	ks_redis_cmd_append_str(&cmd, "EX");
	ks_redis_cmd_append_long(&cmd, -1440);
	CHECK(cmd.argc == 5);
	CHECK_CMD(&cmd, "*5\r\n$3\r\nSET\r\n$4\r\nk{x}\r\n$4\r\na\0\r\n\r\n$2\r\nEX\r\n$5\r\n-1440\r\n");
	ks_redis_cmd_free(&cmd);

	/* Past the inline buffer: grows, keeps every byte. */
	for (i = 0; i < sizeof(big); i++) {
		big[i] = (char)('a' + i % 26);
	}
	ks_redis_cmd_init(&cmd, "GET");
	ks_redis_cmd_append_len(&cmd, big, sizeof(big));
	ks_redis_cmd_append_len(&cmd, "", 0);
	CHECK(cmd.buf != cmd.inline_buf && cmd.argc == 3);
	CHECK(!memcmp(cmd.buf, "$3\r\nGET\r\n$1000\r\n", 16) && !memcmp(cmd.buf + 16, big, sizeof(big)));
	CHECK(!memcmp(cmd.buf + 16 + sizeof(big), "\r\n$0\r\n\r\n", 8) && cmd.len == 16 + sizeof(big) + 8);
	ks_redis_cmd_free(&cmd);

	/* A script's keys and arguments, built apart, appended after EVALSHA sha n. */
	ks_redis_cmd_init_args(&args);
	ks_redis_cmd_append_str(&args, "key");
	ks_redis_cmd_append_long(&args, 0);
	CHECK(args.argc == 2);
	ks_redis_cmd_init(&cmd, "EVALSHA");
	ks_redis_cmd_append_str(&cmd, "abc");
	ks_redis_cmd_append_long(&cmd, 1);
	ks_redis_cmd_append_args(&cmd, &args);
	CHECK_CMD(&cmd, "*5\r\n$7\r\nEVALSHA\r\n$3\r\nabc\r\n$1\r\n1\r\n$3\r\nkey\r\n$1\r\n0\r\n");
	ks_redis_cmd_free(&cmd);
	ks_redis_cmd_free(&args);
}

/* ---- randomized round trips, fixed seeds ---- */

static uint64_t rng_state;

static uint32_t rnd(void);

/* One integer argument and one argument of length len, against what
 * snprintf makes of them (the builder formats numbers by hand). */
static int num_matches(long long v, size_t len, unsigned argc_extra)
{
	static char zeros[70000];
	char want[128], hdr[24];
	ks_redis_cmd cmd;
	int n, ok;
	unsigned i;

	ks_redis_cmd_init_args(&cmd);
	ks_redis_cmd_append_long(&cmd, v);
	ks_redis_cmd_append_len(&cmd, zeros, len);
	for (i = 0; i < argc_extra; i++) {
		ks_redis_cmd_append_len(&cmd, "", 0);
	}
	n = snprintf(want, sizeof(want), "$%d\r\n%lld\r\n$%zu\r\n", snprintf(hdr, sizeof(hdr), "%lld", v), v, len);
	ok = !cmd.oom && cmd.len == (size_t)n + len + 2 + 6 * argc_extra && !memcmp(cmd.buf, want, (size_t)n)
		&& !memcmp(cmd.buf + n + len, "\r\n", 2);
	snprintf(want, sizeof(want), "*%u\r\n", 2 + argc_extra);
	ok = ok && ks_redis_cmd_header(&cmd, hdr, sizeof(hdr)) == strlen(want) && !strcmp(hdr, want);
	ks_redis_cmd_free(&cmd);
	return ok;
}

static void test_numbers(void)
{
	static const long long edges[] = { 0, 1, -1, 9, 10, -10, 99, 100, 1440, -1440, 2147483647LL, -2147483648LL,
		999999999999LL, LLONG_MAX, LLONG_MIN, LLONG_MIN + 1 };
	static const size_t lens[] = { 0, 1, 9, 10, 99, 100, 65535, 65536, 69999 };
	static const uint64_t seeds[] = { 7, 1234, 99991 };
	char tiny[3];
	ks_redis_cmd cmd;
	size_t i, si;
	int bad = 0, round;

	for (i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		CHECK(num_matches(edges[i], lens[i % (sizeof(lens) / sizeof(lens[0]))], (unsigned)i * 7));
	}
	for (si = 0; si < sizeof(seeds) / sizeof(seeds[0]); si++) {
		rng_state = seeds[si];
		for (round = 0; round < 3000; round++) {
			uint64_t u = ((uint64_t)rnd() << 32) | rnd();
			long long v = (long long)(u >> (rnd() % 64));   /* every magnitude, both signs */
			bad += !num_matches(rnd() % 2 ? v : -v, rnd() % 70000, rnd() % 1200);
		}
	}
	CHECK(bad == 0);
	/* A length whose header and "\r\n" do not fit a size_t (the largest,
	 * and just below it) makes the command unusable (oom), instead of
	 * wrapping around to a small reservation that the copy then overruns;
	 * its "$<len>\r\n" line (20 digits) is formatted without overrun. */
	for (i = 0; i < 4; i++) {
		ks_redis_cmd_init(&cmd, "SET");
		ks_redis_cmd_append_len(&cmd, "x", SIZE_MAX - i);
		CHECK(cmd.oom && cmd.argc == 1 && cmd.len == 9);
		ks_redis_cmd_free(&cmd);
	}
	/* A header buffer too small for "*<argc>\r\n" is refused, not overrun. */
	ks_redis_cmd_init(&cmd, "PING");
	CHECK(ks_redis_cmd_header(&cmd, tiny, sizeof(tiny)) == 0);
	ks_redis_cmd_free(&cmd);
}

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

typedef struct sbuf {
	char *b;
	size_t len, cap;
} sbuf;

static void put(sbuf *s, const void *p, size_t n)
{
	if (s->len + n > s->cap) {
		s->cap = (s->len + n) * 2 + 64;
		s->b = realloc(s->b, s->cap);
		if (s->b == NULL) {
			exit(2);
		}
	}
	memcpy(s->b + s->len, p, n);
	s->len += n;
}

static void putf(sbuf *s, const char *fmt, long long v)
{
	char tmp[40];
	int n = snprintf(tmp, sizeof(tmp), fmt, v);
	put(s, tmp, (size_t)n);
}

/* Writes a random reply of at most `depth` levels into s, and its expected
 * shape (kind letters, lengths, integers) into shape. */
static void random_reply(sbuf *s, sbuf *shape, int depth)
{
	unsigned kind = rnd() % (depth > 0 ? 6 : 5), i, n;
	char bytes[64];

	switch (kind) {
		case 0:   /* bulk string, binary */
			n = rnd() % 40;
			for (i = 0; i < n; i++) {
				bytes[i] = (char)rnd();
			}
			putf(s, "$%lld\r\n", n);
			put(s, bytes, n);
			put(s, "\r\n", 2);
			putf(shape, "S%lld:", n);
			put(shape, bytes, n);
			break;
		case 1:   /* status */
		case 2:   /* error */
			n = rnd() % 20;
			for (i = 0; i < n; i++) {
				bytes[i] = (char)('A' + rnd() % 26);
			}
			put(s, kind == 1 ? "+" : "-", 1);
			put(s, bytes, n);
			put(s, "\r\n", 2);
			putf(shape, kind == 1 ? "T%lld:" : "E%lld:", n);
			put(shape, bytes, n);
			break;
		case 3:
			putf(s, ":%lld\r\n", (long long)(int32_t)rnd() * (long long)rnd());
			/* the shape's integer is read back from s by the comparer: keep it simple */
			put(shape, "I", 1);
			break;
		case 4:
			put(s, rnd() % 2 ? "$-1\r\n" : "*-1\r\n", 5);
			put(shape, "N", 1);
			break;
		default:
			n = rnd() % 5;
			putf(s, "*%lld\r\n", n);
			putf(shape, "A%lld:", n);
			for (i = 0; i < n; i++) {
				random_reply(s, shape, depth - 1);
			}
			break;
	}
}

/* Writes the shape of a parsed reply, as random_reply does. */
static void shape_of(const ks_redis_reply *r, sbuf *shape)
{
	size_t i;

	switch (r->kind) {
		case KS_REDIS_REPLY_STRING: putf(shape, "S%lld:", (long long)r->len); put(shape, r->str, r->len); break;
		case KS_REDIS_REPLY_STATUS: putf(shape, "T%lld:", (long long)r->len); put(shape, r->str, r->len); break;
		case KS_REDIS_REPLY_ERROR: putf(shape, "E%lld:", (long long)r->len); put(shape, r->str, r->len); break;
		case KS_REDIS_REPLY_INTEGER: put(shape, "I", 1); break;
		case KS_REDIS_REPLY_NIL: put(shape, "N", 1); break;
		case KS_REDIS_REPLY_ARRAY:
			putf(shape, "A%lld:", (long long)r->elements);
			for (i = 0; i < r->elements; i++) {
				shape_of(r->element[i], shape);
			}
			break;
	}
}

/* Feeds s in random chunks and takes every reply out; returns how many
 * replies came out (-1 on a reader error), their shapes into got. */
static int feed_chunks(const sbuf *s, sbuf *got)
{
	ks_redis_reader *rd = ks_redis_reader_new();
	size_t off = 0;
	int n = 0;

	while (rd && off < s->len) {
		size_t chunk = 1 + rnd() % 50;
		ks_redis_reply *r;

		if (chunk > s->len - off) {
			chunk = s->len - off;
		}
		if (ks_redis_reader_feed(rd, s->b + off, chunk) != 0) {
			n = -1;
			break;
		}
		off += chunk;
		for (;;) {
			if (ks_redis_reader_get(rd, &r) != 0) {
				ks_redis_reader_free(rd);
				return -1;
			}
			if (r == NULL) {
				break;
			}
			shape_of(r, got);
			ks_redis_reply_free(r);
			n++;
		}
	}
	ks_redis_reader_free(rd);
	return n;
}

static void test_random(void)
{
	static const uint64_t seeds[] = { 1, 42, 2026, 0x5eed, 987654321 };
	size_t si;
	int round, i, mismatch = 0, errors = 0;

	for (si = 0; si < sizeof(seeds) / sizeof(seeds[0]); si++) {
		rng_state = seeds[si];
		for (round = 0; round < 400; round++) {
			sbuf s = { NULL, 0, 0 }, want = { NULL, 0, 0 }, got = { NULL, 0, 0 };
			int nreplies = 1 + (int)(rnd() % 4), n;

			for (i = 0; i < nreplies; i++) {
				random_reply(&s, &want, 3);
			}
			n = feed_chunks(&s, &got);
			if (n != nreplies || want.len != got.len || memcmp(want.b, got.b, want.len) != 0) {
				mismatch++;
			}
			/* Random edits: whatever the reader makes of them, no crash, no leak. */
			for (i = 0; i < 4 && s.len > 0; i++) {
				s.b[rnd() % s.len] = (char)rnd();
			}
			got.len = 0;
			if (feed_chunks(&s, &got) < 0) {
				errors++;
			}
			free(s.b);
			free(want.b);
			free(got.b);
		}
	}
	CHECK(mismatch == 0);
	CHECK(errors > 0);   /* the edits did reach the reader's error paths */
	printf("test_reply: 2000 random streams round-tripped, %d of 2000 edited ones refused as not RESP\n", errors);
}

/* Random valid replies, then an array header nested 0 to 5 levels deep
 * declaring a random number of elements, fed in random chunks: the valid
 * replies come out whole; a count above KS_REDIS_REPLY_MAX_ELEMENTS puts the
 * reader in error with its reason (and frees the half-built tree), one at
 * or below it waits for the elements. Fixed seeds. */
static void test_random_array_counts(void)
{
	static const uint64_t seeds[] = { 3, 77, 4242 };
	size_t si;
	int round, refused = 0, bad = 0;

	for (si = 0; si < sizeof(seeds) / sizeof(seeds[0]); si++) {
		rng_state = seeds[si];
		for (round = 0; round < 300; round++) {
			sbuf s = { NULL, 0, 0 }, want = { NULL, 0, 0 }, got = { NULL, 0, 0 };
			int nvalid = (int)(rnd() % 3), depth = (int)(rnd() % 6), i, n;
			bool over = rnd() % 2;
			long long count = over ? KS_REDIS_REPLY_MAX_ELEMENTS + 1 + (long long)(rnd() % (uint32_t)(INT_MAX - KS_REDIS_REPLY_MAX_ELEMENTS - 1))
				: 1 + (long long)(rnd() % KS_REDIS_REPLY_MAX_ELEMENTS);
			ks_redis_reader *rd = ks_redis_reader_new();
			size_t off = 0;

			for (i = 0; i < nvalid; i++) {
				random_reply(&s, &want, 3);
			}
			for (i = 0; i < depth; i++) {
				put(&s, "*2\r\n:7\r\n", 8);
			}
			putf(&s, "*%lld\r\n", count);
			n = 0;
			while (rd && off < s.len) {
				size_t chunk = 1 + rnd() % 30;
				ks_redis_reply *r = NULL;
				int rc = 0;

				chunk = chunk > s.len - off ? s.len - off : chunk;
				CHECK(ks_redis_reader_feed(rd, s.b + off, chunk) == 0 || over);
				off += chunk;
				while ((rc = ks_redis_reader_get(rd, &r)) == 0 && r != NULL) {
					shape_of(r, &got);
					ks_redis_reply_free(r);
					n++;
				}
				if (rc != 0) {
					break;
				}
			}
			if (n != nvalid || got.len != want.len || (want.len && memcmp(got.b, want.b, want.len) != 0)) {
				bad++;
			} else if (over) {
				refused += off == s.len && strstr(ks_redis_reader_errstr(rd), " elements (keepsake reads at most") != NULL;
				bad += strstr(ks_redis_reader_errstr(rd), " elements (keepsake reads at most") == NULL;
			} else {
				bad += strlen(ks_redis_reader_errstr(rd)) != 0;
			}
			ks_redis_reader_free(rd);
			free(s.b);
			free(want.b);
			free(got.b);
		}
	}
	CHECK(bad == 0);
	CHECK(refused > 0);
	printf("test_reply: 900 streams with a random array count, %d over the cap refused with the reason\n", refused);
}

int main(void)
{
	test_kinds();
	test_reader();
	test_hostile();
	test_cmd();
	test_numbers();
	test_random();
	test_random_array_counts();
	printf("test_reply: %d checks, %d failed\n", ks_unit_checks, ks_unit_failures);
	return ks_unit_failures ? 1 : 0;
}
