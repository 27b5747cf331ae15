/*
 * ks_cache_immutable.c: persists pure-data values as immutable engine
 * structures (layout and flags in ks_cache_immutable.h).
 */
#include "cache/ks_cache_immutable.h"

#include "zend_hash.h"

#define KS_IMM_ALIGN(n) ZEND_MM_ALIGNED_SIZE(n)

/* ---- dedup maps -------------------------------------------------------------- */

/*
 * Open addressing on a 64-bit hash, linear probing, at most half full. The
 * strings map compares content (src is a source zend_string), the arrays map
 * compares the source address. dst is NULL after measuring and set when the
 * writer first stores the item. Slots are emalloc'd by the measure pass only.
 */
typedef struct ks_cache_imm_slot {
	const void *src;         /* NULL: empty slot */
	void *dst;
	zend_ulong h;
} ks_cache_imm_slot;

static zend_ulong ks_imm_str_hash(const zend_string *s)
{
	/* the source's cached hash if it has one; never write it (read-only source) */
	return ZSTR_H(s) ? ZSTR_H(s) : zend_hash_func(ZSTR_VAL(s), ZSTR_LEN(s));
}

static zend_ulong ks_imm_ptr_hash(const void *p)
{
	uint64_t x = (uint64_t) (uintptr_t) p;
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (zend_ulong) x;
}

static int ks_imm_same(const ks_cache_imm_slot *s, const void *src, int by_content)
{
	const zend_string *a, *b;

	if (s->src == src) {
		return 1;
	}
	if (!by_content) {
		return 0;
	}
	a = s->src;
	b = src;
	return ZSTR_LEN(a) == ZSTR_LEN(b) && memcmp(ZSTR_VAL(a), ZSTR_VAL(b), ZSTR_LEN(a)) == 0;
}

/* The slot holding src, or the empty slot where it would go. */
static ks_cache_imm_slot *ks_imm_map_find(ks_cache_imm_map *m, const void *src, zend_ulong h, int by_content)
{
	uint32_t i = (uint32_t) h & m->mask;

	for (;;) {
		ks_cache_imm_slot *s = &m->slots[i];
		if (!s->src || (s->h == h && ks_imm_same(s, src, by_content))) {
			return s;
		}
		i = (i + 1) & m->mask;
	}
}

static void ks_imm_map_grow(ks_cache_imm_map *m)
{
	ks_cache_imm_slot *old = m->slots;
	uint32_t n = old ? m->mask + 1 : 0, i;

	m->mask = n ? n * 2 - 1 : 63;
	m->slots = ecalloc((size_t) m->mask + 1, sizeof(*m->slots));
	for (i = 0; i < n; i++) {
		if (old[i].src) {
			uint32_t j = (uint32_t) old[i].h & m->mask;
			while (m->slots[j].src) {
				j = (j + 1) & m->mask;
			}
			m->slots[j] = old[i];
		}
	}
	if (old) {
		efree(old);
	}
}

/* Measure pass: 1 when src is new (and now recorded), 0 when already seen. */
static int ks_imm_map_add(ks_cache_imm_map *m, const void *src, zend_ulong h, int by_content)
{
	ks_cache_imm_slot *s;

	if (!m->slots || (m->used + 1) * 2 > m->mask + 1) {
		ks_imm_map_grow(m);
	}
	s = ks_imm_map_find(m, src, h, by_content);
	if (s->src) {
		return 0;
	}
	s->src = src;
	s->h = h;
	s->dst = NULL;
	m->used++;
	return 1;
}

static void ks_imm_map_free(ks_cache_imm_map *m)
{
	if (m->slots) {
		efree(m->slots);
	}
	m->slots = NULL;
	m->mask = m->used = 0;
}

/* ---- measure ------------------------------------------------------------------- */

static size_t ks_imm_str_size(const zend_string *s)
{
	return KS_IMM_ALIGN(_ZSTR_STRUCT_SIZE(ZSTR_LEN(s)));
}

/* Whether an empty source array can be the engine's zend_empty_array: it is
 * that array, or it has no next free index to keep. */
static int ks_imm_plain_empty(const HashTable *ht)
{
	return ht == &zend_empty_array
		|| (zend_hash_num_elements(ht) == 0 && ht->nNextFreeElement == zend_empty_array.nNextFreeElement);
}

