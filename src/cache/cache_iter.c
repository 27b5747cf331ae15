/*
 * cache_iter.c: Keepsake\CacheIterator, APCUIterator's counterpart.
 *
 * On rewind (or first use) the iterator takes a snapshot of the keys and
 * metadata of every live entry that matches its search (a PCRE pattern or a
 * list of exact keys), one shard at a time, each under that shard's lock
 * with nothing but memcpy inside. The totals (getTotalCount/Hits/Size)
 * describe the snapshot and never change until the next rewind.
 *
 * Object state (request memory, owned by the object):
 *
 *  - the snapshot: `recs`, one ks_cache_iter_rec per matching entry packed back
 *    to back (24 bytes, then the key, 8-byte aligned), `count` of them. It
 *    grows with the number and length of the matching keys (about 40 bytes
 *    per entry of a 10-byte key), never with their values.
 *  - the window: the entries [win_start, win_end) that the cursor `pos` is
 *    in, at most one chunk. `items` holds them as arrays in APCu's
 *    current() shape, indexed by their snapshot index; `slots` holds one
 *    load state per entry. When VALUE is in the format the window's values
 *    are fetched together, when the cursor first needs one of them; an
 *    entry that vanished in between is removed from items (a hole that the
 *    cursor skips). When the cursor leaves the window, the window and its
 *    values are freed, so memory is bounded by one chunk's values.
 *    Every entry keeps its "key", which key() returns and value loads need.
 *
 * Re-entry: decoding a value runs PHP code (__unserialize, __wakeup,
 * destructors) that may use this iterator again. Each entry is claimed
 * (KS_CACHE_SLOT_BUSY) before it is decoded, so a nested call never decodes it
 * again; `gen` is bumped whenever the window is replaced or freed, and a
 * load that sees it change drops what it decoded and lets the caller look
 * again. Freeing a window first detaches it from the object, so PHP code
 * run by its destructors finds a consistent "no window" state. A decode
 * that throws keeps its exception in the entry's slot, and the exception
 * is thrown when the cursor reaches that entry; the other entries of the
 * chunk are decoded normally.
 */
#include "php_keepsake.h"
#include "zend_interfaces.h"
#include "zend_exceptions.h"
#include "ext/pcre/php_pcre.h"
#include "ext/spl/spl_exceptions.h"
#include "cache/ks_cache_iter.h"
#include "cache/ks_cache_ctx.h"
#include "cache/ks_cache_defs.h"
#include "cache/ks_cache_value.h"

/* values fetched per chunk when chunk_size is 0, as in APCu */
#define KS_CACHE_ITER_DEFAULT_CHUNK 100

zend_class_entry *ks_cache_iter_ce;
static zend_object_handlers ks_cache_iter_handlers;

/* The load state of one entry of the window. */
enum {
	KS_CACHE_SLOT_PENDING = 0,  /* its value is still to be fetched */
	KS_CACHE_SLOT_BUSY,         /* being decoded (a nested call leaves it alone) */
	KS_CACHE_SLOT_DONE          /* has its value, or vanished (a hole), or no value wanted */
};

typedef struct ks_cache_iter_slot {
	zend_object *exc;        /* what decoding its value threw, until the cursor gets there */
	uint8_t state;
} ks_cache_iter_slot;

/* One entry of the snapshot, followed by klen key bytes. */
typedef struct ks_cache_iter_rec {
	uint32_t klen;
	uint32_t ctime, expire, atime, hits;
	uint32_t mem_size;
} ks_cache_iter_rec;

static inline size_t ks_cache_iter_rec_size(const ks_cache_iter_rec *r)
{
	return (sizeof(ks_cache_iter_rec) + r->klen + 7) & ~(size_t) 7;
}

