/*
 * store.c: Redis operations on session keys and the lock protocol (see
 * ks_sess_store.h for the protocol and its round-trip budget).
 */
#ifdef HAVE_CONFIG_H
# include "config.h"  /* KEEPSAKE_DEBUG */
#endif
#include "php.h"
#include "ext/standard/sha1.h"
#include "session/ks_sess_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Lua: `now`, Redis's clock in ms (from TIME: seconds and microseconds), by
 * which the queue's entries are scored and dropped. Written once, spliced
 * into both scripts that read the clock (bench/session.d/script_cost.php
 * expands it when it reads a script out of this file).
 */
#define KS_SESS_LUA_NOW_MS \
	"local now = redis.call('TIME')\n" \
	"now = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)\n"

/*
 * Lua, first line of each script that writes after TIME (ACQUIRE, RELEASE):
 * on Redis 6.2 with lua-replicate-commands no, a script is replicated as
 * its source, and Redis refuses any write after a non-deterministic command
 * such as TIME; this switches that script to replicating its effects. It
 * must come before the script's first write. Redis 7 always replicates
 * effects (the setting is gone), and there it returns true and does nothing.
 */
#define KS_SESS_LUA_EFFECTS "redis.replicate_commands()\n"

/*
 * ACQUIRE  KEYS: data, lock, wake, queue
 *          ARGV: token, lock ttl ms, data ttl s, fresh, queued, wait ms, pass
 * -> {1, data|nil}  locked (also when the lock already held our token)
 *    {0, pttl}      held by someone else
 *    {2}            fresh id collides with existing data (the lock is kept:
 *                   the caller drops it, see ks_sess_lock_acquire)
 *    error          GETEX failed (e.g. Redis < 6.2); the lock is dropped
 *
 * The contended path: the uncontended first try goes without Lua
 * (acquire_fast). "queued" ('1' once we have waited) means our token may be
 * in the queue: it leaves it, whatever happens next. "wait ms" (> 0 when
 * we will wait if the lock is taken: how long our next BLPOP can last, and
 * a grace) enters it there, scored by when that time ends, and marks a
 * keepsake-format lock held by someone else; "pass" is the wake token our
 * BLPOP popped ('' if none): a lock reserved for it ("wake:<pass>", left by
 * the release that pushed it) is ours. So is a reservation whose token is still in the wake
 * list: no waiter was blocked when it was pushed, so none was woken for it.
 * A lock we take bears the mark exactly when others are still queued. See
 * ks_sess_store.h. GETEX goes through pcall so that a server without it
 * gets the lock back at once (scripts do not roll back) and the caller a
 * clear error.
 */
