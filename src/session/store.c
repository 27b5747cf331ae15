/*
 * store.c: Redis operations on session keys and the lock protocol (see
 * ks_sess_store.h for the protocol and its round-trip budget).
 */
#include "php.h"
#include "ext/standard/sha1.h"
#include "session/ks_sess_store.h"

#include <stdio.h>
#include <string.h>

/*
 * ACQUIRE  KEYS: data, lock
 *          ARGV: token, lock ttl ms, data ttl s, fresh, carry, mark
 * -> {1, data|nil}  locked (also when the lock already held our token)
 *    {0, pttl}      held by someone else
 *    {2}            fresh id collides with existing data (lock dropped)
 *    error          GETEX failed (e.g. Redis < 6.2); the lock is dropped
 *
 * Uncontended it runs 2 commands: SET NX PX, then GETEX (read and slide
 * the TTL in one). "carry" ('1' once we have waited) takes the lock with the
 * waiter mark already on it; "mark" ('1' when we will wait) marks a
 * keepsake-format lock held by someone else. See ks_sess_store.h. GETEX goes
 * through pcall so that a server without it gets the lock back at once
 * (scripts do not roll back) and the caller a clear error.
 */
static const char acquire_lua[] =
	"local t = ARGV[1]\n"
	"if not redis.call('SET', KEYS[2], ARGV[5] == '1' and t .. '+' or t, 'NX', 'PX', ARGV[2]) then\n"
	"  local v = redis.call('GET', KEYS[2])\n"
	"  if v ~= t and v ~= t .. '+' then\n"
	"    if ARGV[6] == '1' and #v == #t then\n"
	"      redis.call('APPEND', KEYS[2], '+')\n"
	"    end\n"
	"    return {0, redis.call('PTTL', KEYS[2])}\n"
	"  end\n"
	"  redis.call('PEXPIRE', KEYS[2], ARGV[2])\n"
	"end\n"
	"if ARGV[4] == '1' then\n"
	"  if redis.call('EXISTS', KEYS[1]) == 1 then\n"
	"    redis.call('DEL', KEYS[2])\n"
	"    return {2}\n"
	"  end\n"
	"  return {1}\n"
	"end\n"
	"local d = redis.pcall('GETEX', KEYS[1], 'EX', ARGV[3])\n"
	"if type(d) == 'table' then\n"
	"  redis.call('DEL', KEYS[2])\n"
	"  return d\n"
	"end\n"
	"return {1, d}\n";

/*
 * RELEASE  KEYS: data, lock, wake, receipt   ARGV: token, mode, data ttl s, data, wake ttl ms, receipt ttl ms
 * -> 1 done now, 2 done by an earlier run with this token (a retry after a
 *    lost reply: nothing changed), 0 the lock is not ours any more and no run
 *    with our token was done (nothing changed)
 *
 * Uncontended it runs 4 commands: GET lock (the fence, and the waiter mark
 * in the same reply), the write (or EXPIRE), DEL lock, SET receipt. The
 * receipt (KEYS[4], named after the token: ks_sess_keys_receipt) is what
 * makes the script idempotent: a second run finds the lock gone and the
 * receipt there, and answers 2 without touching anything. The receipt is
 * looked at only when the lock is not ours, before any write, and it never
 * leads to a write: a newer holder's data cannot be overwritten through it.
 * Only a marked lock pushes a wake token; RPUSH's length says whether a
 * stale token needs trimming.
 */
static const char release_lua[] =
	"local t = ARGV[1]\n"
	"local v = redis.call('GET', KEYS[2])\n"
	"if v ~= t and v ~= t .. '+' then\n"
	"  return redis.call('EXISTS', KEYS[4]) == 1 and 2 or 0\n"
	"end\n"
	"local m = ARGV[2]\n"
	"if m == 'w' then\n"
	"  redis.call('SET', KEYS[1], ARGV[4], 'EX', ARGV[3])\n"
	"elseif m == 't' then\n"
	"  if redis.call('EXPIRE', KEYS[1], ARGV[3]) == 0 then\n"
	"    redis.call('SET', KEYS[1], ARGV[4], 'EX', ARGV[3])\n"
	"  end\n"
	"end\n"
	"if m == 'd' then\n"
	"  redis.call('DEL', KEYS[1], KEYS[2])\n"
	"else\n"
	"  redis.call('DEL', KEYS[2])\n"
	"end\n"
	"redis.call('SET', KEYS[4], '1', 'PX', ARGV[6])\n"
	"if v ~= t then\n"
	"  if redis.call('RPUSH', KEYS[3], '1') > 1 then\n"
	"    redis.call('LTRIM', KEYS[3], -1, -1)\n"
	"  end\n"
	"  redis.call('PEXPIRE', KEYS[3], ARGV[5])\n"
	"end\n"
	"return 1\n";

