/*
 * cache_iter.c: Keepsake\CacheIterator, APCUIterator's counterpart.
 *
 * On rewind (or first use) the iterator takes a snapshot of the keys and
 * metadata of every live entry that matches its search (a PCRE pattern or a
 * list of exact keys), one shard at a time, each under that shard's lock
 * with nothing but memcpy inside. Values are fetched lazily, chunk_size
 * entries at a time, when current() needs them; an entry deleted in between
 * is skipped. The totals (getTotalCount/Hits/Size) describe the snapshot.
 *
 * Object state (request memory, owned by the object): `items` is a packed
 * array of arrays in APCu's current() shape, indexed 0 .. count - 1 in
 * snapshot order. `pos` is the cursor and `loaded` the index up to which
 * values have been fetched (pos <= loaded once a chunk is in). Fetching a
 * chunk edits items in place: it adds "value" to each entry and deletes the
 * entries that vanished, leaving holes (indexes are never renumbered, so
 * count stays the snapshot's size and a hole is skipped by the cursor).
 * Every entry keeps its "key", which key() returns and lazy loads need.
 */
#include "php_keepsake.h"
#include "zend_interfaces.h"
#include "zend_exceptions.h"
#include "ext/pcre/php_pcre.h"
#include "ext/spl/spl_exceptions.h"
#include "cache/ks_cache_api.h"
#include "cache/ks_cache_defs.h"
#include "cache/ks_cache_value.h"

/* values fetched per chunk when chunk_size is 0, as in APCu */
#define KS_ITER_DEFAULT_CHUNK 100

zend_class_entry *ks_cache_iter_ce;
static zend_object_handlers ks_iter_handlers;

typedef struct ks_iter {
	zend_long format;
	zend_long chunk_size;
	zend_long list;
	zend_string *regex;      /* or NULL */
	HashTable *keys;         /* exact keys to match, or NULL */
	zval items;              /* IS_UNDEF until the snapshot is taken */
	uint32_t count;          /* entries in the snapshot (holes included) */
	uint32_t pos, loaded;
	uint32_t gen;            /* bumped by each snapshot (see ks_iter_load_range) */
	zend_long total_hits, total_size;
	bool ready;              /* the constructor succeeded */
	zend_object std;
} ks_iter;

static inline ks_iter *ks_iter_from(zend_object *o)
{
	return (ks_iter *) ((char *) o - XtOffsetOf(ks_iter, std));
}

static zend_object *ks_iter_create(zend_class_entry *ce)
{
	ks_iter *it = zend_object_alloc(sizeof(ks_iter), ce);

	zend_object_std_init(&it->std, ce);
	object_properties_init(&it->std, ce);
	it->std.handlers = &ks_iter_handlers;
	ZVAL_UNDEF(&it->items);
	return &it->std;
}

static void ks_iter_free(zend_object *o)
{
	ks_iter *it = ks_iter_from(o);

	if (it->regex) {
		zend_string_release(it->regex);
	}
	if (it->keys) {
		zend_array_destroy(it->keys);
	}
	zval_ptr_dtor(&it->items);
	zend_object_std_dtor(o);
}

static int ks_iter_match(ks_iter *it, pcre2_code *re, pcre2_match_data *md, const char *key, size_t klen)
{
	if (it->keys) {
		return zend_hash_str_exists(it->keys, key, klen);
	}
	if (re) {
		return pcre2_match(re, (PCRE2_SPTR) key, klen, 0, 0, md, php_pcre_mctx()) >= 0;
	}
	return 1;
}

static void ks_iter_add(ks_iter *it, const ks_meta *m, const char *key)
{
	zval e;

	array_init(&e);
	if (it->format & KS_CACHE_ITER_TYPE) {
		add_assoc_string(&e, "type", "user");
	}
	/* the key is always kept: lazy value loads need it */
	add_assoc_stringl(&e, "key", key, m->klen);
	if (it->format & KS_CACHE_ITER_NUM_HITS) {
		add_assoc_long(&e, "num_hits", m->hits);
	}
	if (it->format & KS_CACHE_ITER_MTIME) {
		add_assoc_long(&e, "mtime", m->ctime);
	}
	if (it->format & KS_CACHE_ITER_CTIME) {
		add_assoc_long(&e, "creation_time", m->ctime);
	}
	if (it->format & KS_CACHE_ITER_DTIME) {
		add_assoc_long(&e, "deletion_time", 0);
	}
	if (it->format & KS_CACHE_ITER_ATIME) {
		add_assoc_long(&e, "access_time", m->atime);
	}
	if (it->format & KS_CACHE_ITER_REFCOUNT) {
		add_assoc_long(&e, "ref_count", 0);
	}
	if (it->format & KS_CACHE_ITER_MEM_SIZE) {
		add_assoc_long(&e, "mem_size", m->mem_size);
	}
	if (it->format & KS_CACHE_ITER_TTL) {
		add_assoc_long(&e, "ttl", m->expire ? (zend_long) (m->expire - m->ctime) : 0);
	}
	add_next_index_zval(&it->items, &e);
	it->total_hits += m->hits;
	it->total_size += m->mem_size;
}

