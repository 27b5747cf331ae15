/*
 * cache_api.c: the keepsake_cache_* functions.
 *
 * With cache_iter.c, this is the layer that turns a ks_cache_status into a
 * warning (ks_cache_warn), exactly one per failed key. Every function
 * follows the same order: validate and encode (PHP code may run), call the store (a shard lock is
 * held inside it, never across PHP code), then decode (PHP code may run).
 * Return conventions mirror APCu 5.1 (see docs/cache.md).
 */
#include "php_keepsake.h"
#include "zend_exceptions.h"
#include "zend_interfaces.h"
#include "cache/ks_cache_ctx.h"
#include "cache/ks_cache_iter.h"
#include "cache/ks_cache_defs.h"
#include "cache/ks_cache_value.h"
#include "cache/ks_cache_zerocopy.h"

#include <time.h>
#include <unistd.h>


/* ---- keys and TTLs ------------------------------------------------------ */

/* A scalar key as a string (APCu converts ints); NULL + warning otherwise. */
static zend_string *ks_cache_key_str(zval *key)
{
	ZVAL_DEREF(key);
	switch (Z_TYPE_P(key)) {
	case IS_STRING:
		return zend_string_copy(Z_STR_P(key));
	case IS_LONG:
	case IS_DOUBLE:
	case IS_TRUE:
	case IS_FALSE:
		return zval_get_string(key);
	default:
		php_error_docref(NULL, E_WARNING, "a key must be a string, %s given", zend_zval_type_name(key));
		return NULL;
	}
}

/* PHP caches a string's hash in the string and computes it the same way in
 * every process, so a key used again costs no hashing. */
static inline void ks_cache_key_of(ks_cache_key *k, zend_string *s)
{
	ks_cache_key_init(k, ZSTR_VAL(s), ZSTR_LEN(s), (uint64_t) zend_string_hash_val(s));
}

#define KS_CACHE_KEY_ALWAYS_FITS 1024  /* even the smallest shard (KS_CACHE_SHARD_MIN) holds such a key */

/*
 * Builds the store's key for op. Every operation on a key goes through here,
 * so the length is checked once, before anything is hashed, locked or
 * evicted: a key that cannot fit in a shard even with an empty value (or
 * that would not fit the entry's 32-bit sizes) gets the one warning and
 * KS_CACHE_TOOBIG.
 */
static ks_cache_status ks_cache_key_make(ks_cache_key *k, zend_string *s, const char *op)
{
	uint64_t max;

	if (EXPECTED(ZSTR_LEN(s) <= KS_CACHE_KEY_ALWAYS_FITS)) {
		ks_cache_key_of(k, s);
		return KS_CACHE_OK;
	}
	max = ks_cache_store_max_key(ks_cache_segment);
	if (ZSTR_LEN(s) > max) {
		php_error_docref(NULL, E_WARNING, "cannot %s key '%.*s...': the key is %zu bytes, longer than a shard can hold (%llu bytes; raise keepsake.cache.size or lower keepsake.cache.shards)",
			op, 128, ZSTR_VAL(s), ZSTR_LEN(s), (unsigned long long) max);
		return KS_CACHE_TOOBIG;
	}
	ks_cache_key_of(k, s);
	return KS_CACHE_OK;
}

#define KS_CACHE_TTL_RULE "ttl must be 0 (no TTL) or a number of seconds, got " ZEND_LONG_FMT

/* $ttl = 0 takes keepsake.cache.ttl; the result is clamped to 10 years.
 * FAILURE, without a warning, for a negative ttl. */
static int ks_cache_ttl_of(zend_long ttl, uint32_t *out)
{
	if (ttl < 0) {
		return FAILURE;
	}
	if (ttl == 0) {
		ttl = KEEPSAKE_G(cache.ttl);
	}
	*out = ttl > 315360000 ? 315360000 : (uint32_t) ttl;
	return SUCCESS;
}

/* ks_cache_ttl_of, with the warning. */
static int ks_cache_ttl(zend_long ttl, uint32_t *out)
{
	if (ks_cache_ttl_of(ttl, out) == FAILURE) {
		php_error_docref(NULL, E_WARNING, KS_CACHE_TTL_RULE, ttl);
		return FAILURE;
	}
	return SUCCESS;
}

static int ks_cache_ready(void)
{
	return ks_cache_segment != NULL;
}

/* ---- store / add ---------------------------------------------------------- */

static void ks_cache_value_too_big(const char *op, zend_string *key, uint64_t max)
{
	php_error_docref(NULL, E_WARNING, "cannot %s key '%.*s': the value is larger than a shard can hold (%llu bytes; raise keepsake.cache.size or lower keepsake.cache.shards)",
		op, (int) (ZSTR_LEN(key) > 128 ? 128 : ZSTR_LEN(key)), ZSTR_VAL(key), (unsigned long long) max);
}

/* Encodes and stores one value; warns once on failure. The encoder is given
 * the shard's limit, so a value too large for it is refused before it is
 * copied (a request must not die of memory_limit for a value that would be
 * refused anyway). */