/*
 * nTableSize of a stored array: a power of two (the engine doubles it on
 * growth and derives the hash mask from it after separation), at least the
 * elements stored. Only the used part is in the block: zend_array_dup()
 * copies HT_USED_SIZE / HT_PACKED_USED_SIZE of an immutable array into a
 * fresh allocation of the full nTableSize.
 */
static uint32_t ks_imm_table_size(uint32_t n)
{
	uint32_t size = HT_MIN_SIZE;

	while (size < n) {
		size <<= 1;
	}
	return size;
}

/* Bytes of the array's own structures (HashTable and data), not its elements. */
static size_t ks_imm_array_size(const HashTable *ht)
{
	uint32_t n = zend_hash_num_elements(ht);
	size_t head = KS_IMM_ALIGN(sizeof(HashTable));

	if (n == 0) {
		/* an uninitialized table, with our own two-slot "uninitialized bucket" */
		return head + KS_IMM_ALIGN(HT_HASH_SIZE(HT_MIN_MASK));
	}
	if (HT_IS_PACKED(ht)) {
		return head + HT_HASH_SIZE(HT_MIN_MASK) + (size_t) ht->nNumUsed * sizeof(zval);
	}
	return head + HT_HASH_SIZE(HT_SIZE_TO_MASK(ks_imm_table_size(n))) + (size_t) n * sizeof(Bucket);
}

static ks_cache_imm_status ks_imm_measure_zv(ks_cache_imm_plan *p, zval *v, int depth);

/* Marks an array of the arrays map that the measure pass is inside of. */
#define KS_IMM_VISITING ((void *) 1)

static ks_cache_imm_status ks_imm_measure_array(ks_cache_imm_plan *p, HashTable *ht, int depth)
{
	ks_cache_imm_slot *s;
	zend_string *key;
	zval *e;

	if (ks_imm_plain_empty(ht)) {
		return KS_CACHE_IMM_OK;
	}
	if (depth >= KS_CACHE_IMM_MAX_DEPTH && zend_hash_num_elements(ht) > 0) {
		return KS_CACHE_IMM_DEPTH;  /* (an empty one has no children: no recursion) */
	}
	if (!ks_imm_map_add(&p->arrs, ht, ks_imm_ptr_hash(ht), 0)) {
		s = ks_imm_map_find(&p->arrs, ht, ks_imm_ptr_hash(ht), 0);
		/* met again inside itself (a cycle through a dereferenced reference):
		 * an immutable array must never contain itself, the engine's
		 * recursion guards skip immutable arrays */
		return s->dst == KS_IMM_VISITING ? KS_CACHE_IMM_NOT_PURE : KS_CACHE_IMM_OK;
	}
	ks_imm_map_find(&p->arrs, ht, ks_imm_ptr_hash(ht), 0)->dst = KS_IMM_VISITING;
	p->size += ks_imm_array_size(ht);
	ZEND_HASH_FOREACH_STR_KEY_VAL(ht, key, e) {
		ks_cache_imm_status st;
		if (key && ks_imm_map_add(&p->strs, key, ks_imm_str_hash(key), 1)) {
			p->size += ks_imm_str_size(key);
		}
		st = ks_imm_measure_zv(p, e, depth + 1);
		if (st != KS_CACHE_IMM_OK) {
			return st;
		}
		if (p->size > p->max) {
			return KS_CACHE_IMM_TOOBIG;
		}
	} ZEND_HASH_FOREACH_END();
	/* the map may have grown: find the slot again */
	ks_imm_map_find(&p->arrs, ht, ks_imm_ptr_hash(ht), 0)->dst = NULL;
	return KS_CACHE_IMM_OK;
}

static ks_cache_imm_status ks_imm_measure_zv(ks_cache_imm_plan *p, zval *v, int depth)
{
	switch (Z_TYPE_P(v)) {
	case IS_NULL:
	case IS_FALSE:
	case IS_TRUE:
	case IS_LONG:
	case IS_DOUBLE:
		return KS_CACHE_IMM_OK;
	case IS_STRING:
		if (ks_imm_map_add(&p->strs, Z_STR_P(v), ks_imm_str_hash(Z_STR_P(v)), 1)) {
			p->size += ks_imm_str_size(Z_STR_P(v));
		}
		return p->size > p->max ? KS_CACHE_IMM_TOOBIG : KS_CACHE_IMM_OK;
	case IS_ARRAY:
		return ks_imm_measure_array(p, Z_ARRVAL_P(v), depth);
	case IS_REFERENCE:
		/* A reference nothing else shares is a plain value (zend_array_dup
		 * drops it the same way); a shared one is aliasing we cannot keep. */
		if (Z_REFCOUNT_P(v) == 1) {
			return ks_imm_measure_zv(p, Z_REFVAL_P(v), depth);
		}
		return KS_CACHE_IMM_NOT_PURE;
	default:
		/* objects, resources, INDIRECT, UNDEF at the top */
		return KS_CACHE_IMM_NOT_PURE;
	}
}