/* Takes the snapshot of matching keys (see the file comment). */
static void ks_iter_snapshot(ks_iter *it)
{
	pcre2_code *re = NULL;
	pcre2_match_data *md = NULL;
	ks_buf buf = {0};
	uint32_t i;
	ks_ctx c;

	it->gen++;
	zval_ptr_dtor(&it->items);
	array_init(&it->items);
	it->pos = it->loaded = it->count = 0;
	it->total_hits = it->total_size = 0;
	if (!ks_cache_segment || it->list != KS_CACHE_LIST_ACTIVE) {
		return;  /* nothing is ever kept deleted-but-referenced: the deleted list is empty */
	}
	if (it->regex) {
		uint32_t ncap;
		re = pcre_get_compiled_regex(it->regex, &ncap);
		if (!re) {
			return;
		}
		md = php_pcre_create_match_data(ncap, re);
		if (!md) {
			return;
		}
	}
	ks_cache_flush_reads(1);
	ks_cache_ctx(&c, 0);
	for (i = 0; i < ks_cache_segment->nshards; i++) {
		size_t off = 0;
		buf.len = 0;
		if (ks_store_snapshot(&c, i, &buf, 0, NULL) != KS_OK) {
			php_error_docref(NULL, E_WARNING, "shard %u was skipped: its lock was not obtained or memory ran out", i);
			continue;
		}
		while (off < buf.len) {
			const ks_meta *m = (const ks_meta *) (buf.data + off);
			const char *key = buf.data + off + sizeof(ks_meta);
			if (ks_iter_match(it, re, md, key, m->klen)) {
				ks_iter_add(it, m, key);
			}
			off += ks_meta_record_size(m);
		}
	}
	ks_buf_free(&buf);
	if (md) {
		php_pcre_free_match_data(md);
	}
	it->count = zend_hash_num_elements(Z_ARRVAL(it->items));
}

static void ks_iter_ensure(ks_iter *it)
{
	if (Z_TYPE(it->items) == IS_UNDEF) {
		ks_iter_snapshot(it);
	}
}

/* The number of values to fetch from pos: chunk_size (0: the default),
 * clamped to the entries left, so no size wraps whatever the caller gave. */
static uint32_t ks_iter_chunk(const ks_iter *it)
{
	zend_long want = it->chunk_size > 0 ? it->chunk_size : KS_ITER_DEFAULT_CHUNK;
	uint32_t left = it->count - it->pos;

	return (zend_ulong) want < left ? (uint32_t) want : left;
}

/* Fetches the values of entries [loaded, end) in place: each entry array
 * gets its "value", and an entry that vanished since the snapshot is
 * removed from items, leaving a hole that the cursor skips. Nothing else
 * in items is touched, so a chunk costs its own size, not the snapshot's.
 *
 * Decoding a value can run PHP code (__unserialize, __wakeup) that uses
 * this iterator again: it may load entries itself (harmless: each entry is
 * looked up again after decoding) or rewind it, which frees items. `gen`
 * tells the second case, and the load then stops without touching it. */
static void ks_iter_load_range(ks_iter *it, uint32_t end)
{
	uint32_t gen = it->gen;
	uint32_t i;
	ks_ctx c;

	ks_cache_ctx(&c, 0);
	for (i = it->loaded; i < end; i++) {
		HashTable *ht = Z_ARRVAL(it->items);
		zval *e = zend_hash_index_find(ht, i);
		zend_string *key;
		ks_key k;
		zval v;
		bool ok;

		if (!e) {
			continue;
		}
		key = zend_string_copy(Z_STR_P(zend_hash_str_find(Z_ARRVAL_P(e), "key", 3)));
		ks_key_init_hashed(&k, ZSTR_VAL(key), ZSTR_LEN(key), (uint64_t) zend_string_hash_val(key));
		ok = ks_store_get(&c, &k, &KEEPSAKE_G(cache.scratch), NULL) == KS_OK
			&& ks_value_decode(KEEPSAKE_G(cache.scratch).data, KEEPSAKE_G(cache.scratch).len, &v) == SUCCESS;
		zend_string_release(key);
		if (it->gen != gen) {
			if (ok) {
				zval_ptr_dtor(&v);
			}
			return;
		}
		e = zend_hash_index_find(ht, i);
		if (!ok) {
			if (e) {
				zend_hash_index_del(ht, i);
			}
			continue;
		}
		if (!e || zend_hash_str_exists(Z_ARRVAL_P(e), "value", 5)) {
			zval_ptr_dtor(&v);  /* a nested load got here first */
			continue;
		}
		SEPARATE_ARRAY(e);
		add_assoc_zval(e, "value", &v);
	}
	if (it->loaded < end) {
		it->loaded = end;
	}
}