static ks_cache_status ks_cache_put_one(zend_string *key, zval *value, uint32_t ttl, int exclusive, const char *op)
{
	smart_str enc = {0};
	ks_cache_enc_status es;
	ks_cache_status st;
	ks_cache_ctx c;
	ks_cache_key k;
	uint64_t max;

	if (ks_cache_key_make(&k, key, op) != KS_CACHE_OK) {
		return KS_CACHE_TOOBIG;
	}
	max = ks_cache_store_max_value(ks_cache_segment, (uint32_t) ZSTR_LEN(key));
	ks_cache_ctx_init(&c, 0);
	if (ks_cache_zc_put(&c, &k, value, ttl, exclusive, max, &st)) {
		/* pure data, stored in the immutable form (zero-copy fetch) */
		if (st != KS_CACHE_OK && st != KS_CACHE_EXISTS) {
			ks_cache_warn(op, ZSTR_VAL(key), ZSTR_LEN(key), st);
		}
		return st;
	}
	es = ks_cache_value_encode(value, &enc, (int) KEEPSAKE_G(cache.serializer), (size_t) max);
	if (es == KS_CACHE_ENC_OK && ZSTR_LEN(enc.s) > max) {
		es = KS_CACHE_ENC_TOOBIG;  /* serialized: its length is known only now */
	}
	if (es != KS_CACHE_ENC_OK) {
		smart_str_free(&enc);
		if (es == KS_CACHE_ENC_TOOBIG) {
			ks_cache_value_too_big(op, key, max);
			return KS_CACHE_TOOBIG;
		}
		if (es == KS_CACHE_ENC_RESOURCE) {
			ks_cache_warn_cause(op, ZSTR_VAL(key), ZSTR_LEN(key), "resources cannot be cached");
		} else if (es == KS_CACHE_ENC_DEPTH) {
			ks_cache_warn_cause(op, ZSTR_VAL(key), ZSTR_LEN(key), "the value is nested deeper than " ZEND_TOSTR(KS_CACHE_MAX_DEPTH) " levels");
		} else if (!EG(exception)) {
			ks_cache_warn_cause(op, ZSTR_VAL(key), ZSTR_LEN(key), "the serializer failed");
		}
		return KS_CACHE_REFUSED;
	}
	st = ks_cache_store_put(&c, &k, ZSTR_VAL(enc.s), (uint32_t) ZSTR_LEN(enc.s), ttl, exclusive);
	smart_str_free(&enc);
	if (st != KS_CACHE_OK && st != KS_CACHE_EXISTS) {
		ks_cache_warn(op, ZSTR_VAL(key), ZSTR_LEN(key), st);
	}
	return st;
}

/*
 * The array form goes on after a value whose serializer threw (as APCu, the
 * other keys are stored): the exception is taken off the executor, which
 * would refuse to call any more PHP code with it pending, and rethrown at the
 * end. Only the first is kept (the later ones are usually the same error
 * again), which is also what APCu ends with. exit() is no exception to hold:
 * the caller stops at once, since no PHP code may run after it.
 */
static void ks_cache_exception_hold(zend_object **first)
{
	if (!*first) {
		*first = EG(exception);
		GC_ADDREF(*first);
	}
	zend_clear_exception();
}

static void ks_cache_api_store_generic(INTERNAL_FUNCTION_PARAMETERS, int exclusive)
{
	const char *op = exclusive ? "add" : "store";
	zval *key, *value = NULL;
	zend_long ttl = 0;
	uint32_t t;

	ZEND_PARSE_PARAMETERS_START(1, 3)
		Z_PARAM_ZVAL(key)
		Z_PARAM_OPTIONAL
		Z_PARAM_ZVAL(value)
		Z_PARAM_LONG(ttl)
	ZEND_PARSE_PARAMETERS_END();

	if (ks_cache_ttl(ttl, &t) == FAILURE) {
		RETURN_FALSE;
	}
	if (Z_TYPE_P(key) == IS_ARRAY) {
		zend_object *thrown = NULL;
		zend_string *skey;
		zend_ulong idx;
		zval *v;
		array_init(return_value);
		ZEND_HASH_FOREACH_KEY_VAL(Z_ARRVAL_P(key), idx, skey, v) {
			zend_string *ks = skey ? zend_string_copy(skey) : zend_long_to_str((zend_long) idx);
			ZVAL_DEREF(v);
			if (!ks_cache_ready() || ks_cache_put_one(ks, v, t, exclusive, op) != KS_CACHE_OK) {
				if (skey) {
					add_assoc_long_ex(return_value, ZSTR_VAL(skey), ZSTR_LEN(skey), -1);
				} else {
					add_index_long(return_value, idx, -1);
				}
			}
			zend_string_release(ks);
			if (EG(exception) && (zend_is_unwind_exit(EG(exception)) || zend_is_graceful_exit(EG(exception)))) {
				/* exit() in a serializer or an error handler: no more
				 * PHP code may run, so the other keys are not stored */
				if (thrown) {
					OBJ_RELEASE(thrown);
				}
				RETURN_THROWS();
			}
			if (EG(exception)) {
				ks_cache_exception_hold(&thrown);
			}
		} ZEND_HASH_FOREACH_END();
		if (thrown) {
			zend_throw_exception_internal(thrown);
			RETURN_THROWS();
		}
		return;
	}
	if (!value) {
		php_error_docref(NULL, E_WARNING, "a value is required when the key is a string");
		RETURN_FALSE;
	}
	{
		zend_string *ks = ks_cache_key_str(key);
		ks_cache_status st;
		if (!ks) {
			RETURN_FALSE;
		}
		if (!ks_cache_ready()) {
			zend_string_release(ks);
			RETURN_FALSE;
		}
		st = ks_cache_put_one(ks, value, t, exclusive, op);
		zend_string_release(ks);
		if (EG(exception)) {
			RETURN_THROWS();
		}
		RETURN_BOOL(st == KS_CACHE_OK);
	}
}

PHP_FUNCTION(keepsake_cache_store)
{
	ks_cache_api_store_generic(INTERNAL_FUNCTION_PARAM_PASSTHRU, 0);
}

PHP_FUNCTION(keepsake_cache_add)
{
	ks_cache_api_store_generic(INTERNAL_FUNCTION_PARAM_PASSTHRU, 1);
}

/* ---- fetch / exists -------------------------------------------------------- */