/* TOUCH (unlocked)  KEYS: data  ARGV: data ttl s, data */
static const char touch_lua[] =
	"if redis.call('EXPIRE', KEYS[1], ARGV[1]) == 0 then\n"
	"  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[1])\n"
	"end\n"
	"return 1\n";

typedef struct ks_script {
	const char *name;
	const char *src;
	const char *needs;   /* the newest command it calls, for the "too old" error; or NULL */
	char sha[41];
} ks_script;

static ks_script acquire_script = { "lock acquire", acquire_lua, "Redis 6.2 or newer (for GETEX)", "" };
static ks_script release_script = { "lock release", release_lua, NULL, "" };
static ks_script touch_script = { "TTL refresh", touch_lua, NULL, "" };

static void script_sha(ks_script *s)
{
	PHP_SHA1_CTX ctx;
	unsigned char digest[20];
	PHP_SHA1Init(&ctx);
	PHP_SHA1Update(&ctx, (const unsigned char *)s->src, strlen(s->src));
	PHP_SHA1Final(digest, &ctx);
	make_sha1_digest(s->sha, digest);
}

void ks_sess_store_minit(void)
{
	script_sha(&acquire_script);
	script_sha(&release_script);
	script_sha(&touch_script);
}

#define KS_MAX_ARGS 16   /* EVALSHA, sha, nkeys, then keys and arguments */

/* Makes a script's error reply the sticky error. A command the server does
 * not have means the server is too old: say which version is needed rather
 * than leave the user to decode Lua's message (6.0 and 7.x both say
 * "Unknown Redis command called from ..."). */
static void script_error(ks_redis_conn *c, const ks_script *s, const redisReply *r)
{
	char what[128];
	if (s->needs && r->str && strstr(r->str, "Unknown Redis command")) {
		ks_redis_conn_set_error(c, KS_REDIS_ERR_REPLY, "%s script on %s replied \"%.*s\": keepsake needs %s",
			s->name, c->host.desc, (int)(r->len > 200 ? 200 : r->len), r->str, s->needs);
		return;
	}
	snprintf(what, sizeof(what), "%s script on %s", s->name, c->host.desc);
	ks_redis_reply_error(c, what, r);
}

/* Runs a script with nkeys keys; args holds the nargs keys-then-arguments.
 * EVALSHA first, and EVAL once if Redis does not know it yet. An
 * error reply becomes the connection's sticky error. */
static ks_redis_status run_script(ks_redis_conn *c, ks_script *s, int nkeys, int nargs,
	const char **args, const size_t *lens, unsigned flags, redisReply **out)
{
	const char *argv[KS_MAX_ARGS];
	size_t argvlen[KS_MAX_ARGS];
	char nk[8];
	int i, pass;

	*out = NULL;
	if (nargs > KS_MAX_ARGS - 3) {
		return ks_redis_conn_set_error(c, KS_REDIS_ERR_CONFIG, "internal error: %s script with %d arguments",
			s->name, nargs);
	}
	snprintf(nk, sizeof(nk), "%d", nkeys);
	for (pass = 0; pass < 2; pass++) {
		redisReply *r = NULL;
		argv[0] = pass == 0 ? "EVALSHA" : "EVAL";
		argvlen[0] = pass == 0 ? 7 : 4;
		argv[1] = pass == 0 ? s->sha : s->src;
		argvlen[1] = strlen(argv[1]);
		argv[2] = nk;
		argvlen[2] = strlen(nk);
		for (i = 0; i < nargs; i++) {
			argv[3 + i] = args[i];
			argvlen[3 + i] = lens[i];
		}
		if (ks_redis_append(c, 3 + nargs, argv, argvlen) != KS_REDIS_OK
			|| ks_redis_exec(c, &r, 1, 0, flags) != KS_REDIS_OK) {
			return c->err;
		}
		if (r->type == REDIS_REPLY_ERROR) {
			if (pass == 0 && r->len >= 8 && !strncmp(r->str, "NOSCRIPT", 8)) {
				freeReplyObject(r);
				continue;
			}
			script_error(c, s, r);
			freeReplyObject(r);
			return c->err;
		}
		*out = r;
		return KS_REDIS_OK;
	}
	return c->err;   /* not reached: pass 1 never continues */
}