typedef struct ks_cache_iter {
	zend_long format;
	zend_long chunk_size;
	zend_long list;
	zend_string *regex;      /* or NULL */
	HashTable *keys;         /* exact keys to match, or NULL */
	/* the snapshot */
	char *recs;              /* emalloc; NULL until the snapshot is taken */
	size_t recs_len, recs_cap;
	uint32_t count;          /* records in recs; never changes until the next snapshot */
	zend_long total_hits, total_size;
	uint32_t pos;            /* the cursor, 0 .. count */
	/* the window (IS_UNDEF items: none) */
	zval items;              /* entries win_start .. win_end - 1, minus holes */
	ks_cache_iter_slot *slots;     /* win_end - win_start of them */
	uint32_t win_start, win_end;
	uint32_t win_scan;       /* every slot before it is claimed: loads go on from here */
	size_t win_next;         /* offset in recs of record win_end */
	uint32_t gen;            /* bumped whenever the window is freed */
	bool ready;              /* the constructor succeeded */
	zend_object std;
} ks_cache_iter;

static inline ks_cache_iter *ks_cache_iter_from(zend_object *o)
{
	return (ks_cache_iter *) ((char *) o - XtOffsetOf(ks_cache_iter, std));
}

static zend_object *ks_cache_iter_create(zend_class_entry *ce)
{
	ks_cache_iter *it = zend_object_alloc(sizeof(ks_cache_iter), ce);

	zend_object_std_init(&it->std, ce);
	object_properties_init(&it->std, ce);
	it->std.handlers = &ks_cache_iter_handlers;
	ZVAL_UNDEF(&it->items);
	return &it->std;
}

/* Detaches the window from the object, then frees it: the values'
 * destructors may run PHP code that uses the iterator, and they find no
 * window rather than a half-freed one. */
static void ks_cache_iter_window_free(ks_cache_iter *it)
{
	ks_cache_iter_slot *slots = it->slots;
	uint32_t n = it->win_end - it->win_start, i;
	zval items;

	if (Z_TYPE(it->items) == IS_UNDEF) {
		return;
	}
	ZVAL_COPY_VALUE(&items, &it->items);
	ZVAL_UNDEF(&it->items);
	it->slots = NULL;
	it->gen++;
	for (i = 0; i < n; i++) {
		if (slots[i].exc) {
			OBJ_RELEASE(slots[i].exc);
		}
	}
	efree(slots);
	zval_ptr_dtor(&items);
}

/* Frees the window and the snapshot; PHP code run by the window's
 * destructors may build another window, so loop until none is left. */
static void ks_cache_iter_reset(ks_cache_iter *it)
{
	while (Z_TYPE(it->items) != IS_UNDEF) {
		ks_cache_iter_window_free(it);
	}
	if (it->recs) {
		efree(it->recs);
		it->recs = NULL;
	}
	it->recs_len = it->recs_cap = 0;
	it->count = it->pos = it->win_start = it->win_end = it->win_scan = 0;
	it->win_next = 0;
	it->total_hits = it->total_size = 0;
}

static void ks_cache_iter_free(zend_object *o)
{
	ks_cache_iter *it = ks_cache_iter_from(o);

	ks_cache_iter_reset(it);
	if (it->regex) {
		zend_string_release(it->regex);
	}
	if (it->keys) {
		zend_array_destroy(it->keys);
	}
	zend_object_std_dtor(o);
}

static int ks_cache_iter_match(ks_cache_iter *it, pcre2_code *re, pcre2_match_data *md, const char *key, size_t klen)
{
	if (it->keys) {
		return zend_hash_str_exists(it->keys, key, klen);
	}
	if (re) {
		return pcre2_match(re, (PCRE2_SPTR) key, klen, 0, 0, md, php_pcre_mctx()) >= 0;
	}
	return 1;
}

static inline const ks_cache_iter_rec *ks_cache_iter_rec_at(const ks_cache_iter *it, size_t off)
{
	return (const ks_cache_iter_rec *) (it->recs + off);
}