/* Fetches one key into rv; returns 1 on a hit. */
static int ks_cache_fetch_one(zend_string *key, zval *rv)
{
	ks_cache_status st;
	ks_cache_ctx c;
	ks_cache_key k;

	if (ks_cache_key_make(&k, key, "fetch") != KS_CACHE_OK) {
		return 0;
	}
	ks_cache_ctx_init(&c, 0);
	/* an immutable value in place when zero-copy is on, else a copy */
	st = ks_cache_zc_fetch(&c, &k, rv);
	if (st == KS_CACHE_NOTFOUND) {
		return 0;
	}
	if (st == KS_CACHE_REFUSED) {
		if (!EG(exception)) {
			ks_cache_warn_cause("fetch", ZSTR_VAL(key), ZSTR_LEN(key), "the stored value could not be decoded");
		}
		return 0;
	}
	if (st != KS_CACHE_OK) {
		ks_cache_warn("fetch", ZSTR_VAL(key), ZSTR_LEN(key), st);
		return 0;
	}
	return 1;
}

PHP_FUNCTION(keepsake_cache_fetch)
{
	zval *key, *success = NULL;

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_ZVAL(key)
		Z_PARAM_OPTIONAL
		Z_PARAM_ZVAL(success)
	ZEND_PARSE_PARAMETERS_END();

	if (success) {
		ZEND_TRY_ASSIGN_REF_FALSE(success);
	}
	if (Z_TYPE_P(key) == IS_ARRAY) {
		zval *k;
		array_init(return_value);
		if (!ks_cache_ready()) {
			return;
		}
		ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(key), k) {
			zend_string *ks = ks_cache_key_str(k);
			zval v;
			if (!ks) {
				continue;
			}
			if (ks_cache_fetch_one(ks, &v)) {
				zend_symtable_update(Z_ARRVAL_P(return_value), ks, &v);
			}
			zend_string_release(ks);
			if (EG(exception)) {
				RETURN_THROWS();
			}
		} ZEND_HASH_FOREACH_END();
		if (success) {
			ZEND_TRY_ASSIGN_REF_TRUE(success);
		}
		return;
	}
	{
		zend_string *ks = ks_cache_key_str(key);
		int hit;
		if (!ks) {
			RETURN_FALSE;
		}
		hit = ks_cache_ready() && ks_cache_fetch_one(ks, return_value);
		zend_string_release(ks);
		if (EG(exception)) {
			RETURN_THROWS();
		}
		if (!hit) {
			RETURN_FALSE;
		}
		if (success) {
			ZEND_TRY_ASSIGN_REF_TRUE(success);
		}
	}
}

static int ks_cache_exists_one(zend_string *key)
{
	ks_cache_status st;
	ks_cache_ctx c;
	ks_cache_key k;

	if (ks_cache_key_make(&k, key, "check") != KS_CACHE_OK) {
		return 0;
	}
	ks_cache_ctx_init(&c, 0);
	st = ks_cache_store_get(&c, &k, NULL, &KEEPSAKE_G(cache.reads));
	if (st != KS_CACHE_OK && st != KS_CACHE_NOTFOUND) {
		ks_cache_warn("check", ZSTR_VAL(key), ZSTR_LEN(key), st);
	}
	return st == KS_CACHE_OK;
}

PHP_FUNCTION(keepsake_cache_exists)
{
	zval *key;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_ZVAL(key)
	ZEND_PARSE_PARAMETERS_END();

	if (Z_TYPE_P(key) == IS_ARRAY) {
		zval *k;
		array_init(return_value);
		if (!ks_cache_ready()) {
			return;
		}
		ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(key), k) {
			zend_string *ks = ks_cache_key_str(k);
			if (!ks) {
				continue;
			}
			if (ks_cache_exists_one(ks)) {
				zval t;
				ZVAL_TRUE(&t);
				zend_symtable_update(Z_ARRVAL_P(return_value), ks, &t);
			}
			zend_string_release(ks);
		} ZEND_HASH_FOREACH_END();
		return;
	}
	{
		zend_string *ks = ks_cache_key_str(key);
		int found;
		if (!ks) {
			RETURN_FALSE;
		}
		found = ks_cache_ready() && ks_cache_exists_one(ks);
		zend_string_release(ks);
		RETURN_BOOL(found);
	}
}

/* ---- delete ----------------------------------------------------------------- */

static int ks_cache_delete_one(zend_string *key)
{
	ks_cache_status st;
	ks_cache_ctx c;
	ks_cache_key k;

	if (ks_cache_key_make(&k, key, "delete") != KS_CACHE_OK) {
		return 0;
	}
	ks_cache_ctx_init(&c, 0);
	st = ks_cache_store_delete(&c, &k);
	if (st != KS_CACHE_OK && st != KS_CACHE_NOTFOUND) {
		ks_cache_warn("delete", ZSTR_VAL(key), ZSTR_LEN(key), st);
	}
	return st == KS_CACHE_OK;
}

/* APCu's delete() takes strings, arrays of strings and iterators, and
 * warns for anything else (floats, bools and null included: they are never
 * silently turned into keys). Ints are keys here, as in fetch and store. */
static void ks_cache_delete_bad_type(zval *key)
{
	php_error_docref(NULL, E_WARNING, "cannot delete: a key must be a string or an int (or an array of them, or a cache iterator), %s given",
		zend_zval_type_name(key));
}