ks_cache_imm_status ks_cache_imm_measure(zval *v, size_t max, ks_cache_imm_plan *plan)
{
	ks_cache_imm_status st;

	memset(plan, 0, sizeof(*plan));
	plan->max = max;
	plan->size = KS_IMM_ALIGN(sizeof(ks_cache_imm_block));
	st = plan->size > max ? KS_CACHE_IMM_TOOBIG : ks_imm_measure_zv(plan, v, 0);
	if (st != KS_CACHE_IMM_OK) {
		ks_cache_imm_plan_free(plan);
	}
	return st;
}

void ks_cache_imm_plan_free(ks_cache_imm_plan *plan)
{
	ks_imm_map_free(&plan->strs);
	ks_imm_map_free(&plan->arrs);
}

/* ---- write --------------------------------------------------------------------- */

typedef struct ks_imm_writer {
	ks_cache_imm_plan *plan;
	char *top;               /* next free byte of the block */
	char *end;
} ks_imm_writer;

static void *ks_imm_take(ks_imm_writer *w, size_t n)
{
	void *p = w->top;

	ZEND_ASSERT(n <= (size_t) (w->end - w->top));
	w->top += n;
	return p;
}

static zend_string *ks_imm_write_str(ks_imm_writer *w, const zend_string *src)
{
	zend_ulong h = ks_imm_str_hash(src);
	ks_cache_imm_slot *s = ks_imm_map_find(&w->plan->strs, src, h, 1);
	zend_string *d;

	ZEND_ASSERT(s->src);
	if (s->dst) {
		return s->dst;
	}
	d = ks_imm_take(w, ks_imm_str_size(src));
	/* the NUL and the alignment tail: defined bytes, nothing old */
	memset(ZSTR_VAL(d) + ZSTR_LEN(src), 0, ks_imm_str_size(src) - _ZSTR_HEADER_SIZE - ZSTR_LEN(src));
	GC_SET_REFCOUNT(d, 2);
	/* interned, NOT permanent: the block dies with the epoch, and PHP's
	 * process-wide caches (the PCRE cache) keep permanent strings as keys
	 * without copying them (ks_cache_immutable.h) */
	GC_TYPE_INFO(d) = GC_STRING | (IS_STR_INTERNED << GC_FLAGS_SHIFT);
	ZSTR_H(d) = h;
	ZSTR_LEN(d) = ZSTR_LEN(src);
	memcpy(ZSTR_VAL(d), ZSTR_VAL(src), ZSTR_LEN(src));
	s->dst = d;
	return d;
}

static void ks_imm_write_zv(ks_imm_writer *w, zval *dst, zval *src);

/* The HashTable header every form shares. */
static HashTable *ks_imm_new_table(ks_imm_writer *w, const HashTable *src, uint32_t flags)
{
	HashTable *ht = ks_imm_take(w, KS_IMM_ALIGN(sizeof(HashTable)));

	memset(ht, 0, sizeof(*ht));
	GC_SET_REFCOUNT(ht, 2);
	GC_TYPE_INFO(ht) = GC_ARRAY | ((GC_IMMUTABLE | GC_NOT_COLLECTABLE) << GC_FLAGS_SHIFT);
	HT_FLAGS(ht) = flags | HASH_FLAG_STATIC_KEYS;
	ht->nNumOfElements = zend_hash_num_elements(src);
	ht->nNextFreeElement = src->nNextFreeElement;
	ht->nInternalPointer = 0;
	ht->pDestructor = NULL;
	return ht;
}