static inline const char *ks_cache_iter_rec_key(const ks_cache_iter_rec *r)
{
	return (const char *) r + sizeof(ks_cache_iter_rec);
}

/* Appends the record of one store record (meta and key) to the snapshot. */
static void ks_cache_iter_keep(ks_cache_iter *it, const ks_cache_meta *m, const char *key)
{
	ks_cache_iter_rec r = { m->klen, m->ctime, m->expire, m->atime, m->hits, m->mem_size };
	size_t n = ks_cache_iter_rec_size(&r);

	if (it->recs_len + n > it->recs_cap) {
		size_t cap = it->recs_cap < 4096 ? 4096 : it->recs_cap;
		while (cap < it->recs_len + n) {
			cap += cap / 2;
		}
		it->recs = erealloc(it->recs, cap);
		it->recs_cap = cap;
	}
	memcpy(it->recs + it->recs_len, &r, sizeof(r));
	memcpy(it->recs + it->recs_len + sizeof(r), key, m->klen);
	it->recs_len += n;
	it->count++;
	it->total_hits += m->hits;
	it->total_size += m->mem_size;
}

/* Takes the snapshot of matching keys (see the file comment). */
static void ks_cache_iter_snapshot(ks_cache_iter *it)
{
	pcre2_code *re = NULL;
	pcre2_match_data *md = NULL;
	ks_cache_buf buf = {0};
	uint32_t skipped[KS_CACHE_SHARDS_MAX], nskipped = 0, i;
	ks_cache_ctx c;

	ks_cache_iter_reset(it);
	it->recs = emalloc(1);  /* "taken", even when empty */
	it->recs_cap = 1;
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
	ks_cache_ctx_init(&c, 0);
	for (i = 0; i < ks_cache_segment->nshards; i++) {
		size_t off = 0;
		buf.len = 0;
		if (ks_cache_store_snapshot(&c, i, &buf, 0, NULL) != KS_CACHE_OK) {
			skipped[nskipped++] = i;  /* warned below: a user error handler may use this iterator */
			continue;
		}
		while (off < buf.len) {
			const ks_cache_meta *m = (const ks_cache_meta *) (buf.data + off);
			const char *key = buf.data + off + sizeof(ks_cache_meta);
			if (it->count < UINT32_MAX && ks_cache_iter_match(it, re, md, key, m->klen)) {
				ks_cache_iter_keep(it, m, key);
			}
			off += ks_cache_meta_record_size(m);
		}
	}
	ks_cache_buf_free(&buf);
	if (md) {
		php_pcre_free_match_data(md);
	}
	/* The snapshot is complete: a user error handler may rewind or
	 * reconstruct this iterator now (it takes a snapshot of its own). */
	for (i = 0; i < nskipped; i++) {
		php_error_docref(NULL, E_WARNING, "shard %u was skipped: its lock was not obtained or memory ran out", skipped[i]);
	}
}

static void ks_cache_iter_ensure(ks_cache_iter *it)
{
	if (!it->recs) {
		ks_cache_iter_snapshot(it);
	}
}