/* Moves the cursor to the next entry still present at or after pos,
 * fetching values chunk by chunk as it goes (when VALUE is in the format).
 * Returns that entry, or NULL at the end. A loop, not recursion: a run of
 * vanished entries of any length costs no stack. */
static zval *ks_iter_item(ks_iter *it)
{
	ks_iter_ensure(it);
	while (it->pos < it->count) {
		zval *e;
		if ((it->format & KS_CACHE_ITER_VALUE) && it->pos >= it->loaded) {
			it->loaded = it->pos;
			ks_iter_load_range(it, it->pos + ks_iter_chunk(it));
		}
		/* items again: a value's __wakeup may have rewound the iterator */
		e = zend_hash_index_find(Z_ARRVAL(it->items), it->pos);
		if (e) {
			return e;
		}
		it->pos++;
	}
	return NULL;
}

#define KS_ITER_THIS() ks_iter_from(Z_OBJ_P(ZEND_THIS))

/* An object whose constructor did not run (a subclass that skipped
 * parent::__construct(), or newInstanceWithoutConstructor()) throws, naming
 * the object's own class: APCUIterator when the user wrote that. */
static int ks_iter_check(ks_iter *it)
{
	if (!it->ready) {
		zend_throw_error(NULL, "%s was not constructed: its constructor must run before it is used", ZSTR_VAL(it->std.ce->name));
		return FAILURE;
	}
	return SUCCESS;
}

PHP_METHOD(Keepsake_CacheIterator, __construct)
{
	ks_iter *it = KS_ITER_THIS();
	zval *search = NULL;
	zend_long format = KS_CACHE_ITER_ALL, chunk = 0, list = KS_CACHE_LIST_ACTIVE;

	ZEND_PARSE_PARAMETERS_START(0, 4)
		Z_PARAM_OPTIONAL
		Z_PARAM_ZVAL(search)
		Z_PARAM_LONG(format)
		Z_PARAM_LONG(chunk)
		Z_PARAM_LONG(list)
	ZEND_PARSE_PARAMETERS_END();

	if (chunk < 0) {
		zend_argument_value_error(3, "must be 0 (the default chunk) or greater");
		RETURN_THROWS();
	}
	if (list != KS_CACHE_LIST_ACTIVE && list != KS_CACHE_LIST_DELETED) {
		zend_argument_value_error(4, "must be KEEPSAKE_CACHE_LIST_ACTIVE or KEEPSAKE_CACHE_LIST_DELETED");
		RETURN_THROWS();
	}
	if (format & ~(zend_long) KS_CACHE_ITER_ALL) {
		zend_argument_value_error(2, "must be a combination of KEEPSAKE_CACHE_ITER_* flags");
		RETURN_THROWS();
	}
	if (search && Z_TYPE_P(search) == IS_STRING && Z_STRLEN_P(search) == 0) {
		/* APCu matches every entry with an empty pattern */
	} else if (search && Z_TYPE_P(search) == IS_STRING) {
		uint32_t ncap;
		if (!pcre_get_compiled_regex(Z_STR_P(search), &ncap)) {
			zend_argument_value_error(1, "must be a valid regular expression");
			RETURN_THROWS();
		}
		it->regex = zend_string_copy(Z_STR_P(search));
	} else if (search && Z_TYPE_P(search) == IS_ARRAY) {
		zval *k;
		it->keys = zend_new_array(zend_hash_num_elements(Z_ARRVAL_P(search)));
		ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(search), k) {
			zend_string *s = zval_get_string(k);
			zend_hash_add_empty_element(it->keys, s);
			zend_string_release(s);
		} ZEND_HASH_FOREACH_END();
	} else if (search && Z_TYPE_P(search) != IS_NULL) {
		zend_argument_type_error(1, "must be of type array|string|null, %s given", zend_zval_type_name(search));
		RETURN_THROWS();
	}
	it->format = format;
	it->chunk_size = chunk;
	it->list = list;
	it->ready = true;
}

PHP_METHOD(Keepsake_CacheIterator, rewind)
{
	ks_iter *it = KS_ITER_THIS();

	ZEND_PARSE_PARAMETERS_NONE();
	if (ks_iter_check(it) == FAILURE) {
		RETURN_THROWS();
	}
	ks_iter_snapshot(it);
}