/* Packed: the zvals as they are (holes stay UNDEF), no hash part to fill. */
static void ks_imm_write_packed(ks_imm_writer *w, HashTable *ht, HashTable *src)
{
	char *data = ks_imm_take(w, HT_HASH_SIZE(HT_MIN_MASK) + (size_t) src->nNumUsed * sizeof(zval));
	uint32_t i;

	ht->nTableMask = HT_MIN_MASK;
	ht->nTableSize = ks_imm_table_size(src->nNumUsed);
	ht->nNumUsed = src->nNumUsed;
	HT_SET_DATA_ADDR(ht, data);
	HT_HASH_RESET_PACKED(ht);
	for (i = 0; i < src->nNumUsed; i++) {
		zval *from = &src->arPacked[i];
		if (Z_TYPE_P(from) == IS_UNDEF) {
			Z_LVAL(ht->arPacked[i]) = 0;
			Z_TYPE_INFO(ht->arPacked[i]) = IS_UNDEF;
			Z_EXTRA(ht->arPacked[i]) = 0;
		} else {
			ks_imm_write_zv(w, &ht->arPacked[i], from);
		}
	}
}

/* Hash: buckets without holes, in order, and a hash part built for them. */
static void ks_imm_write_hash(ks_imm_writer *w, HashTable *ht, HashTable *src)
{
	uint32_t n = zend_hash_num_elements(src), size = ks_imm_table_size(n), idx = 0;
	char *data = ks_imm_take(w, HT_HASH_SIZE(HT_SIZE_TO_MASK(size)) + (size_t) n * sizeof(Bucket));
	zend_ulong h;
	zend_string *key;
	zval *e;

	ht->nTableMask = HT_SIZE_TO_MASK(size);
	ht->nTableSize = size;
	ht->nNumUsed = n;
	HT_SET_DATA_ADDR(ht, data);
	HT_HASH_RESET(ht);
	ZEND_HASH_FOREACH_KEY_VAL(src, h, key, e) {
		Bucket *b = &ht->arData[idx];
		uint32_t nIndex;
		if (key) {
			b->key = ks_imm_write_str(w, key);
			b->h = ZSTR_H(b->key);
		} else {
			b->key = NULL;
			b->h = h;
		}
		ks_imm_write_zv(w, &b->val, e);
		nIndex = (uint32_t) b->h | ht->nTableMask;
		Z_NEXT(b->val) = HT_HASH(ht, nIndex);
		HT_HASH(ht, nIndex) = HT_IDX_TO_HASH(idx);
		idx++;
	} ZEND_HASH_FOREACH_END();
}

static HashTable *ks_imm_write_array(ks_imm_writer *w, HashTable *src)
{
	ks_cache_imm_slot *s = ks_imm_map_find(&w->plan->arrs, src, ks_imm_ptr_hash(src), 0);
	HashTable *ht;

	ZEND_ASSERT(s->src);
	if (s->dst) {
		return s->dst;
	}
	if (zend_hash_num_elements(src) == 0) {
		/* keeps only nNextFreeElement: an uninitialized table like the engine's */
		uint32_t *hash;
		ht = ks_imm_new_table(w, src, HASH_FLAG_UNINITIALIZED);
		hash = ks_imm_take(w, KS_IMM_ALIGN(HT_HASH_SIZE(HT_MIN_MASK)));
		hash[0] = hash[1] = HT_INVALID_IDX;
		ht->nTableMask = HT_MIN_MASK;
		ht->nTableSize = HT_MIN_SIZE;
		ht->arData = (Bucket *) &hash[2];
	} else if (HT_IS_PACKED(src)) {
		ht = ks_imm_new_table(w, src, HASH_FLAG_PACKED);
		ks_imm_write_packed(w, ht, src);
	} else {
		ht = ks_imm_new_table(w, src, 0);
		ks_imm_write_hash(w, ht, src);
	}
	s->dst = ht;
	return ht;
}

static void ks_imm_write_zv(ks_imm_writer *w, zval *dst, zval *src)
{
	ZVAL_DEREF(src);  /* only references of refcount 1 passed the measure */
	Z_EXTRA_P(dst) = 0;  /* u2: a bucket's caller sets Z_NEXT after this */
	switch (Z_TYPE_P(src)) {
	case IS_STRING:
		ZVAL_INTERNED_STR(dst, ks_imm_write_str(w, Z_STR_P(src)));
		break;
	case IS_ARRAY:
		if (ks_imm_plain_empty(Z_ARRVAL_P(src))) {
			ZVAL_EMPTY_ARRAY(dst);
		} else {
			/* not refcounted: the engine separates before any write */
			Z_ARR_P(dst) = ks_imm_write_array(w, Z_ARRVAL_P(src));
			Z_TYPE_INFO_P(dst) = IS_ARRAY;
		}
		break;
	case IS_LONG:
	case IS_DOUBLE:
		ZVAL_COPY_VALUE(dst, src);
		break;
	default:
		/* null, false, true (the measure pass let nothing else through):
		 * the source's value word is garbage, so write a defined one (a
		 * block's bytes depend only on the value, and carry nothing old) */
		Z_LVAL_P(dst) = 0;
		Z_TYPE_INFO_P(dst) = Z_TYPE_P(src);
		break;
	}
}