/* The entry array of one record, in APCu's current() shape. */
static void ks_cache_iter_entry(const ks_cache_iter *it, const ks_cache_iter_rec *m, zval *e)
{
	array_init(e);
	if (it->format & KS_CACHE_ITER_TYPE) {
		add_assoc_string(e, "type", "user");
	}
	/* the key is always kept: value loads and key() need it */
	add_assoc_stringl(e, "key", ks_cache_iter_rec_key(m), m->klen);
	if (it->format & KS_CACHE_ITER_VALUE) {
		/* in APCu's place, after the key; the value itself is loaded
		 * later (ks_cache_iter_settle replaces this null in place) */
		add_assoc_null(e, "value");
	}
	if (it->format & KS_CACHE_ITER_NUM_HITS) {
		add_assoc_long(e, "num_hits", m->hits);
	}
	if (it->format & KS_CACHE_ITER_MTIME) {
		add_assoc_long(e, "mtime", m->ctime);
	}
	if (it->format & KS_CACHE_ITER_CTIME) {
		add_assoc_long(e, "creation_time", m->ctime);
	}
	if (it->format & KS_CACHE_ITER_DTIME) {
		add_assoc_long(e, "deletion_time", 0);
	}
	if (it->format & KS_CACHE_ITER_ATIME) {
		add_assoc_long(e, "access_time", m->atime);
	}
	if (it->format & KS_CACHE_ITER_REFCOUNT) {
		add_assoc_long(e, "ref_count", 0);
	}
	if (it->format & KS_CACHE_ITER_MEM_SIZE) {
		add_assoc_long(e, "mem_size", m->mem_size);
	}
	if (it->format & KS_CACHE_ITER_TTL) {
		add_assoc_long(e, "ttl", m->expire ? (zend_long) (m->expire - m->ctime) : 0);
	}
}

/* The number of entries from pos in one chunk: chunk_size (0: the
 * default), clamped to the entries left, so no size wraps whatever the
 * caller gave. */
static uint32_t ks_cache_iter_chunk(const ks_cache_iter *it)
{
	zend_long want = it->chunk_size > 0 ? it->chunk_size : KS_CACHE_ITER_DEFAULT_CHUNK;
	uint32_t left = it->count - it->pos;

	return (zend_ulong) want < left ? (uint32_t) want : left;
}

/* Builds the window of the chunk that starts at pos (pos < count, no
 * window). Runs no PHP code. Records are only ever walked forward: pos
 * never goes back but through a new snapshot, which starts again at 0. */
static void ks_cache_iter_window_build(ks_cache_iter *it)
{
	uint32_t n = ks_cache_iter_chunk(it), i;
	uint8_t state = (it->format & KS_CACHE_ITER_VALUE) ? KS_CACHE_SLOT_PENDING : KS_CACHE_SLOT_DONE;
	size_t off = it->win_next;

	if (it->pos < it->win_end) {
		off = 0;  /* the first window of this snapshot */
		it->win_end = 0;
	}
	for (i = it->win_end; i < it->pos; i++) {
		off += ks_cache_iter_rec_size(ks_cache_iter_rec_at(it, off));
	}
	array_init_size(&it->items, n);
	it->slots = ecalloc(n, sizeof(ks_cache_iter_slot));
	for (i = 0; i < n; i++) {
		const ks_cache_iter_rec *m = ks_cache_iter_rec_at(it, off);
		zval e;
		ks_cache_iter_entry(it, m, &e);
		zend_hash_index_add_new(Z_ARRVAL(it->items), it->pos + i, &e);
		it->slots[i].state = state;
		off += ks_cache_iter_rec_size(m);
	}
	it->win_start = it->win_scan = it->pos;
	it->win_end = it->pos + n;
	it->win_next = off;
}

/* Fetches and decodes the value of window entry i (claimed by the caller)
 * into v. Returns 1 with v set, 0 when the entry is gone or unreadable
 * (warned here unless it merely vanished or the decode threw). */
static int ks_cache_iter_fetch(zend_string *key, zval *v)
{
	zend_result rc;
	ks_cache_status st;
	ks_cache_ctx c;
	ks_cache_key k;

	ks_cache_ctx_init(&c, 0);
	ks_cache_key_init(&k, ZSTR_VAL(key), ZSTR_LEN(key), (uint64_t) zend_string_hash_val(key));
	st = ks_cache_store_get(&c, &k, &KEEPSAKE_G(cache.scratch), NULL);
	if (st != KS_CACHE_OK) {
		if (st != KS_CACHE_NOTFOUND) {
			ks_cache_warn("fetch", ZSTR_VAL(key), ZSTR_LEN(key), st);
		}
		return 0;
	}
	rc = ks_cache_value_decode(KEEPSAKE_G(cache.scratch).data, KEEPSAKE_G(cache.scratch).len, v);
	ks_cache_scratch_trim();
	if (rc != SUCCESS) {
		if (!EG(exception)) {
			ks_cache_warn_cause("fetch", ZSTR_VAL(key), ZSTR_LEN(key), "the stored value could not be decoded");
		}
		return 0;
	}
	return 1;
}