PHP_FUNCTION(keepsake_cache_delete)
{
	zval *key;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_ZVAL(key)
	ZEND_PARSE_PARAMETERS_END();

	if (Z_TYPE_P(key) == IS_OBJECT && instanceof_function(Z_OBJCE_P(key), ks_cache_iter_ce)) {
		if (!ks_cache_ready()) {
			RETURN_FALSE;
		}
		if (ks_cache_iter_delete_all(Z_OBJ_P(key)) == FAILURE) {
			RETURN_THROWS();
		}
		RETURN_TRUE;
	}
	if (Z_TYPE_P(key) == IS_ARRAY) {
		zval *k;
		array_init(return_value);
		ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(key), k) {
			zend_string *ks;
			ZVAL_DEREF(k);
			if (Z_TYPE_P(k) != IS_STRING && Z_TYPE_P(k) != IS_LONG) {
				/* APCu warns for each such element and lists it as not deleted */
				ks_cache_delete_bad_type(k);
				Z_TRY_ADDREF_P(k);
				add_next_index_zval(return_value, k);
				continue;
			}
			ks = ks_cache_key_str(k);
			if (!ks_cache_ready() || !ks_cache_delete_one(ks)) {
				Z_TRY_ADDREF_P(k);
				add_next_index_zval(return_value, k);
			}
			zend_string_release(ks);
		} ZEND_HASH_FOREACH_END();
		return;
	}
	if (Z_TYPE_P(key) == IS_OBJECT) {
		zend_argument_type_error(1, "must be of type array|string|Keepsake\\CacheIterator, %s given", zend_zval_type_name(key));
		RETURN_THROWS();
	}
	if (Z_TYPE_P(key) != IS_STRING && Z_TYPE_P(key) != IS_LONG) {
		ks_cache_delete_bad_type(key);
		RETURN_FALSE;
	}
	{
		zend_string *ks = ks_cache_key_str(key);
		int ok;
		if (!ks) {
			RETURN_FALSE;
		}
		ok = ks_cache_ready() && ks_cache_delete_one(ks);
		zend_string_release(ks);
		RETURN_BOOL(ok);
	}
}

/* ---- inc / dec / cas ---------------------------------------------------------- */

static void ks_cache_incr_generic(INTERNAL_FUNCTION_PARAMETERS, int sign)
{
	const char *op = sign > 0 ? "increment" : "decrement";
	zend_string *key;
	zend_long step = 1, ttl = 0;
	zval *success = NULL;
	int64_t result;
	uint32_t t;
	ks_cache_status st;
	ks_cache_ctx c;
	ks_cache_key k;

	ZEND_PARSE_PARAMETERS_START(1, 4)
		Z_PARAM_STR(key)
		Z_PARAM_OPTIONAL
		Z_PARAM_LONG(step)
		Z_PARAM_ZVAL(success)
		Z_PARAM_LONG(ttl)
	ZEND_PARSE_PARAMETERS_END();

	if (success) {
		ZEND_TRY_ASSIGN_REF_FALSE(success);
	}
	if (!ks_cache_ready() || ks_cache_ttl(ttl, &t) == FAILURE) {
		RETURN_FALSE;
	}
	if (sign < 0) {
		step = (zend_long) (0 - (zend_ulong) step);
	}
	if (ks_cache_key_make(&k, key, op) != KS_CACHE_OK) {
		RETURN_FALSE;
	}
	if (ZSTR_LEN(key) > KS_CACHE_KEY_ALWAYS_FITS && ks_cache_store_max_value(ks_cache_segment, (uint32_t) ZSTR_LEN(key)) < KS_CACHE_VAL_LONG_SIZE) {
		/* the key fits with a smaller value, but not with an int's 9 bytes */
		php_error_docref(NULL, E_WARNING, "cannot %s key '%.*s...': the key is %zu bytes, longer than a shard can hold with an int (%llu bytes; raise keepsake.cache.size or lower keepsake.cache.shards)",
			op, 128, ZSTR_VAL(key), ZSTR_LEN(key), (unsigned long long) (ks_cache_store_max_key(ks_cache_segment) - (KS_CACHE_VAL_LONG_SIZE - KS_CACHE_VAL_MIN_SIZE)));
		RETURN_FALSE;
	}
	ks_cache_ctx_init(&c, 0);
	st = ks_cache_store_incr(&c, &k, step, t, &result);
	if (st != KS_CACHE_OK) {
		if (st != KS_CACHE_NOTLONG) {
			ks_cache_warn(op, ZSTR_VAL(key), ZSTR_LEN(key), st);
		}
		RETURN_FALSE;
	}
	if (success) {
		ZEND_TRY_ASSIGN_REF_TRUE(success);
	}
	RETURN_LONG(result);
}

PHP_FUNCTION(keepsake_cache_inc)
{
	ks_cache_incr_generic(INTERNAL_FUNCTION_PARAM_PASSTHRU, 1);
}

PHP_FUNCTION(keepsake_cache_dec)
{
	ks_cache_incr_generic(INTERNAL_FUNCTION_PARAM_PASSTHRU, -1);
}

PHP_FUNCTION(keepsake_cache_cas)
{
	zend_string *key;
	zend_long old, new_value;
	ks_cache_status st;
	ks_cache_ctx c;
	ks_cache_key k;

	ZEND_PARSE_PARAMETERS_START(3, 3)
		Z_PARAM_STR(key)
		Z_PARAM_LONG(old)
		Z_PARAM_LONG(new_value)
	ZEND_PARSE_PARAMETERS_END();

	if (!ks_cache_ready() || ks_cache_key_make(&k, key, "compare-and-swap") != KS_CACHE_OK) {
		RETURN_FALSE;
	}
	ks_cache_ctx_init(&c, 0);
	st = ks_cache_store_cas(&c, &k, old, new_value);
	if (st == KS_CACHE_LOCK_TIMEOUT || st == KS_CACHE_LOCK_BROKEN) {
		ks_cache_warn("compare-and-swap", ZSTR_VAL(key), ZSTR_LEN(key), st);
	}
	RETURN_BOOL(st == KS_CACHE_OK);
}

/* ---- entry ---------------------------------------------------------------------- */

static void ks_cache_sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };
	nanosleep(&ts, NULL);
}

static double ks_cache_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec * 1000.0 + (double) ts.tv_nsec / 1e6;
}