static const char acquire_lua[] =
	KS_SESS_LUA_EFFECTS
	"local t = ARGV[1]\n"
	"if ARGV[5] == '1' then\n"
	"  redis.call('ZREM', KEYS[4], t)\n"
	"end\n"
	"local own = redis.call('EXISTS', KEYS[4]) == 1 and t .. '+' or t\n"
	"if not redis.call('SET', KEYS[2], own, 'NX', 'PX', ARGV[2]) then\n"
	"  local v = redis.call('GET', KEYS[2])\n"
	"  local pass = string.sub(v, 1, 5) == 'wake:' and string.sub(v, 6) or nil\n"
	"  if pass and (pass == ARGV[7] or redis.call('LINDEX', KEYS[3], -1) == pass) then\n"
	"    redis.call('SET', KEYS[2], own, 'PX', ARGV[2])\n"
	"  elseif v == t or v == t .. '+' then\n"
	"    redis.call('PEXPIRE', KEYS[2], ARGV[2])\n"
	"  else\n"
	"    local wait = tonumber(ARGV[6])\n"
	"    if wait > 0 then\n"
	KS_SESS_LUA_NOW_MS
	"      if #v == #t then\n"
	"        redis.call('APPEND', KEYS[2], '+')\n"
	"      end\n"
	"      redis.call('ZADD', KEYS[4], now + wait, t)\n"
	"      if redis.call('PTTL', KEYS[4]) < wait then\n"
	"        redis.call('PEXPIRE', KEYS[4], wait)\n"
	"      end\n"
	"    end\n"
	"    return {0, redis.call('PTTL', KEYS[2])}\n"
	"  end\n"
	"end\n"
	"if ARGV[4] == '1' then\n"
	"  if redis.call('EXISTS', KEYS[1]) == 1 then\n"
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
 * RELEASE  KEYS: data, lock, wake, receipt, queue
 *          ARGV: token, mode, data ttl s, data, wake ttl ms, receipt ttl ms, reserve ms
 * -> 1 done now, 2 done by an earlier run with this token (a retry after a
 *    lost reply: nothing changed), 0 the lock is not ours any more and no run
 *    with our token was done (nothing changed)
 *
 * Uncontended it runs 4 commands: GET lock (the fence, and the waiter mark
 * in the same reply), the write (or EXPIRE; a destroy deletes data and lock
 * in one DEL), DEL lock, SET receipt. The receipt (KEYS[4], named after the
 * token: ks_sess_keys_receipt) is what makes the script idempotent: a
 * second run finds the lock gone and the receipt there, and answers 2
 * without touching anything. The receipt is looked at only when the lock is
 * not ours, before any write, and it never leads to a write: a newer
 * holder's data cannot be overwritten through it. A marked lock makes it
 * look at the queue, dropping the waiters whose time there has ended (by
 * Redis's clock, the one they were scored by). When one is left, the lock is not
 * deleted but reserved for the waiter that pops our wake token
 * ("wake:<token>", for `reserve ms`), so that a request arriving meanwhile
 * (or our own process coming straight back) cannot take it first; RPUSH's
 * length says whether a stale token needs trimming. When none is left, the
 * lock goes as if unmarked: nothing is reserved for, nor pushed to, a
 * waiter that is not there. A receipt ttl of 0 leaves no receipt (the drop
 * of a lock taken for an id that has no session: nothing to resend).
 */
static const char release_lua[] =
	KS_SESS_LUA_EFFECTS
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
	"local queued = false\n"
	"if v ~= t then\n"
	KS_SESS_LUA_NOW_MS
	"  redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now)\n"
	"  queued = redis.call('EXISTS', KEYS[5]) == 1\n"
	"end\n"
	"if not queued then\n"
	"  if m == 'd' then\n"
	"    redis.call('DEL', KEYS[1], KEYS[2])\n"
	"  else\n"
	"    redis.call('DEL', KEYS[2])\n"
	"  end\n"
	"else\n"
	"  if m == 'd' then\n"
	"    redis.call('DEL', KEYS[1])\n"
	"  end\n"
	"  redis.call('SET', KEYS[2], 'wake:' .. t, 'PX', ARGV[7])\n"
	"  if redis.call('RPUSH', KEYS[3], t) > 1 then\n"
	"    redis.call('LTRIM', KEYS[3], -1, -1)\n"
	"  end\n"
	"  redis.call('PEXPIRE', KEYS[3], ARGV[5])\n"
	"end\n"
	"if ARGV[6] ~= '0' then\n"
	"  redis.call('SET', KEYS[4], '1', 'PX', ARGV[6])\n"
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

/* Makes a script's error reply the sticky error. A command the server does
 * not have means the server is too old: say which version is needed rather
 * than leave the user to decode Lua's message (6.0 and 7.x both say
 * "Unknown Redis command called from ..."). */
static void script_error(ks_redis_conn *c, const ks_script *s, const ks_redis_reply *r)
{
	char what[128];
	if (s->needs && r->str && strstr(r->str, "Unknown Redis command")) {
		ks_redis_conn_set_error(c, KS_REDIS_ERR_REPLY, "%s script on %s replied \"%.*s\": keepsake needs %s",
			s->name, ks_redis_conn_desc(c), (int)(r->len > 200 ? 200 : r->len), r->str, s->needs);
		return;
	}
	snprintf(what, sizeof(what), "%s script on %s", s->name, ks_redis_conn_desc(c));
	ks_redis_reply_error(c, what, r);
}

/* WAIT's reply into w. */
static void take_wait(ks_redis_conn *c, ks_sess_wait *w, const ks_redis_reply *r)
{
	if (r->kind == KS_REDIS_REPLY_INTEGER) {
		w->acked = r->integer;
	} else {
		snprintf(w->err, sizeof(w->err), "WAIT on %s replied %s%.*s", ks_redis_conn_node(c),
			ks_redis_reply_kind_name(r->kind), r->str ? (int)(r->len > 120 ? 120 : r->len) : 0, r->str ? r->str : "");
	}
}

static void append_wait(ks_redis_conn *c, const ks_sess_wait *w)
{
	ks_redis_cmd cmd;

	ks_redis_cmd_init(&cmd, "WAIT");
	ks_redis_cmd_append_long(&cmd, w->replicas);
	ks_redis_cmd_append_long(&cmd, w->timeout_ms);
	(void)ks_redis_append_cmd(c, &cmd);   /* an OOM is sticky: the exec reports it */
	ks_redis_cmd_free(&cmd);
}

/*
 * One round trip: cmd, then WAIT when w asks for it (ks_sess_wait). *out
 * gets cmd's reply, whatever its kind. Only the lone command of an exec has
 * its error reply seen by the topology's hook (a cluster redirection), so
 * an error to a pipelined cmd is sent again alone; WAIT is then not sent
 * (the write may have gone to another node) and w says so.
 */
static ks_redis_status exec_waited(ks_redis_conn *c, const ks_redis_cmd *cmd, unsigned flags, ks_sess_wait *w,
	ks_redis_reply **out)
{
	ks_redis_reply *r[2] = { NULL, NULL };
	bool waits = w && w->replicas > 0;

	*out = NULL;
	if (w) {
		w->acked = -1;
		w->err[0] = '\0';
	}
	if (ks_redis_append_cmd(c, cmd) != KS_REDIS_OK) {
		return c->err;
	}
	if (waits) {
		append_wait(c, w);
	}
	if (ks_redis_exec(c, r, waits ? 2 : 1, waits ? w->timeout_ms : 0, flags) != KS_REDIS_OK) {
		return c->err;
	}
	if (waits && r[0]->kind == KS_REDIS_REPLY_ERROR && !ks_redis_reply_is_error(r[0], "NOSCRIPT")
		&& c->hooks && c->hooks->on_error_reply) {
		ks_redis_reply_free(r[0]);
		ks_redis_reply_free(r[1]);
		snprintf(w->err, sizeof(w->err), "WAIT not sent: %s redirected the write", ks_redis_conn_node(c));
		if (ks_redis_append_cmd(c, cmd) != KS_REDIS_OK || ks_redis_exec(c, out, 1, 0, flags) != KS_REDIS_OK) {
			return c->err;
		}
		return KS_REDIS_OK;
	}
	if (waits) {
		take_wait(c, w, r[1]);
		ks_redis_reply_free(r[1]);
	}
	*out = r[0];
	return KS_REDIS_OK;
}

/* Runs a script with nkeys keys; args holds the keys, then the other
 * arguments. EVALSHA first, and EVAL once if Redis does not know it yet.
 * An error reply becomes the connection's sticky error. w as for
 * exec_waited (NULL: no WAIT). */
static ks_redis_status run_script(ks_redis_conn *c, ks_script *s, int nkeys, const ks_redis_cmd *args,
	unsigned flags, ks_sess_wait *w, ks_redis_reply **out)
{
	int pass;

	*out = NULL;
	for (pass = 0; pass < 2; pass++) {
		ks_redis_reply *r = NULL;
		ks_redis_cmd cmd;
		ks_redis_status st;

		ks_redis_cmd_init(&cmd, pass == 0 ? "EVALSHA" : "EVAL");
		ks_redis_cmd_append_str(&cmd, pass == 0 ? s->sha : s->src);
		ks_redis_cmd_append_long(&cmd, nkeys);
		ks_redis_cmd_append_args(&cmd, args);
		st = exec_waited(c, &cmd, flags, w, &r);
		ks_redis_cmd_free(&cmd);
		if (st != KS_REDIS_OK) {
			return c->err;
		}
		if (r->kind == KS_REDIS_REPLY_ERROR) {
			if (pass == 0 && ks_redis_reply_is_error(r, "NOSCRIPT")) {
				ks_redis_reply_free(r);
				continue;
			}
			script_error(c, s, r);
			ks_redis_reply_free(r);
			return c->err;
		}
		*out = r;
		return KS_REDIS_OK;
	}
	return c->err;   /* not reached: pass 1 never continues */
}

static ks_redis_status bad_reply(ks_redis_conn *c, const char *what, ks_redis_reply *r)
{
	ks_redis_conn_set_error(c, KS_REDIS_ERR_PROTOCOL, "unexpected reply (%s) to %s from %s",
		r ? ks_redis_reply_kind_name(r->kind) : "none", what, ks_redis_conn_desc(c));
	ks_redis_reply_free(r);
	return c->err;
}

/* BLPOP on the wake list for up to ms. A popped token in keepsake's format
 * goes to pass (the releaser's token: the lock may be reserved for it);
 * otherwise pass is "". */
static ks_redis_status wait_wake(ks_redis_conn *c, const ks_sess_keys *k, int64_t ms, char *pass)
{
	char tmo[32];
	ks_redis_cmd cmd;
	ks_redis_reply *r = NULL;
	ks_redis_status st;

	pass[0] = '\0';
	if (ms < 1) {
		ms = 1;   /* BLPOP 0 would block forever */
	} else if (ms > KS_SESS_MAX_MS) {
		ms = KS_SESS_MAX_MS;   /* it goes into an int below; the caller's budget is never larger */
	}
	ks_redis_cmd_init(&cmd, "BLPOP");
	ks_redis_cmd_append_len(&cmd, k->wake, k->wake_len);
	ks_redis_cmd_append_len(&cmd, tmo, (size_t)snprintf(tmo, sizeof(tmo), "%.3f", (double)ms / 1000.0));
	st = ks_redis_append_cmd(c, &cmd);
	ks_redis_cmd_free(&cmd);
	if (st != KS_REDIS_OK || ks_redis_exec(c, &r, 1, (int)ms, KS_REDIS_RETRY_SAFE) != KS_REDIS_OK) {
		return c->err;
	}
	if (r->kind == KS_REDIS_REPLY_ERROR) {
		char what[300];
		snprintf(what, sizeof(what), "BLPOP on %s", ks_redis_conn_desc(c));
		ks_redis_reply_error(c, what, r);
	} else if (r->kind == KS_REDIS_REPLY_ARRAY && r->elements == 2 && r->element[1]->kind == KS_REDIS_REPLY_STRING
		&& r->element[1]->len == KS_SESS_TOKEN_HEX && !memchr(r->element[1]->str, '\0', KS_SESS_TOKEN_HEX)) {
		memcpy(pass, r->element[1]->str, KS_SESS_TOKEN_HEX + 1);
	}
	ks_redis_reply_free(r);
#ifdef KEEPSAKE_DEBUG
	/* Test hook (debug builds only): die like a killed worker between the
	 * BLPOP that popped a wake token and the ACQUIRE that would take the
	 * lock reserved for it. */
	if (pass[0] && getenv("KEEPSAKE_DEBUG_DIE_AFTER_WAKE")) {
		_exit(9);
	}
#endif
	return c->err;
}

/* What a give-back sends, apart from the keys and the token. */
typedef struct give_args {
	ks_sess_release_mode mode;
	const char *val;         /* WRITE, TOUCH: the data */
	size_t len;
	long data_ttl_s;
	int64_t receipt_ms;      /* 0: leave no receipt (a drop) */
	int64_t lock_ttl_ms;     /* caps the reservation (ks_sess_reserve_ms) */
	ks_sess_wait *w;         /* NULL: no WAIT */
} give_args;

/* The RELEASE script's keys and arguments (see release_lua) into args
 * (freed by the caller); -1 when out of memory. */
static int release_args(ks_redis_cmd *args, const ks_sess_keys *k, const char *token, const give_args *a)
{
	char m = (char)a->mode;
	char *receipt;
	size_t receipt_len;

	if (ks_sess_keys_receipt(k, token, &receipt, &receipt_len) < 0) {
		return -1;
	}
	ks_redis_cmd_init_args(args);
	ks_redis_cmd_append_len(args, k->data, k->data_len);
	ks_redis_cmd_append_len(args, k->lock, k->lock_len);
	ks_redis_cmd_append_len(args, k->wake, k->wake_len);
	ks_redis_cmd_append_len(args, receipt, receipt_len);
	ks_redis_cmd_append_len(args, k->queue, k->queue_len);
	ks_redis_cmd_append_len(args, token, KS_SESS_TOKEN_HEX);
	ks_redis_cmd_append_len(args, &m, 1);
	ks_redis_cmd_append_long(args, a->data_ttl_s);
	ks_redis_cmd_append_len(args, a->val ? a->val : "", a->val ? a->len : 0);
	ks_redis_cmd_append_long(args, KS_SESS_WAKE_TTL_MS);
	ks_redis_cmd_append_long(args, a->receipt_ms);
	ks_redis_cmd_append_long(args, ks_sess_reserve_ms(a->lock_ttl_ms));
	free(receipt);
	return 0;
}

/* What an acquire arms its execs with (ks_redis_conn_behind): the EVALSHA,
 * and the EVAL that follows a NOSCRIPT. */
typedef struct ks_sess_behind {
	const ks_sess_keys *k;
	const char *token;
	int64_t lock_ttl_ms;
} ks_sess_behind;

/*
 * ks_redis_behind_fn of an acquire: the plain release of the lock `token`
 * may hold (fenced, writing nothing, no receipt), as EVAL (Redis may not
 * know the script: its reply is never read), sent behind an acquire whose
 * reply wait timed out. A Redis that is only slow (a busy script, a stall)
 * runs that acquire after the request gave up, and would take a lock
 * nobody releases, holding every request of the session for the lock's
 * TTL; it runs this drop right after, and gives the lock back (waking a
 * waiter if one is queued). A no-op when the lock is not ours.
 */
static void drop_behind(const void *ctx, ks_redis_cmd *cmd)
{
	const ks_sess_behind *b = ctx;
	give_args a = { KS_SESS_REL_ONLY, NULL, 0, 0, 0, b->lock_ttl_ms, NULL };
	ks_redis_cmd args;

	ks_redis_cmd_init(cmd, "EVAL");
	ks_redis_cmd_append_str(cmd, release_script.src);
	ks_redis_cmd_append_long(cmd, 5);
	if (release_args(&args, b->k, b->token, &a) < 0) {
		cmd->oom = true;
		return;
	}
	ks_redis_cmd_append_args(cmd, &args);
	ks_redis_cmd_free(&args);
}

/* One ACQUIRE: the script with our token, whether we may be queued
 * (queued: we have waited), how long we would stay queued (wait_ms, 0: we
 * will not wait) and the wake token last popped (pass, "" if none).
 * Returns the reply's code (1 locked, 0 held, 2 collision) with *data or
 * *pttl filled, or -1 with the error sticky. */
static int acquire_once(ks_redis_conn *c, const ks_sess_keys *k, const char *token, int64_t ttl_ms,
	long data_ttl_s, bool fresh, bool queued, int64_t wait_ms, const char *pass, ks_redis_reply **data,
	long long *pttl)
{
	ks_sess_behind behind = { k, token, ttl_ms };
	ks_redis_cmd args;
	ks_redis_reply *r;
	ks_redis_status st;
	long long code;

	ks_redis_cmd_init_args(&args);
	ks_redis_cmd_append_len(&args, k->data, k->data_len);
	ks_redis_cmd_append_len(&args, k->lock, k->lock_len);
	ks_redis_cmd_append_len(&args, k->wake, k->wake_len);
	ks_redis_cmd_append_len(&args, k->queue, k->queue_len);
	ks_redis_cmd_append_len(&args, token, KS_SESS_TOKEN_HEX);
	ks_redis_cmd_append_long(&args, ttl_ms);
	ks_redis_cmd_append_long(&args, data_ttl_s);
	ks_redis_cmd_append_str(&args, fresh ? "1" : "0");
	ks_redis_cmd_append_str(&args, queued ? "1" : "0");
	ks_redis_cmd_append_long(&args, wait_ms > 0 ? wait_ms : 0);
	ks_redis_cmd_append_str(&args, pass);
	/* Idempotent: a retry after a lost reply finds our own token (and
	 * enters the queue with the same token, so once). */
	ks_redis_conn_behind(c, drop_behind, &behind);
	st = run_script(c, &acquire_script, 4, &args, KS_REDIS_RETRY_SAFE, NULL, &r);
	ks_redis_conn_behind(c, NULL, NULL);
	ks_redis_cmd_free(&args);
	if (st != KS_REDIS_OK) {
		return -1;
	}
	if (r->kind != KS_REDIS_REPLY_ARRAY || r->elements < 1 || r->element[0]->kind != KS_REDIS_REPLY_INTEGER) {
		bad_reply(c, "the lock acquire script", r);
		return -1;
	}
	code = r->element[0]->integer;
	if (code == 1 && r->elements > 1 && r->element[1]->kind == KS_REDIS_REPLY_STRING) {
		*data = ks_redis_reply_take(r, 1);
	}
	*pttl = r->elements > 1 && r->element[1] && r->element[1]->kind == KS_REDIS_REPLY_INTEGER ? r->element[1]->integer : -1;
	ks_redis_reply_free(r);
	return code == 1 || code == 2 ? (int)code : 0;
}

/*
 * The uncontended acquire, without Lua: SET lock token NX PX ttl and GETEX
 * data EX ttl (EXISTS data for a fresh id) pipelined in one write, so 2
 * plain commands inside Redis. The data is used only when the SET took the
 * lock. When it did not, GETEX merely slid the TTL of a session another
 * request is using (which that request's own release does anyway; a fresh
 * id's EXISTS changes nothing). Returns 1 locked (*data set, NULL for a new
 * session), 0 not taken: held by someone else, or anything unusual (an
 * error reply such as a cluster redirection, which only a lone command's
 * exec follows; a server without GETEX; a fresh id that exists: the caller
 * answers that one as a collision), which the script then meets alone, and
 * which takes a lock holding our own token as ours. -1: error sticky on
 * the connection. *exists (may be NULL) gets what GETEX or EXISTS said of
 * the data, taken or not: 1 there, 0 missing, -1 not known (an error
 * reply, or the exec failed).
 */
static int acquire_fast(ks_redis_conn *c, const ks_sess_keys *k, const char *token, int64_t ttl_ms,
	long data_ttl_s, bool fresh, ks_redis_reply **data, int *exists)
{
	ks_sess_behind behind = { k, token, ttl_ms };
	ks_redis_cmd cmd;
	ks_redis_reply *r[2] = { NULL, NULL };
	ks_redis_status st;
	int code = 0, there = -1;

	if (exists) {
		*exists = -1;
	}
	ks_redis_cmd_init(&cmd, "SET");
	ks_redis_cmd_append_len(&cmd, k->lock, k->lock_len);
	ks_redis_cmd_append_len(&cmd, token, KS_SESS_TOKEN_HEX);
	ks_redis_cmd_append_str(&cmd, "NX");
	ks_redis_cmd_append_str(&cmd, "PX");
	ks_redis_cmd_append_long(&cmd, ttl_ms);
	(void)ks_redis_append_cmd(c, &cmd);
	ks_redis_cmd_free(&cmd);
	ks_redis_cmd_init(&cmd, fresh ? "EXISTS" : "GETEX");
	ks_redis_cmd_append_len(&cmd, k->data, k->data_len);
	if (!fresh) {
		ks_redis_cmd_append_str(&cmd, "EX");
		ks_redis_cmd_append_long(&cmd, data_ttl_s);
	}
	(void)ks_redis_append_cmd(c, &cmd);
	ks_redis_cmd_free(&cmd);
	/* Safe to send twice: a second SET finds our token, and the script
	 * that then runs takes it as ours. */
	if (c->err) {
		return -1;
	}
	ks_redis_conn_behind(c, drop_behind, &behind);
	st = ks_redis_exec(c, r, 2, 0, KS_REDIS_RETRY_SAFE);
	ks_redis_conn_behind(c, NULL, NULL);
	if (st != KS_REDIS_OK) {
		return -1;
	}
	if (fresh ? r[1]->kind == KS_REDIS_REPLY_INTEGER : r[1]->kind == KS_REDIS_REPLY_NIL || r[1]->kind == KS_REDIS_REPLY_STRING) {
		there = fresh ? r[1]->integer > 0 : r[1]->kind == KS_REDIS_REPLY_STRING;
	}
	if (exists) {
		*exists = there;
	}
	/* Locked when the SET took the lock and the second reply was the
	 * expected kind; a fresh id must also find no data. */
	if (r[0]->kind == KS_REDIS_REPLY_STATUS && there >= 0 && !(fresh && there)) {
		code = 1;
		if (r[1]->kind == KS_REDIS_REPLY_STRING) {
			*data = r[1];
			r[1] = NULL;
		}
	}
	ks_redis_reply_free(r[0]);
	ks_redis_reply_free(r[1]);
	return code;
}

/*
 * A fresh id turned out to have data. The lock may be ours: taken by the
 * fast try's SET (maybe by its first send, when a lost reply made it go
 * twice), or by the script, which may have marked it (others are queued,
 * and we may be the one a release woke for them). It goes back as a
 * release gives a lock back (ks_sess_lock_drop: fenced, so a no-op when it
 * is not ours, and sent once more after a lost reply or a demoted node),
 * which wakes the next waiter at once instead of leaving it to its next
 * look, up to KS_SESS_WAIT_RECHECK_MS later, and does not leave the lock
 * for its whole TTL. One RT, on a path that 128-bit random ids all but
 * never take; a failure stays sticky.
 */
static ks_sess_acquire_result collided(ks_redis_conn *c, const ks_sess_keys *k, const char *token, int64_t ttl_ms,
	ks_sess_wait_info *w)
{
	ks_sess_sent sent;

	(void)ks_sess_lock_drop(c, k, token, ttl_ms, &sent);
	w->drop_resent = sent.resent;
	return KS_SESS_ACQ_COLLISION;
}

ks_sess_acquire_result ks_sess_lock_acquire(ks_redis_conn *c, const ks_sess_keys *k, const char *token,
	int64_t ttl_ms, int64_t wait_ms, long data_ttl_s, bool fresh, bool contended, ks_redis_reply **data,
	ks_sess_wait_info *w)
{
	int64_t start = ks_redis_now_ms(), deadline = start + (wait_ms > 0 ? wait_ms : 0);
	char pass[KS_SESS_TOKEN_HEX + 1] = "";
	int fast, there = -1;

	*data = NULL;
	w->waited = false;
	w->waited_ms = 0;
	w->drop_resent = false;
	fast = contended ? 0 : acquire_fast(c, k, token, ttl_ms, data_ttl_s, fresh, data, &there);
	if (fast == 1) {
		return KS_SESS_ACQ_OK;
	}
	if (fast == 0 && fresh && there == 1) {
		return collided(c, k, token, ttl_ms, w);   /* no need to wait for its lock */
	}
	for (; fast == 0;) {
		long long pttl;
		int64_t left = deadline - ks_redis_now_ms(), nap;
		/* queued: once we have waited, our token may be in the queue, which
		 * we leave (taking the lock, or giving up). left > 0: we will wait
		 * if the lock is taken, so we enter the queue, and the holder's
		 * release wakes us; for as long as our BLPOP can last and a grace
		 * for the round trip, since we enter it again at every look, and a
		 * waiter that died must not keep the lock reserved for long. */
		int code = acquire_once(c, k, token, ttl_ms, data_ttl_s, fresh, w->waited,
			left > 0 ? (left < KS_SESS_WAIT_RECHECK_MS ? left : KS_SESS_WAIT_RECHECK_MS) + KS_SESS_QUEUE_GRACE_MS : 0,
			pass, data, &pttl);

		if (code < 0) {
			break;
		}
		if (code == 1) {
			w->waited_ms = w->waited ? ks_redis_now_ms() - start : 0;
			return KS_SESS_ACQ_OK;
		}
		if (code == 2) {
			return collided(c, k, token, ttl_ms, w);
		}
		left = deadline - ks_redis_now_ms();
		if (left <= 0) {
			w->waited_ms = ks_redis_now_ms() - start;
			return KS_SESS_ACQ_TIMEOUT;
		}
		/* pttl -2: freed between SET and PTTL (cannot happen inside one
		 * script, but cheap to handle); -1: a lock without TTL that is not
		 * ours, so only the budget bounds the wait. At most
		 * KS_SESS_WAIT_RECHECK_MS, though: a wake-up that never comes (the
		 * waiter woken before us died before taking its reservation) must
		 * not hold us until the end of a lock that is long gone. */
		nap = pttl == -2 ? 1 : (pttl > 0 && pttl < left ? pttl : left);
		if (nap > KS_SESS_WAIT_RECHECK_MS) {
			nap = KS_SESS_WAIT_RECHECK_MS;
		}
		w->waited = true;
		if (wait_wake(c, k, nap, pass) != KS_REDIS_OK) {
			break;
		}
	}
	w->waited_ms = w->waited ? ks_redis_now_ms() - start : 0;
	return KS_SESS_ACQ_ERROR;
}

int ks_sess_lock_try(ks_redis_conn *c, const ks_sess_keys *k, const char *token, int64_t ttl_ms, long data_ttl_s,
	ks_redis_reply **data, int *exists)
{
	*data = NULL;
	return acquire_fast(c, k, token, ttl_ms, data_ttl_s, false, data, exists);
}

int64_t ks_sess_receipt_ttl_ms(const ks_redis_conn *c)
{
	int64_t ms = 2 * ((int64_t)c->host.params.connect_timeout_ms + 4 * (int64_t)c->host.params.read_timeout_ms);
	return ms < KS_SESS_RECEIPT_MIN_MS ? KS_SESS_RECEIPT_MIN_MS : ms;
}

/* The RELEASE script, sent once. */
static ks_redis_status release_once(ks_redis_conn *c, const ks_sess_keys *k, const char *token,
	const give_args *a, ks_sess_release_result *res)
{
	ks_redis_cmd args;
	ks_redis_reply *r;
	ks_redis_status st;

	*res = KS_SESS_REL_LOST;
	if (release_args(&args, k, token, a) < 0) {
		return ks_redis_conn_set_error(c, KS_REDIS_ERR_OOM, "out of memory building the lock release for %s",
			ks_redis_conn_desc(c));
	}
	/* No transparent retry in the connection layer: give_back() decides
	 * (it sends once more after any lost reply, which the fence and the
	 * receipt make safe), so the script goes out at most twice. */
	st = run_script(c, &release_script, 5, &args, 0, a->mode == KS_SESS_REL_ONLY ? NULL : a->w, &r);
	ks_redis_cmd_free(&args);
	if (st != KS_REDIS_OK) {
		return st;
	}
	if (r->kind != KS_REDIS_REPLY_INTEGER || r->integer < 0 || r->integer > 2) {
		return bad_reply(c, "the lock release script", r);   /* a protocol error: give_back() resends */
	}
	*res = r->integer == 1 ? KS_SESS_REL_DONE : r->integer == 2 ? KS_SESS_REL_DONE_BEFORE : KS_SESS_REL_LOST;
	ks_redis_reply_free(r);
	return KS_REDIS_OK;
}

/* A failure after which the script may have run in Redis although its
 * reply never arrived intact: the socket broke or timed out after it was
 * sent, or the reply was garbled. A refused connect sent nothing. */
static bool reply_lost(ks_redis_status st)
{
	return st == KS_REDIS_ERR_IO || st == KS_REDIS_ERR_TIMEOUT || st == KS_REDIS_ERR_PROTOCOL;
}

/*
 * Every way a lock is given back (a release, or the drop of a lock that
 * must not be kept) goes through here: release_once(), and once more when
 * a second send can mend what failed.
 *  - A lost reply (reply_lost()): the first run may or may not have
 *    happened. Resending is safe: a release finds its receipt and answers
 *    "done before"; a drop, which leaves no receipt, writes only while the
 *    lock still holds our token, so after a first run it finds the lock
 *    gone, reserved for a waiter or someone else's, and does nothing.
 *  - READONLY or MASTERDOWN (drop_on_reset): the node was demoted between
 *    taking the lock and giving it back, and wrote nothing. Resetting
 *    drops the socket, so the resend connects afresh (sentinel:// asks the
 *    sentinels again: the new master, which has the lock if it replicated
 *    it, and otherwise finds it gone). A MOVED or ASK answer needs nothing
 *    here: the connection's cluster hook already follows it to the node
 *    that holds the slot (and cluster:// resends to the same node after a
 *    lost reply: its map is only marked stale, and reloaded by the next
 *    request's route).
 * Never more than twice, so a give-back costs at most 2 round trips plus
 * the reconnect. A connection that carries a failure already sends
 * nothing: that failure is not this send's lost reply, and resetting it
 * would clear it unreported.
 */
static ks_redis_status give_back(ks_redis_conn *c, const ks_sess_keys *k, const char *token, const give_args *a,
	ks_sess_release_result *res, ks_sess_sent *sent)
{
	ks_redis_status st;

	sent->resent = false;
	sent->maybe_ran = false;
	if (c->err != KS_REDIS_OK) {
		return c->err;   /* an earlier failure, the caller's to report: nothing goes out, so nothing is resent */
	}
	st = release_once(c, k, token, a, res);
	if (st != KS_REDIS_OK && (reply_lost(st) || c->drop_on_reset)) {
		sent->resent = true;
		sent->maybe_ran = reply_lost(st);
		ks_redis_conn_reset_error(c);
		st = release_once(c, k, token, a, res);
	}
	if (st != KS_REDIS_OK && reply_lost(st)) {
		sent->maybe_ran = true;
	}
	return st;
}

ks_redis_status ks_sess_lock_release(ks_redis_conn *c, const ks_sess_keys *k, const char *token,
	ks_sess_release_mode mode, const char *val, size_t len, long data_ttl_s, int64_t lock_ttl_ms, ks_sess_wait *w,
	ks_sess_release_result *res, ks_sess_sent *sent)
{
	give_args a = { mode, val, len, data_ttl_s, ks_sess_receipt_ttl_ms(c), lock_ttl_ms, w };

	return give_back(c, k, token, &a, res, sent);
}

ks_redis_status ks_sess_lock_drop(ks_redis_conn *c, const ks_sess_keys *k, const char *token, int64_t lock_ttl_ms,
	ks_sess_sent *sent)
{
	give_args a = { KS_SESS_REL_ONLY, NULL, 0, 0, 0, lock_ttl_ms, NULL };
	ks_sess_release_result res;

	return give_back(c, k, token, &a, &res, sent);
}

/* One plain command (and WAIT when w asks), 1 RT; an error reply becomes
 * sticky. Frees cmd. */
static ks_redis_status simple(ks_redis_conn *c, ks_redis_cmd *cmd, const char *name, ks_sess_wait *w,
	ks_redis_reply **out)
{
	ks_redis_reply *r = NULL;
	ks_redis_status st = exec_waited(c, cmd, KS_REDIS_RETRY_SAFE, w, &r);

	ks_redis_cmd_free(cmd);
	*out = NULL;
	if (st != KS_REDIS_OK) {
		return c->err;
	}
	if (r->kind == KS_REDIS_REPLY_ERROR) {
		char what[300];
		snprintf(what, sizeof(what), "%s on %s", name, ks_redis_conn_desc(c));
		ks_redis_reply_error(c, what, r);
		ks_redis_reply_free(r);
		return c->err;
	}
	*out = r;
	return KS_REDIS_OK;
}

/* A command on the data key: "<name> <data key>". */
static void data_cmd(ks_redis_cmd *cmd, const char *name, const ks_sess_keys *k)
{
	ks_redis_cmd_init(cmd, name);
	ks_redis_cmd_append_len(cmd, k->data, k->data_len);
}

ks_redis_status ks_sess_get(ks_redis_conn *c, const ks_sess_keys *k, ks_redis_reply **data)
{
	ks_redis_cmd cmd;
	ks_redis_reply *r;

	*data = NULL;
	data_cmd(&cmd, "GET", k);
	if (simple(c, &cmd, "GET", NULL, &r) != KS_REDIS_OK) {
		return c->err;
	}
	if (r->kind == KS_REDIS_REPLY_NIL) {
		ks_redis_reply_free(r);
		return KS_REDIS_OK;
	}
	if (r->kind != KS_REDIS_REPLY_STRING) {
		return bad_reply(c, "GET", r);
	}
	*data = r;
	return KS_REDIS_OK;
}

ks_redis_status ks_sess_set(ks_redis_conn *c, const ks_sess_keys *k, const char *val, size_t len, long ttl_s,
	ks_sess_wait *w)
{
	ks_redis_cmd cmd;
	ks_redis_reply *r;

	data_cmd(&cmd, "SET", k);
	ks_redis_cmd_append_len(&cmd, val, len);
	ks_redis_cmd_append_str(&cmd, "EX");
	ks_redis_cmd_append_long(&cmd, ttl_s);
	if (simple(c, &cmd, "SET", w, &r) == KS_REDIS_OK) {
		ks_redis_reply_free(r);
	}
	return c->err;
}

ks_redis_status ks_sess_touch(ks_redis_conn *c, const ks_sess_keys *k, const char *val, size_t len, long ttl_s,
	ks_sess_wait *w)
{
	ks_redis_cmd args;
	ks_redis_reply *r;

	ks_redis_cmd_init_args(&args);
	ks_redis_cmd_append_len(&args, k->data, k->data_len);
	ks_redis_cmd_append_long(&args, ttl_s);
	ks_redis_cmd_append_len(&args, val, len);
	if (run_script(c, &touch_script, 1, &args, KS_REDIS_RETRY_SAFE, w, &r) == KS_REDIS_OK) {
		ks_redis_reply_free(r);
	}
	ks_redis_cmd_free(&args);
	return c->err;
}

ks_redis_status ks_sess_del(ks_redis_conn *c, const ks_sess_keys *k, ks_sess_wait *w)
{
	ks_redis_cmd cmd;
	ks_redis_reply *r;

	data_cmd(&cmd, "DEL", k);
	if (simple(c, &cmd, "DEL", w, &r) == KS_REDIS_OK) {
		ks_redis_reply_free(r);
	}
	return c->err;
}

ks_redis_status ks_sess_exists(ks_redis_conn *c, const ks_sess_keys *k, bool *exists)
{
	ks_redis_cmd cmd;
	ks_redis_reply *r;

	*exists = false;
	data_cmd(&cmd, "EXISTS", k);
	if (simple(c, &cmd, "EXISTS", NULL, &r) != KS_REDIS_OK) {
		return c->err;
	}
	if (r->kind != KS_REDIS_REPLY_INTEGER) {
		return bad_reply(c, "EXISTS", r);
	}
	*exists = r->integer > 0;
	ks_redis_reply_free(r);
	return KS_REDIS_OK;
}