static ks_redis_status bad_reply(ks_redis_conn *c, const char *what, redisReply *r)
{
	ks_redis_conn_set_error(c, KS_REDIS_ERR_PROTOCOL, "unexpected reply type %d to %s from %s",
		r ? r->type : -1, what, c->host.desc);
	freeReplyObject(r);
	return c->err;
}

/* BLPOP on the wake list for up to ms; the popped token itself means nothing. */
static ks_redis_status wait_wake(ks_redis_conn *c, const ks_sess_keys *k, int64_t ms)
{
	char tmo[32];
	const char *argv[3] = { "BLPOP", k->wake, tmo };
	size_t argvlen[3] = { 5, k->wake_len, 0 };
	redisReply *r = NULL;

	if (ms < 1) {
		ms = 1;   /* BLPOP 0 would block forever */
	} else if (ms > KS_SESS_MAX_MS) {
		ms = KS_SESS_MAX_MS;   /* it goes into an int below; the caller's budget is never larger */
	}
	argvlen[2] = (size_t)snprintf(tmo, sizeof(tmo), "%.3f", (double)ms / 1000.0);
	if (ks_redis_append(c, 3, argv, argvlen) != KS_REDIS_OK
		|| ks_redis_exec(c, &r, 1, (int)ms, KS_REDIS_RETRY_SAFE) != KS_REDIS_OK) {
		return c->err;
	}
	if (r->type == REDIS_REPLY_ERROR) {
		char what[300];
		snprintf(what, sizeof(what), "BLPOP on %s", c->host.desc);
		ks_redis_reply_error(c, what, r);
	}
	freeReplyObject(r);
	return c->err;
}

ks_sess_acquire_result ks_sess_lock_acquire(ks_redis_conn *c, const ks_sess_keys *k, const char *token,
	int64_t ttl_ms, int64_t wait_ms, long data_ttl_s, bool fresh, redisReply **data, ks_sess_wait_info *w)
{
	char ttl[24], dttl[24];
	const char *args[8];
	size_t lens[8];
	int64_t start = ks_redis_now_ms(), deadline = start + (wait_ms > 0 ? wait_ms : 0);

	*data = NULL;
	w->waited = false;
	w->waited_ms = 0;
	args[0] = k->data; lens[0] = k->data_len;
	args[1] = k->lock; lens[1] = k->lock_len;
	args[2] = token; lens[2] = KS_SESS_TOKEN_HEX;
	args[3] = ttl; lens[3] = (size_t)snprintf(ttl, sizeof(ttl), "%lld", (long long)ttl_ms);
	args[4] = dttl; lens[4] = (size_t)snprintf(dttl, sizeof(dttl), "%ld", data_ttl_s);
	args[5] = fresh ? "1" : "0"; lens[5] = 1;
	lens[6] = lens[7] = 1;

	for (;;) {
		redisReply *r;
		long long code, pttl;
		int64_t left, nap;

		/* carry: once we have waited, others may be queued behind us, so our
		 * lock bears the waiter mark and its release wakes the next one.
		 * mark: we will wait if the lock is taken, so its holder must wake us. */
		args[6] = w->waited ? "1" : "0";
		args[7] = deadline > ks_redis_now_ms() ? "1" : "0";
		/* Idempotent: a retry after a lost reply finds our own token. */
		if (run_script(c, &acquire_script, 2, 8, args, lens, KS_REDIS_RETRY_SAFE, &r) != KS_REDIS_OK) {
			goto error;
		}
		if (r->type != REDIS_REPLY_ARRAY || r->elements < 1 || r->element[0]->type != REDIS_REPLY_INTEGER) {
			bad_reply(c, "the lock acquire script", r);
			goto error;
		}
		code = r->element[0]->integer;
		if (code == 1) {
			if (r->elements > 1 && r->element[1]->type == REDIS_REPLY_STRING) {
				*data = r->element[1];
				r->element[1] = NULL;   /* steal it from the array */
			}
			freeReplyObject(r);
			w->waited_ms = w->waited ? ks_redis_now_ms() - start : 0;
			return KS_SESS_ACQ_OK;
		}
		if (code == 2) {
			freeReplyObject(r);
			return KS_SESS_ACQ_COLLISION;
		}
		pttl = r->elements > 1 && r->element[1]->type == REDIS_REPLY_INTEGER ? r->element[1]->integer : -1;
		freeReplyObject(r);

		left = deadline - ks_redis_now_ms();
		if (left <= 0) {
			w->waited_ms = ks_redis_now_ms() - start;
			return KS_SESS_ACQ_TIMEOUT;
		}
		/* pttl -2: freed between SET and PTTL (cannot happen inside one
		 * script, but cheap to handle); -1: a lock without TTL that is not
		 * ours, so only the budget bounds the wait. */
		nap = pttl == -2 ? 1 : (pttl > 0 && pttl < left ? pttl : left);
		w->waited = true;
		if (wait_wake(c, k, nap) != KS_REDIS_OK) {
			goto error;
		}
	}
error:
	w->waited_ms = w->waited ? ks_redis_now_ms() - start : 0;
	return KS_SESS_ACQ_ERROR;
}