/* Runs the callback with the key; returns SUCCESS with the result in rv. */
static zend_result ks_cache_entry_call(zend_fcall_info *fci, zend_fcall_info_cache *fcc, zend_string *key, zval *rv)
{
	zval arg;
	zend_result rc;

	ZVAL_STR(&arg, key);
	fci->retval = rv;
	fci->params = &arg;
	fci->param_count = 1;
	rc = zend_call_function(fci, fcc);
	if (rc != SUCCESS || EG(exception)) {
		zval_ptr_dtor(rv);
		ZVAL_UNDEF(rv);
		return FAILURE;
	}
	return SUCCESS;
}

/* Forgets that this process computes key (entry_keys) and frees its lease. */
static void ks_cache_entry_release(const ks_cache_key *k, zend_string *key)
{
	ks_cache_ctx c;

	if (KEEPSAKE_G(cache.entry_keys)) {
		zend_hash_del(KEEPSAKE_G(cache.entry_keys), key);
	}
	ks_cache_ctx_init(&c, 1);
	ks_cache_store_unlease(&c, k);
}

/*
 * We hold the lease: compute with no lock held, then store or release. The
 * callback runs inside zend_try: a bailout (fatal error) frees the lease at
 * once, so other processes need not wait for this request to end, and then
 * carries on unwinding.
 */
static void ks_cache_entry_compute(zend_fcall_info *fci, zend_fcall_info_cache *fcc, zend_string *key,
	const ks_cache_key *k, uint32_t ttl, zval *return_value)
{
	HashTable *mine = KEEPSAKE_G(cache.entry_keys);
	volatile int bailed = 0;
	volatile zend_result rc = FAILURE;

	if (!mine) {
		ALLOC_HASHTABLE(mine);
		zend_hash_init(mine, 8, NULL, NULL, 0);
		KEEPSAKE_G(cache.entry_keys) = mine;
	}
	zend_hash_add_empty_element(mine, key);
	zend_try {
		rc = ks_cache_entry_call(fci, fcc, key, return_value);
	} zend_catch {
		bailed = 1;
	} zend_end_try();
	if (bailed) {
		ks_cache_entry_release(k, key);
		zend_bailout();
	}
	if (rc != SUCCESS) {
		/* nothing stored, the key is free for the next process */
		ks_cache_entry_release(k, key);
		return;
	}
	if (KEEPSAKE_G(cache.entry_keys)) {
		zend_hash_del(KEEPSAKE_G(cache.entry_keys), key);
	}
	/* Added, as APCu does: it replaces our lease, never a value stored
	 * meanwhile (by the callback itself, with its own TTL, or by a nested
	 * entry() for this key), which stays; the callback's result is still
	 * what this call returns. */
	if (ks_cache_put_one(key, return_value, ttl, 1, "store") != KS_CACHE_OK) {
		ks_cache_entry_release(k, key);
	}
}

/*
 * entry() for a key this request is computing (the callback, or code it
 * calls, asked for the same key): no waiting for our own lease, but
 * otherwise as APCu, whose entry() runs under a lock that the nested call
 * already holds: a value stored meanwhile is returned, else the callback
 * runs and its result is added (replacing our lease, so the outer call's
 * add then keeps this value). Returns FAILURE with an exception thrown.
 */
static zend_result ks_cache_entry_nested(zend_fcall_info *fci, zend_fcall_info_cache *fcc, zend_string *key,
	uint32_t ttl, zval *return_value)
{
	if (ks_cache_fetch_one(key, return_value)) {
		return EG(exception) ? FAILURE : SUCCESS;
	}
	if (EG(exception)) {
		return FAILURE;
	}
	if (ks_cache_entry_call(fci, fcc, key, return_value) != SUCCESS) {
		return FAILURE;
	}
	ks_cache_put_one(key, return_value, ttl, 1, "store");
	return EG(exception) ? FAILURE : SUCCESS;
}

/*
 * Waits for the process that computes key, or takes the lease. Returns
 * KS_CACHE_OK with the value decoded into return_value (or an exception thrown),
 * KS_CACHE_LEASE_MINE, or another status after warning once: the caller then
 * computes without caching.
 */
static ks_cache_status ks_cache_entry_wait(zend_string *key, const ks_cache_key *k, zval *return_value)
{
	uint32_t lease_secs = (uint32_t) KEEPSAKE_G(cache.entry_timeout);
	double give_up = ks_cache_now_ms() + (double) lease_secs * 1000.0 + 2000.0;
	long nap = 100;
	ks_cache_status st;
	ks_cache_ctx c;

	for (;;) {
		ks_cache_ctx_init(&c, 1);
		st = ks_cache_store_lease(&c, k, lease_secs, &KEEPSAKE_G(cache.scratch));
		if (st == KS_CACHE_OK) {
			zend_result rc = ks_cache_value_decode(KEEPSAKE_G(cache.scratch).data, KEEPSAKE_G(cache.scratch).len, return_value);
			ks_cache_scratch_trim();
			if (rc == SUCCESS || EG(exception)) {
				return KS_CACHE_OK;
			}
			ks_cache_warn_cause("fetch", ZSTR_VAL(key), ZSTR_LEN(key), "the stored value could not be decoded; computing it without caching");
			return KS_CACHE_REFUSED;
		}
		if (st == KS_CACHE_LEASE_MINE) {
			return st;
		}
		if (st != KS_CACHE_LEASED) {
			ks_cache_warn("cache", ZSTR_VAL(key), ZSTR_LEN(key), st);
			return st;
		}
		if (ks_cache_now_ms() > give_up) {
			ks_cache_warn_cause("cache", ZSTR_VAL(key), ZSTR_LEN(key), "another process held it for more than keepsake.cache.entry_timeout; computing it without caching");
			return KS_CACHE_LEASED;
		}
		ks_cache_sleep_us(nap);
		nap = nap < 5000 ? nap * 2 : 5000;
	}
}