ks_cache_imm_block *ks_cache_imm_write(ks_cache_imm_plan *plan, zval *v, void *mem)
{
	ks_imm_writer w = { plan, mem, (char *) mem + plan->size };
	ks_cache_imm_block *b = ks_imm_take(&w, KS_IMM_ALIGN(sizeof(ks_cache_imm_block)));

	b->magic = KS_CACHE_IMM_MAGIC;
	b->pad = 0;
	b->size = plan->size;
	b->self = (uint64_t) (uintptr_t) b;
	ks_imm_write_zv(&w, &b->root, v);
	ZEND_ASSERT(w.top == w.end);
	return b;
}

zend_result ks_cache_imm_materialize(const ks_cache_imm_block *b, zval *out)
{
	if (b->magic != KS_CACHE_IMM_MAGIC || b->self != (uint64_t) (uintptr_t) b) {
		ZVAL_UNDEF(out);
		return FAILURE;
	}
	ZVAL_COPY_VALUE(out, &b->root);
	return SUCCESS;
}

/* ---- copy out (no pin) ----------------------------------------------------------- */

/*
 * A block copied away from its home: pointers are translated by the offset.
 * An array met again (the writer stores a repeated array once) is shared in
 * the copy too, through memo (home address -> the copy, null while it is
 * being built, which is how a cycle in damaged bytes is refused); budget
 * bounds the elements visited by what the block's size can hold, so damaged
 * bytes cannot make the walk long either.
 */
typedef struct ks_imm_reader {
	const char *copy;
	uint64_t self;
	size_t size;
	size_t budget;
	HashTable memo;
} ks_imm_reader;

/* The copy's address of n bytes at home address p, or NULL if they are not
 * all inside the block. */
static const void *ks_imm_tr(const ks_imm_reader *r, const void *p, size_t n)
{
	uint64_t a = (uint64_t) (uintptr_t) p;

	if (a < r->self || a - r->self > r->size || n > r->size - (a - r->self)) {
		return NULL;
	}
	return r->copy + (a - r->self);
}

static zend_result ks_imm_copy_zv(ks_imm_reader *r, const zval *src, zval *dst, int depth);

static const zend_string *ks_imm_tr_str(const ks_imm_reader *r, const zend_string *home)
{
	const zend_string *s = ks_imm_tr(r, home, _ZSTR_HEADER_SIZE);

	if (!s || ZSTR_LEN(s) >= r->size || !ks_imm_tr(r, home, _ZSTR_STRUCT_SIZE(ZSTR_LEN(s)))) {
		return NULL;
	}
	return s;
}

/* Adds the copy of element v under (key or h) to ht. */
static zend_result ks_imm_copy_elem(ks_imm_reader *r, HashTable *ht, const zend_string *key, zend_ulong h,
	const zval *v, int depth)
{
	zval tmp;

	if (r->budget == 0) {
		return FAILURE;
	}
	r->budget--;
	if (ks_imm_copy_zv(r, v, &tmp, depth + 1) == FAILURE) {
		return FAILURE;
	}
	if (key) {
		const zend_string *k = ks_imm_tr_str(r, key);
		zend_string *nk;
		if (!k) {
			zval_ptr_dtor(&tmp);
			return FAILURE;
		}
		nk = zend_string_init(ZSTR_VAL(k), ZSTR_LEN(k), 0);
		zend_hash_update(ht, nk, &tmp);
		zend_string_release(nk);
	} else {
		zend_hash_index_update(ht, h, &tmp);
	}
	return SUCCESS;
}