int64_t ks_sess_receipt_ttl_ms(const ks_redis_conn *c)
{
	int64_t ms = 2 * ((int64_t)c->host.params.connect_timeout_ms + 4 * (int64_t)c->host.params.read_timeout_ms);
	return ms < KS_SESS_RECEIPT_MIN_MS ? KS_SESS_RECEIPT_MIN_MS : ms;
}

ks_redis_status ks_sess_lock_release(ks_redis_conn *c, const ks_sess_keys *k, const char *token,
	ks_sess_release_mode mode, const char *val, size_t len, long data_ttl_s, ks_sess_release_result *res)
{
	char m = (char)mode, dttl[24], wttl[24], rttl[24];
	const char *args[10];
	size_t lens[10];
	char *receipt;
	size_t receipt_len;
	redisReply *r;
	ks_redis_status st;

	*res = KS_SESS_REL_LOST;
	if (ks_sess_keys_receipt(k, token, &receipt, &receipt_len) < 0) {
		return ks_redis_conn_set_error(c, KS_REDIS_ERR_OOM, "out of memory building the lock release for %s",
			c->host.desc);
	}
	args[0] = k->data; lens[0] = k->data_len;
	args[1] = k->lock; lens[1] = k->lock_len;
	args[2] = k->wake; lens[2] = k->wake_len;
	args[3] = receipt; lens[3] = receipt_len;
	args[4] = token; lens[4] = KS_SESS_TOKEN_HEX;
	args[5] = &m; lens[5] = 1;
	args[6] = dttl; lens[6] = (size_t)snprintf(dttl, sizeof(dttl), "%ld", data_ttl_s);
	args[7] = val ? val : ""; lens[7] = val ? len : 0;
	args[8] = wttl; lens[8] = (size_t)snprintf(wttl, sizeof(wttl), "%d", KS_SESS_WAKE_TTL_MS);
	args[9] = rttl; lens[9] = (size_t)snprintf(rttl, sizeof(rttl), "%lld", (long long)ks_sess_receipt_ttl_ms(c));
	/* No transparent retry in the connection layer: the handler decides
	 * (it sends the release once more after any lost reply, which the
	 * receipt makes safe), so the release goes out at most twice. */
	st = run_script(c, &release_script, 4, 10, args, lens, 0, &r);
	free(receipt);
	if (st != KS_REDIS_OK) {
		return st;
	}
	if (r->type != REDIS_REPLY_INTEGER || r->integer < 0 || r->integer > 2) {
		return bad_reply(c, "the lock release script", r);   /* a protocol error: the handler may resend */
	}
	*res = r->integer == 1 ? KS_SESS_REL_DONE : r->integer == 2 ? KS_SESS_REL_DONE_BEFORE : KS_SESS_REL_LOST;
	freeReplyObject(r);
	return KS_REDIS_OK;
}