/*
 * entry(): the cached value, or the callback's result. Whenever the result
 * cannot be cached (disabled, a nested entry() for the key being computed,
 * a key too long, no room, a lock or lease timeout, an undecodable value)
 * the callback still runs and its result is returned: never false without
 * running it.
 */
PHP_FUNCTION(keepsake_cache_entry)
{
	zend_string *key;
	zend_fcall_info fci;
	zend_fcall_info_cache fcc;
	zend_long ttl = 0;
	uint32_t t;
	ks_cache_status st;
	ks_cache_key k;

	ZEND_PARSE_PARAMETERS_START(2, 3)
		Z_PARAM_STR(key)
		Z_PARAM_FUNC(fci, fcc)
		Z_PARAM_OPTIONAL
		Z_PARAM_LONG(ttl)
	ZEND_PARSE_PARAMETERS_END();

	if (ks_cache_ttl_of(ttl, &t) == FAILURE) {
		/* as APCu: the result is still computed and returned */
		char cause[160];
		snprintf(cause, sizeof(cause), KS_CACHE_TTL_RULE "; computing it without caching", ttl);
		ks_cache_warn_cause("cache", ZSTR_VAL(key), ZSTR_LEN(key), cause);
		st = KS_CACHE_REFUSED;
	} else if (ks_cache_ready() && KEEPSAKE_G(cache.entry_keys) && zend_hash_exists(KEEPSAKE_G(cache.entry_keys), key)) {
		if (ks_cache_entry_nested(&fci, &fcc, key, t, return_value) != SUCCESS) {
			RETURN_THROWS();
		}
		return;
	} else if (!ks_cache_ready() || ks_cache_key_make(&k, key, "cache") != KS_CACHE_OK) {
		st = KS_CACHE_DISABLED;
	} else {
		st = ks_cache_entry_wait(key, &k, return_value);
		if (st == KS_CACHE_OK) {
			if (EG(exception)) {
				RETURN_THROWS();
			}
			return;
		}
		if (EG(exception)) {
			RETURN_THROWS();
		}
	}
	if (st == KS_CACHE_LEASE_MINE) {
		ks_cache_entry_compute(&fci, &fcc, key, &k, t, return_value);
	} else if (ks_cache_entry_call(&fci, &fcc, key, return_value) != SUCCESS) {
		RETURN_THROWS();
	}
	if (EG(exception)) {
		RETURN_THROWS();
	}
}

/* ---- clear / enabled ------------------------------------------------------------- */

PHP_FUNCTION(keepsake_cache_clear)
{
	ks_cache_ctx c;
	ks_cache_status st;

	ZEND_PARSE_PARAMETERS_NONE();
	if (!ks_cache_ready()) {
		RETURN_TRUE;  /* as APCu: a disabled cache is already empty */
	}
	ks_cache_ctx_init(&c, 0);
	st = ks_cache_store_clear(&c);
	if (st != KS_CACHE_OK) {
		php_error_docref(NULL, E_WARNING, "cannot clear every shard: %s",
			st == KS_CACHE_LOCK_TIMEOUT ? "a shard lock was not obtained within keepsake.cache.lock_timeout" : "a shard lock is unusable");
	}
	RETURN_TRUE;
}

/* A segment is mapped and keepsake.cache.enabled is on where the caller
 * runs. A php-fpm pool may set enabled=0 (or apc.enabled=0) after the
 * master mapped the segment: as APCu, this then answers false while the
 * other functions keep using the segment the pools share. */
PHP_FUNCTION(keepsake_cache_enabled)
{
	ZEND_PARSE_PARAMETERS_NONE();
	RETURN_BOOL(ks_cache_ready() && KEEPSAKE_G(cache.enabled));
}

/* ---- info ---------------------------------------------------------------------------- */

/* info() and sma_info() of a disabled cache warn and return false, as in
 * APCu, so a status page says why it shows nothing. */
static void ks_cache_info_disabled(const char *what)
{
	php_error_docref(NULL, E_WARNING, "cannot read the %s: the cache is disabled (keepsake.cache.enabled=0, or the CLI without keepsake.cache.enable_cli=1, or the segment could not be mapped)", what);
}

static void ks_cache_entry_info(zval *out, const ks_cache_meta *m, const char *key, int iter_style)
{
	array_init(out);
	if (!iter_style) {
		add_assoc_stringl(out, "info", key, m->klen);
	}
	add_assoc_long(out, "ttl", m->expire ? (zend_long) (m->expire - m->ctime) : 0);
	add_assoc_long(out, "num_hits", m->hits);
	add_assoc_long(out, "mtime", m->ctime);
	add_assoc_long(out, "creation_time", m->ctime);
	add_assoc_long(out, "deletion_time", 0);
	add_assoc_long(out, "access_time", m->atime);
	add_assoc_long(out, "ref_count", 0);
	add_assoc_long(out, "mem_size", m->mem_size);
}

/* Adds shard i's (bucket, count) pairs to slots as APCu's global slot
 * index => chain length: shard i owns slots i * per_shard .. (i + 1) *
 * per_shard - 1 (every shard has the same bucket count). */
static void ks_cache_info_slots(zval *slots, const ks_cache_buf *pairs, uint32_t i, uint64_t per_shard)
{
	size_t off;

	for (off = 0; off + 2 * sizeof(uint32_t) <= pairs->len; off += 2 * sizeof(uint32_t)) {
		uint32_t pair[2];
		memcpy(pair, pairs->data + off, sizeof(pair));
		add_index_long(slots, (zend_ulong) (i * per_shard + pair[0]), (zend_long) pair[1]);
	}
}