/* Stores the outcome of window entry i's load: its value, the exception its
 * decode threw (kept for when the cursor gets there), or a hole. */
static void ks_cache_iter_settle(ks_cache_iter *it, uint32_t i, int ok, zval *v)
{
	ks_cache_iter_slot *s = &it->slots[i - it->win_start];
	zval *e = zend_hash_index_find(Z_ARRVAL(it->items), i);

	s->state = KS_CACHE_SLOT_DONE;
	if (EG(exception)) {
		if (ok) {
			zval_ptr_dtor(v);
		}
		s->exc = EG(exception);
		EG(exception) = NULL;
		return;
	}
	if (!ok) {
		zend_hash_index_del(Z_ARRVAL(it->items), i);
		return;
	}
	SEPARATE_ARRAY(e);
	add_assoc_zval(e, "value", v);  /* updates the placeholder: the order stays APCu's */
}

/* Fetches the values of the window's pending entries (see the file comment
 * on re-entry). Returns FAILURE when an exit() unwinds through a decode
 * (nothing is kept then); the caller checks gen to see whether the window
 * it asked about is still there. */
static zend_result ks_cache_iter_load_window(ks_cache_iter *it)
{
	uint32_t gen = it->gen;

	/* win_scan moves past a slot before it is decoded, so a nested load
	 * goes on after it, and each call costs only the slots it claims */
	while (it->gen == gen && it->win_scan < it->win_end) {
		uint32_t i = it->win_scan++;
		zval *e;
		zend_string *key;
		zval v;
		int ok;

		if (it->slots[i - it->win_start].state != KS_CACHE_SLOT_PENDING) {
			continue;
		}
		it->slots[i - it->win_start].state = KS_CACHE_SLOT_BUSY;
		e = zend_hash_index_find(Z_ARRVAL(it->items), i);
		key = zend_string_copy(Z_STR_P(zend_hash_str_find(Z_ARRVAL_P(e), "key", 3)));
		ok = ks_cache_iter_fetch(key, &v);
		zend_string_release(key);
		if (EG(exception) && (zend_is_unwind_exit(EG(exception)) || zend_is_graceful_exit(EG(exception)))) {
			if (ok) {
				zval_ptr_dtor(&v);
			}
			return FAILURE;
		}
		if (it->gen != gen) {
			if (ok) {
				zval_ptr_dtor(&v);  /* a nested call replaced the window */
			}
			break;
		}
		ks_cache_iter_settle(it, i, ok, &v);
	}
	return SUCCESS;
}

/* Moves the cursor to the next entry still present at or after pos,
 * building windows and fetching their values as it goes. Returns that
 * entry, or NULL at the end or with an exception thrown (a decode's, kept
 * for this entry). A loop, not recursion: a run of vanished entries of any
 * length costs no stack, and after PHP code ran (a nested call may have
 * moved, rewound or rebuilt anything) it simply looks again. */