PHP_METHOD(Keepsake_CacheIterator, next)
{
	ks_iter *it = KS_ITER_THIS();

	ZEND_PARSE_PARAMETERS_NONE();
	if (ks_iter_check(it) == FAILURE) {
		RETURN_THROWS();
	}
	ks_iter_ensure(it);
	if (it->pos < it->count) {
		it->pos++;
	}
}

PHP_METHOD(Keepsake_CacheIterator, valid)
{
	ks_iter *it = KS_ITER_THIS();

	ZEND_PARSE_PARAMETERS_NONE();
	if (ks_iter_check(it) == FAILURE) {
		RETURN_THROWS();
	}
	RETURN_BOOL(ks_iter_item(it) != NULL);
}

PHP_METHOD(Keepsake_CacheIterator, key)
{
	ks_iter *it = KS_ITER_THIS();
	zval *e;

	ZEND_PARSE_PARAMETERS_NONE();
	if (ks_iter_check(it) == FAILURE) {
		RETURN_THROWS();
	}
	e = ks_iter_item(it);
	if (!e) {
		zend_throw_error(NULL, "Cannot call key() on an invalid iterator");
		RETURN_THROWS();
	}
	/* the entry's key whatever the format, as APCu's key() */
	RETURN_COPY(zend_hash_str_find(Z_ARRVAL_P(e), "key", 3));
}

PHP_METHOD(Keepsake_CacheIterator, current)
{
	ks_iter *it = KS_ITER_THIS();
	zval *e;

	ZEND_PARSE_PARAMETERS_NONE();
	if (ks_iter_check(it) == FAILURE) {
		RETURN_THROWS();
	}
	e = ks_iter_item(it);
	if (!e) {
		zend_throw_error(NULL, "Cannot call current() on an invalid iterator");
		RETURN_THROWS();
	}
	if (it->format & KS_CACHE_ITER_KEY) {
		RETURN_COPY(e);
	}
	/* the key rides along internally; hide it when not asked for */
	RETVAL_ARR(zend_array_dup(Z_ARRVAL_P(e)));
	zend_hash_str_del(Z_ARRVAL_P(return_value), "key", 3);
}

PHP_METHOD(Keepsake_CacheIterator, getTotalHits)
{
	ks_iter *it = KS_ITER_THIS();

	ZEND_PARSE_PARAMETERS_NONE();
	if (ks_iter_check(it) == FAILURE) {
		RETURN_THROWS();
	}
	ks_iter_ensure(it);
	RETURN_LONG(it->total_hits);
}

PHP_METHOD(Keepsake_CacheIterator, getTotalSize)
{
	ks_iter *it = KS_ITER_THIS();

	ZEND_PARSE_PARAMETERS_NONE();
	if (ks_iter_check(it) == FAILURE) {
		RETURN_THROWS();
	}
	ks_iter_ensure(it);
	RETURN_LONG(it->total_size);
}

PHP_METHOD(Keepsake_CacheIterator, getTotalCount)
{
	ks_iter *it = KS_ITER_THIS();

	ZEND_PARSE_PARAMETERS_NONE();
	if (ks_iter_check(it) == FAILURE) {
		RETURN_THROWS();
	}
	ks_iter_ensure(it);
	RETURN_LONG(zend_hash_num_elements(Z_ARRVAL(it->items)));
}

zend_result ks_cache_iter_delete_all(zend_object *obj)
{
	ks_iter *it = ks_iter_from(obj);
	zval *e;
	ks_ctx c;

	if (ks_iter_check(it) == FAILURE) {
		return FAILURE;
	}
	ks_iter_ensure(it);
	ks_cache_ctx(&c, 0);
	ZEND_HASH_FOREACH_VAL(Z_ARRVAL(it->items), e) {
		zval *key = zend_hash_str_find(Z_ARRVAL_P(e), "key", 3);
		ks_key k;
		ks_status st;
		ks_key_init_hashed(&k, Z_STRVAL_P(key), Z_STRLEN_P(key), (uint64_t) zend_string_hash_val(Z_STR_P(key)));
		st = ks_store_delete(&c, &k);
		if (st != KS_OK && st != KS_NOTFOUND) {
			ks_cache_warn("delete", Z_STRVAL_P(key), Z_STRLEN_P(key), st);
		}
	} ZEND_HASH_FOREACH_END();
	return SUCCESS;
}

void ks_cache_iter_register(zend_class_entry *ce)
{
	ks_cache_iter_ce = ce;
	ks_cache_iter_ce->create_object = ks_iter_create;
	memcpy(&ks_iter_handlers, zend_get_std_object_handlers(), sizeof(ks_iter_handlers));
	ks_iter_handlers.offset = XtOffsetOf(ks_iter, std);
	ks_iter_handlers.free_obj = ks_iter_free;
	ks_iter_handlers.clone_obj = NULL;
}