/* One plain command, 1 RT; an error reply becomes sticky. */
static ks_redis_status simple(ks_redis_conn *c, const char *name, int argc, const char **argv,
	const size_t *argvlen, redisReply **out)
{
	redisReply *r = NULL;
	*out = NULL;
	if (ks_redis_append(c, argc, argv, argvlen) != KS_REDIS_OK
		|| ks_redis_exec(c, &r, 1, 0, KS_REDIS_RETRY_SAFE) != KS_REDIS_OK) {
		return c->err;
	}
	if (r->type == REDIS_REPLY_ERROR) {
		char what[300];
		snprintf(what, sizeof(what), "%s on %s", name, c->host.desc);
		ks_redis_reply_error(c, what, r);
		freeReplyObject(r);
		return c->err;
	}
	*out = r;
	return KS_REDIS_OK;
}

ks_redis_status ks_sess_get(ks_redis_conn *c, const ks_sess_keys *k, redisReply **data)
{
	const char *argv[2] = { "GET", k->data };
	size_t argvlen[2] = { 3, k->data_len };
	redisReply *r;

	*data = NULL;
	if (simple(c, "GET", 2, argv, argvlen, &r) != KS_REDIS_OK) {
		return c->err;
	}
	if (r->type == REDIS_REPLY_NIL) {
		freeReplyObject(r);
		return KS_REDIS_OK;
	}
	if (r->type != REDIS_REPLY_STRING) {
		return bad_reply(c, "GET", r);
	}
	*data = r;
	return KS_REDIS_OK;
}

ks_redis_status ks_sess_set(ks_redis_conn *c, const ks_sess_keys *k, const char *val, size_t len, long ttl_s)
{
	char ttl[24];
	const char *argv[5] = { "SET", k->data, val, "EX", ttl };
	size_t argvlen[5] = { 3, k->data_len, len, 2, 0 };
	redisReply *r;

	argvlen[4] = (size_t)snprintf(ttl, sizeof(ttl), "%ld", ttl_s);
	if (simple(c, "SET", 5, argv, argvlen, &r) == KS_REDIS_OK) {
		freeReplyObject(r);
	}
	return c->err;
}

ks_redis_status ks_sess_touch(ks_redis_conn *c, const ks_sess_keys *k, const char *val, size_t len, long ttl_s)
{
	char ttl[24];
	const char *args[3];
	size_t lens[3];
	redisReply *r;

	args[0] = k->data; lens[0] = k->data_len;
	args[1] = ttl; lens[1] = (size_t)snprintf(ttl, sizeof(ttl), "%ld", ttl_s);
	args[2] = val; lens[2] = len;
	if (run_script(c, &touch_script, 1, 3, args, lens, KS_REDIS_RETRY_SAFE, &r) == KS_REDIS_OK) {
		freeReplyObject(r);
	}
	return c->err;
}

ks_redis_status ks_sess_del(ks_redis_conn *c, const ks_sess_keys *k)
{
	const char *argv[2] = { "DEL", k->data };
	size_t argvlen[2] = { 3, k->data_len };
	redisReply *r;
	if (simple(c, "DEL", 2, argv, argvlen, &r) == KS_REDIS_OK) {
		freeReplyObject(r);
	}
	return c->err;
}

ks_redis_status ks_sess_exists(ks_redis_conn *c, const ks_sess_keys *k, bool *exists)
{
	const char *argv[2] = { "EXISTS", k->data };
	size_t argvlen[2] = { 6, k->data_len };
	redisReply *r;

	*exists = false;
	if (simple(c, "EXISTS", 2, argv, argvlen, &r) != KS_REDIS_OK) {
		return c->err;
	}
	if (r->type != REDIS_REPLY_INTEGER) {
		return bad_reply(c, "EXISTS", r);
	}
	*exists = r->integer > 0;
	freeReplyObject(r);
	return KS_REDIS_OK;
}