/* cache_list and slot_distribution, one shard at a time, each from one
 * walk of the shard under its lock. */
static void ks_cache_info_list(zval *list, zval *slots, uint64_t buckets)
{
	ks_cache_buf buf = {0}, pairs = {0};
	uint64_t per_shard = buckets / ks_cache_segment->nshards;
	uint32_t i;
	ks_cache_ctx c;

	array_init(list);
	array_init(slots);
	ks_cache_ctx_init(&c, 0);
	for (i = 0; i < ks_cache_segment->nshards; i++) {
		size_t off = 0;
		ks_cache_status st;
		buf.len = 0;
		pairs.len = 0;
		st = ks_cache_store_snapshot(&c, i, &buf, 0, &pairs);
		if (st != KS_CACHE_OK) {
			php_error_docref(NULL, E_WARNING, "cache_list is missing shard %u: %s", i,
				st == KS_CACHE_NOMEM ? "out of process memory" : "its lock was not obtained");
			continue;
		}
		while (off < buf.len) {
			const ks_cache_meta *m = (const ks_cache_meta *) (buf.data + off);
			zval e;
			ks_cache_entry_info(&e, m, buf.data + off + sizeof(ks_cache_meta), 0);
			add_next_index_zval(list, &e);
			off += ks_cache_meta_record_size(m);
		}
		ks_cache_info_slots(slots, &pairs, i, per_shard);
	}
	ks_cache_buf_free(&buf);
	ks_cache_buf_free(&pairs);
}

/* cache_info()['zero_copy']: the immutable entries, the retired blocks and
 * the processes of the epoch scheme (ks_cache_zerocopy.h). */
static void ks_cache_info_zero_copy(zval *rv, const ks_cache_stats *s)
{
	zval zc;

	array_init(&zc);
	add_assoc_bool(&zc, "enabled", ks_cache_zc_enabled());
	add_assoc_long(&zc, "entries", (zend_long) s->zc_live);
	add_assoc_long(&zc, "retired_blocks", (zend_long) s->retired_blocks);
	add_assoc_long(&zc, "retired_bytes", (zend_long) s->retired_bytes);
	add_assoc_long(&zc, "retired_freed", (zend_long) s->retired_freed);
	add_assoc_long(&zc, "processes", (zend_long) s->zc_slots);
	add_assoc_long(&zc, "pinned", (zend_long) s->zc_pinned);
	add_assoc_long(&zc, "dead_reclaimed", (zend_long) s->zc_dead_reclaimed);
	add_assoc_long(&zc, "unmapped_reclaimed", (zend_long) s->zc_unmapped_reclaimed);
	add_assoc_long(&zc, "sticky", (zend_long) s->zc_sticky);
	add_assoc_long(&zc, "fork_reserved", (zend_long) s->zc_fork_reserved);
	add_assoc_long(&zc, "fork_shared", (zend_long) s->zc_fork_shared);
	add_assoc_zval(rv, "zero_copy", &zc);
}

PHP_FUNCTION(keepsake_cache_info)
{
	bool limited = false;
	ks_cache_stats s;
	zval ev;

	ZEND_PARSE_PARAMETERS_START(0, 1)
		Z_PARAM_OPTIONAL
		Z_PARAM_BOOL(limited)
	ZEND_PARSE_PARAMETERS_END();

	if (!ks_cache_ready()) {
		ks_cache_info_disabled("cache info");
		RETURN_FALSE;
	}
	ks_cache_flush_reads(1);
	/* processes that died (or exec()ed) pinned are counted as such only
	 * until a scan finds them: scan now (a kill() per pin older than a
	 * second, a read of its maps at most every KS_CACHE_EPOCH_MAP_SECS) */
	ks_cache_epoch_min_pinned(ks_cache_seg_epoch(ks_cache_segment), (uint64_t) time(NULL), UINT64_MAX, 0);
	ks_cache_store_stats(ks_cache_segment, &s);
	array_init(return_value);
	/* APCu's keys first, so apc.php and framework adapters read them as usual */
	add_assoc_long(return_value, "num_slots", (zend_long) s.buckets);
	add_assoc_long(return_value, "ttl", KEEPSAKE_G(cache.ttl));
	add_assoc_long(return_value, "num_hits", (zend_long) s.st.hits);
	add_assoc_long(return_value, "num_misses", (zend_long) s.st.misses);
	add_assoc_long(return_value, "num_inserts", (zend_long) s.st.inserts);
	add_assoc_long(return_value, "num_entries", (zend_long) s.entries);
	add_assoc_long(return_value, "cleanups", 0);
	add_assoc_long(return_value, "defragmentations", 0);
	add_assoc_long(return_value, "expunges", 0);
	add_assoc_long(return_value, "start_time", (zend_long) ks_cache_segment->start_time);
	add_assoc_long(return_value, "mem_size", (zend_long) s.mem_used);
	add_assoc_string(return_value, "memory_type", "mmap");
	/* keepsake's own */
	add_assoc_long(return_value, "full_wipes", 0);
	add_assoc_long(return_value, "num_deletes", (zend_long) s.st.deletes);
	array_init(&ev);
	add_assoc_long(&ev, "expired", (zend_long) s.st.evict_expired);
	add_assoc_long(&ev, "capacity", (zend_long) s.st.evict_capacity);
	add_assoc_long(&ev, "recovery", (zend_long) s.st.evict_recovery);
	add_assoc_zval(return_value, "evictions", &ev);
	add_assoc_long(return_value, "num_evictions", (zend_long) (s.st.evict_expired + s.st.evict_capacity + s.st.evict_recovery));
	add_assoc_long(return_value, "store_failures", (zend_long) s.st.nospace);
	add_assoc_long(return_value, "lock_waits", (zend_long) s.st.lock_waits);
	add_assoc_long(return_value, "lock_timeouts", (zend_long) s.st.lock_timeouts);
	add_assoc_long(return_value, "read_fallbacks", (zend_long) s.st.read_fallbacks);
	add_assoc_long(return_value, "recoveries", (zend_long) s.st.recoveries);
	add_assoc_long(return_value, "leases", (zend_long) s.leases);
	add_assoc_long(return_value, "shards", (zend_long) ks_cache_segment->nshards);
	add_assoc_long(return_value, "mem_free", (zend_long) s.mem_free);
	add_assoc_long(return_value, "mem_total", (zend_long) s.mem_total);
	ks_cache_info_zero_copy(return_value, &s);
#ifdef KEEPSAKE_DEBUG
	add_assoc_long(return_value, "debug_lock_holder", __atomic_load_n(&ks_cache_segment->debug_holder, __ATOMIC_ACQUIRE));
#endif
	if (!limited) {
		zval list, deleted, slots;
		ks_cache_info_list(&list, &slots, s.buckets);
		add_assoc_zval(return_value, "cache_list", &list);
		array_init(&deleted);
		add_assoc_zval(return_value, "deleted_list", &deleted);
		add_assoc_zval(return_value, "slot_distribution", &slots);
	}
}