static zend_result ks_imm_copy_elems(ks_imm_reader *r, const HashTable *ht, HashTable *out, int depth)
{
	uint32_t i;

	if (ht->nNumOfElements && HT_IS_PACKED(ht)) {
		const zval *data = ks_imm_tr(r, ht->arPacked, (size_t) ht->nNumUsed * sizeof(zval));
		for (i = 0; data && i < ht->nNumUsed; i++) {
			if (Z_TYPE(data[i]) != IS_UNDEF && ks_imm_copy_elem(r, out, NULL, i, &data[i], depth) == FAILURE) {
				return FAILURE;
			}
		}
		return data ? SUCCESS : FAILURE;
	}
	if (ht->nNumOfElements) {
		const Bucket *b = ks_imm_tr(r, ht->arData, (size_t) ht->nNumUsed * sizeof(Bucket));
		for (i = 0; b && i < ht->nNumUsed; i++) {
			if (Z_TYPE(b[i].val) != IS_UNDEF && ks_imm_copy_elem(r, out, b[i].key, b[i].h, &b[i].val, depth) == FAILURE) {
				return FAILURE;
			}
		}
		return b ? SUCCESS : FAILURE;
	}
	return SUCCESS;
}

static zend_result ks_imm_copy_array(ks_imm_reader *r, const HashTable *home, zval *dst, int depth)
{
	const HashTable *ht = ks_imm_tr(r, home, sizeof(HashTable));
	zval *memo, placeholder;

	if (!ht || depth >= KS_CACHE_IMM_MAX_DEPTH || ht->nNumUsed > r->size / sizeof(zval)
			|| ht->nNumOfElements > ht->nNumUsed) {
		return FAILURE;  /* (the element count sizes an allocation: never past the block) */
	}
	memo = zend_hash_index_find(&r->memo, (zend_ulong) (uintptr_t) home);
	if (memo) {
		if (Z_TYPE_P(memo) != IS_ARRAY) {
			return FAILURE;  /* inside itself: a cycle, not a block we wrote */
		}
		ZVAL_COPY(dst, memo);
		return SUCCESS;
	}
	ZVAL_NULL(&placeholder);
	zend_hash_index_add_new(&r->memo, (zend_ulong) (uintptr_t) home, &placeholder);
	array_init_size(dst, ht->nNumOfElements);
	if (ks_imm_copy_elems(r, ht, Z_ARRVAL_P(dst), depth) == FAILURE) {
		zval_ptr_dtor(dst);
		ZVAL_UNDEF(dst);
		return FAILURE;
	}
	if (ht->nNextFreeElement > Z_ARRVAL_P(dst)->nNextFreeElement) {
		Z_ARRVAL_P(dst)->nNextFreeElement = ht->nNextFreeElement;
	}
	Z_TRY_ADDREF_P(dst);
	zend_hash_index_update(&r->memo, (zend_ulong) (uintptr_t) home, dst);
	return SUCCESS;
}

static zend_result ks_imm_copy_zv(ks_imm_reader *r, const zval *src, zval *dst, int depth)
{
	const zend_string *s;

	switch (Z_TYPE_P(src)) {
	case IS_NULL: ZVAL_NULL(dst); return SUCCESS;
	case IS_FALSE: ZVAL_FALSE(dst); return SUCCESS;
	case IS_TRUE: ZVAL_TRUE(dst); return SUCCESS;
	case IS_LONG: ZVAL_LONG(dst, Z_LVAL_P(src)); return SUCCESS;
	case IS_DOUBLE: ZVAL_DOUBLE(dst, Z_DVAL_P(src)); return SUCCESS;
	case IS_STRING:
		s = ks_imm_tr_str(r, Z_STR_P(src));
		if (!s) {
			break;
		}
		ZVAL_STRINGL_FAST(dst, ZSTR_VAL(s), ZSTR_LEN(s));
		return SUCCESS;
	case IS_ARRAY:
		if (Z_ARR_P(src) == &zend_empty_array) {
			ZVAL_EMPTY_ARRAY(dst);
			return SUCCESS;
		}
		return ks_imm_copy_array(r, Z_ARR_P(src), dst, depth);
	default:
		break;
	}
	ZVAL_UNDEF(dst);
	return FAILURE;
}

zend_result ks_cache_imm_copy_out(const void *mem, size_t len, zval *out)
{
	const ks_cache_imm_block *b = mem;
	ks_imm_reader r;
	zend_result rc;

	ZVAL_UNDEF(out);
	if (len < sizeof(*b) || b->magic != KS_CACHE_IMM_MAGIC || b->size > len || b->size < sizeof(*b)) {
		return FAILURE;
	}
	r.copy = mem;
	r.self = b->self;
	r.size = b->size;
	r.budget = b->size / sizeof(zval) + 16;
	zend_hash_init(&r.memo, 8, NULL, ZVAL_PTR_DTOR, 0);
	rc = ks_imm_copy_zv(&r, &b->root, out, 0);
	zend_hash_destroy(&r.memo);
	return rc;
}