static zval *ks_cache_iter_item(ks_cache_iter *it)
{
	for (;;) {
		ks_cache_iter_slot *s;
		zval *e;
		if (EG(exception)) {
			return NULL;  /* thrown by a destructor the last round ran: no PHP code may run now */
		}
		ks_cache_iter_ensure(it);
		if (it->pos >= it->count) {
			return NULL;
		}
		if (Z_TYPE(it->items) != IS_UNDEF && (it->pos < it->win_start || it->pos >= it->win_end)) {
			ks_cache_iter_window_free(it);  /* the cursor left it: its values go */
			continue;
		}
		if (Z_TYPE(it->items) == IS_UNDEF) {
			ks_cache_iter_window_build(it);
		}
		if (it->format & KS_CACHE_ITER_VALUE) {
			uint32_t gen = it->gen;
			if (ks_cache_iter_load_window(it) == FAILURE) {
				return NULL;
			}
			if (it->gen != gen || it->pos < it->win_start || it->pos >= it->win_end) {
				continue;  /* a nested call replaced the window or moved the cursor */
			}
		}
		s = &it->slots[it->pos - it->win_start];
		if (s->exc) {
			zend_object *exc = s->exc;
			s->exc = NULL;
			zend_hash_index_del(Z_ARRVAL(it->items), it->pos);
			zend_throw_exception_internal(exc);
			return NULL;
		}
		e = zend_hash_index_find(Z_ARRVAL(it->items), it->pos);
		if (e) {
			return e;
		}
		it->pos++;
	}
}

#define KS_CACHE_ITER_THIS() ks_cache_iter_from(Z_OBJ_P(ZEND_THIS))

/* An object whose constructor did not run (a subclass that skipped
 * parent::__construct(), or newInstanceWithoutConstructor()) throws, naming
 * the object's own class: APCUIterator when the user wrote that. */
static int ks_cache_iter_check(ks_cache_iter *it)
{
	if (!it->ready) {
		zend_throw_error(NULL, "%s was not constructed: its constructor must run before it is used", ZSTR_VAL(it->std.ce->name));
		return FAILURE;
	}
	return SUCCESS;
}

PHP_METHOD(Keepsake_CacheIterator, __construct)
{
	ks_cache_iter *it = KS_CACHE_ITER_THIS();
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
	/* a second call starts over: no old search, snapshot or window survives */
	ks_cache_iter_reset(it);
	if (it->regex) {
		zend_string_release(it->regex);
		it->regex = NULL;
	}
	if (it->keys) {
		zend_array_destroy(it->keys);
		it->keys = NULL;
	}
	it->ready = false;
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
	ks_cache_iter *it = KS_CACHE_ITER_THIS();

	ZEND_PARSE_PARAMETERS_NONE();
	if (ks_cache_iter_check(it) == FAILURE) {
		RETURN_THROWS();
	}
	ks_cache_iter_snapshot(it);
}

PHP_METHOD(Keepsake_CacheIterator, next)
{
	ks_cache_iter *it = KS_CACHE_ITER_THIS();

	ZEND_PARSE_PARAMETERS_NONE();
	if (ks_cache_iter_check(it) == FAILURE) {
		RETURN_THROWS();
	}
	ks_cache_iter_ensure(it);
	if (it->pos < it->count) {
		it->pos++;
	}
}

PHP_METHOD(Keepsake_CacheIterator, valid)
{
	ks_cache_iter *it = KS_CACHE_ITER_THIS();

	ZEND_PARSE_PARAMETERS_NONE();
	if (ks_cache_iter_check(it) == FAILURE) {
		RETURN_THROWS();
	}
	if (!ks_cache_iter_item(it)) {
		if (EG(exception)) {
			RETURN_THROWS();  /* the value of the entry here could not be decoded */
		}
		RETURN_FALSE;
	}
	RETURN_TRUE;
}

PHP_METHOD(Keepsake_CacheIterator, key)
{
	ks_cache_iter *it = KS_CACHE_ITER_THIS();
	zval *e;

	ZEND_PARSE_PARAMETERS_NONE();
	if (ks_cache_iter_check(it) == FAILURE) {
		RETURN_THROWS();
	}
	e = ks_cache_iter_item(it);
	if (!e) {
		if (EG(exception)) {
			RETURN_THROWS();
		}
		zend_throw_error(NULL, "Cannot call key() on an invalid iterator");
		RETURN_THROWS();
	}
	/* the entry's key whatever the format, as APCu's key() */
	RETURN_COPY(zend_hash_str_find(Z_ARRVAL_P(e), "key", 3));
}