PHP_FUNCTION(keepsake_cache_key_info)
{
	zend_string *key;
	ks_cache_meta m;
	ks_cache_status st;
	ks_cache_ctx c;
	ks_cache_key k;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR(key)
	ZEND_PARSE_PARAMETERS_END();

	if (!ks_cache_ready() || ks_cache_key_make(&k, key, "describe") != KS_CACHE_OK) {
		RETURN_NULL();
	}
	ks_cache_flush_reads(1);
	ks_cache_ctx_init(&c, 0);
	st = ks_cache_store_meta(&c, &k, &m);
	if (st != KS_CACHE_OK) {
		if (st != KS_CACHE_NOTFOUND) {
			ks_cache_warn("describe", ZSTR_VAL(key), ZSTR_LEN(key), st);
		}
		RETURN_NULL();
	}
	array_init(return_value);
	add_assoc_long(return_value, "hits", m.hits);
	add_assoc_long(return_value, "access_time", m.atime);
	add_assoc_long(return_value, "mtime", m.ctime);
	add_assoc_long(return_value, "creation_time", m.ctime);
	add_assoc_long(return_value, "deletion_time", 0);
	add_assoc_long(return_value, "ttl", m.expire ? (zend_long) (m.expire - m.ctime) : 0);
	add_assoc_long(return_value, "refs", 0);
	/* keepsake's own: which shard (lock, arena) holds the key */
	add_assoc_long(return_value, "shard", m.shard);
}

static void ks_cache_sma_blocks(zval *lists)
{
	ks_cache_buf buf = {0};
	uint32_t i;
	ks_cache_ctx c;

	array_init(lists);
	ks_cache_ctx_init(&c, 0);
	for (i = 0; i < ks_cache_segment->nshards; i++) {
		zval list;
		size_t j;
		array_init(&list);
		if (ks_cache_store_free_blocks(&c, i, &buf) == KS_CACHE_OK) {
			const uint32_t *pairs = (const uint32_t *) buf.data;
			for (j = 0; j < buf.len / 8; j++) {
				zval b;
				array_init(&b);
				add_assoc_long(&b, "size", pairs[2 * j]);
				add_assoc_long(&b, "offset", pairs[2 * j + 1]);
				add_next_index_zval(&list, &b);
			}
		}
		add_next_index_zval(lists, &list);
	}
	ks_cache_buf_free(&buf);
}

PHP_FUNCTION(keepsake_cache_sma_info)
{
	bool limited = false;
	uint64_t hist[KS_CACHE_ARENA_HIST] = {0};
	ks_cache_stats s;
	ks_cache_ctx c;
	zval h;
	int i;

	ZEND_PARSE_PARAMETERS_START(0, 1)
		Z_PARAM_OPTIONAL
		Z_PARAM_BOOL(limited)
	ZEND_PARSE_PARAMETERS_END();

	if (!ks_cache_ready()) {
		ks_cache_info_disabled("memory info");
		RETURN_FALSE;
	}
	ks_cache_store_stats(ks_cache_segment, &s);
	array_init(return_value);
	/* one "segment" per shard: each shard is its own arena */
	add_assoc_long(return_value, "num_seg", (zend_long) ks_cache_segment->nshards);
	add_assoc_long(return_value, "seg_size", (zend_long) ks_cache_store_shard_arena(ks_cache_segment));
	add_assoc_long(return_value, "avail_mem", (zend_long) s.mem_free);
	add_assoc_long(return_value, "mem_used", (zend_long) s.mem_used);
	/* zero-copy blocks unlinked but still readable by pinned requests */
	add_assoc_long(return_value, "mem_retired", (zend_long) s.retired_bytes);
	ks_cache_ctx_init(&c, 0);
	array_init(&h);
	if (ks_cache_store_histogram(&c, hist) == KS_CACHE_OK) {
		for (i = 0; i < KS_CACHE_ARENA_HIST; i++) {
			char label[32];
			if (i == KS_CACHE_ARENA_HIST - 1) {
				snprintf(label, sizeof(label), ">=%llu", 1ull << (i + 5));
			} else {
				snprintf(label, sizeof(label), "%llu-%llu", 1ull << (i + 5), (1ull << (i + 6)) - 1);
			}
			add_assoc_long(&h, label, (zend_long) hist[i]);
		}
	}
	add_assoc_zval(return_value, "free_histogram", &h);
	if (!limited) {
		zval lists;
		ks_cache_sma_blocks(&lists);
		add_assoc_zval(return_value, "block_lists", &lists);
	}
}