PHP_METHOD(Keepsake_CacheIterator, current)
{
	ks_cache_iter *it = KS_CACHE_ITER_THIS();
	zval *e;

	ZEND_PARSE_PARAMETERS_NONE();
	if (ks_cache_iter_check(it) == FAILURE) {
		RETURN_THROWS();
	}
	e = ks_cache_iter_item(it);
	if (!e) {
		if (EG(exception)) {
			RETURN_THROWS();
		}
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
	ks_cache_iter *it = KS_CACHE_ITER_THIS();

	ZEND_PARSE_PARAMETERS_NONE();
	if (ks_cache_iter_check(it) == FAILURE) {
		RETURN_THROWS();
	}
	ks_cache_iter_ensure(it);
	RETURN_LONG(it->total_hits);
}

PHP_METHOD(Keepsake_CacheIterator, getTotalSize)
{
	ks_cache_iter *it = KS_CACHE_ITER_THIS();

	ZEND_PARSE_PARAMETERS_NONE();
	if (ks_cache_iter_check(it) == FAILURE) {
		RETURN_THROWS();
	}
	ks_cache_iter_ensure(it);
	RETURN_LONG(it->total_size);
}

PHP_METHOD(Keepsake_CacheIterator, getTotalCount)
{
	ks_cache_iter *it = KS_CACHE_ITER_THIS();

	ZEND_PARSE_PARAMETERS_NONE();
	if (ks_cache_iter_check(it) == FAILURE) {
		RETURN_THROWS();
	}
	ks_cache_iter_ensure(it);
	RETURN_LONG(it->count);
}

/*
 * Deletes every entry of the snapshot. A failed delete warns, and a user
 * error handler (PHP code) may then rewind, reconstruct or free this
 * iterator's snapshot: the loop walks a private copy of the records, so it
 * deletes exactly what the snapshot held when delete() was called.
 */
zend_result ks_cache_iter_delete_all(zend_object *obj)
{
	ks_cache_iter *it = ks_cache_iter_from(obj);
	size_t off = 0, len;
	uint32_t i, count;
	char *recs;
	ks_cache_ctx c;

	if (ks_cache_iter_check(it) == FAILURE) {
		return FAILURE;
	}
	ks_cache_iter_ensure(it);
	count = it->count;
	len = it->recs_len;
	recs = emalloc(len ? len : 1);
	memcpy(recs, it->recs, len);
	ks_cache_ctx_init(&c, 0);
	for (i = 0; i < count; i++) {
		const ks_cache_iter_rec *m = (const ks_cache_iter_rec *) (recs + off);
		const char *key = ks_cache_iter_rec_key(m);
		ks_cache_key k;
		ks_cache_status st;
		ks_cache_key_init(&k, key, m->klen, (uint64_t) zend_hash_func(key, m->klen));
		st = ks_cache_store_delete(&c, &k);
		if (st != KS_CACHE_OK && st != KS_CACHE_NOTFOUND) {
			ks_cache_warn("delete", key, m->klen, st);
		}
		off += ks_cache_iter_rec_size(m);
	}
	efree(recs);
	return EG(exception) ? FAILURE : SUCCESS;
}

void ks_cache_iter_register(zend_class_entry *ce)
{
	ks_cache_iter_ce = ce;
	ks_cache_iter_ce->create_object = ks_cache_iter_create;
	memcpy(&ks_cache_iter_handlers, zend_get_std_object_handlers(), sizeof(ks_cache_iter_handlers));
	ks_cache_iter_handlers.offset = XtOffsetOf(ks_cache_iter, std);
	ks_cache_iter_handlers.free_obj = ks_cache_iter_free;
	ks_cache_iter_handlers.clone_obj = NULL;
}
