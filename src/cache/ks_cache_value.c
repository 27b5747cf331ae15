/*
 * ks_cache_value.c: encoder and decoder for cached values (format in
 * ks_cache_value.h).
 */
#include "cache/ks_cache_value.h"
#include "cache/ks_cache_immutable.h"
#include "cache/ks_cache_defs.h"

#include "ext/standard/php_var.h"
#include "zend_exceptions.h"

/* ---- encoder --------------------------------------------------------------- */

/*
 * One structural pass over the value. Until it meets an object it writes the
 * structural encoding; from the first object on, the result will be handed
 * whole to the serializer, so the pass stops writing and only keeps looking
 * for resources (serialize() would silently turn one into 0). The output
 * never grows past max (what a shard can hold): the first write that would
 * pass it also stops the writing, without copying anything more, and the
 * pass goes on only to find an object (then the serializer decides the
 * size) or a resource. Every node is visited once: references and objects
 * already seen are skipped, which also ends recursive structures. The pass
 * reads the value and writes nothing into it: no recursion flags, so
 * read-only arrays (zend_empty_array, opcache's immutable arrays) are safe.
 */
typedef struct ks_cache_enc {
	smart_str *out;
	HashTable refs;      /* zend_reference* -> id, for references seen */
	HashTable objs;      /* object handles already scanned; initialised with scan */
	HashTable keep;      /* what internal __serialize() methods returned, alive until
	                      * the pass ends so no address or handle in refs/objs is reused */
	size_t max;          /* the output's length never passes it */
	uint32_t nrefs;
	int depth;           /* arrays and objects we are inside */
	int scan;            /* 1 once nothing more is written (obj or over) */
	int obj;             /* 1 once an object was met: the value goes to the serializer */
	int over;            /* 1 once a write would have passed max */
} ks_cache_enc;

static inline void ks_cache_put_u32(smart_str *s, uint32_t v) { smart_str_appendl(s, (const char *) &v, 4); }

static void ks_cache_enc_stop_writing(ks_cache_enc *e)
{
	if (!e->scan) {
		e->scan = 1;
		zend_hash_init(&e->objs, 8, NULL, NULL, 0);
		zend_hash_init(&e->keep, 0, NULL, ZVAL_PTR_DTOR, 0);
	}
}

/* Whether n more bytes keep the output within max (it always is: every
 * write asks first). The first time they would not, writing stops. */
static inline int ks_cache_enc_room(ks_cache_enc *e, size_t n)
{
	size_t len = e->out->s ? ZSTR_LEN(e->out->s) : 0;

	if (EXPECTED(n <= e->max - len)) {
		return 1;
	}
	e->over = 1;
	ks_cache_enc_stop_writing(e);
	return 0;
}

static int ks_cache_enc_value(ks_cache_enc *e, zval *v);
static int ks_cache_enc_ref(ks_cache_enc *e, zval *v, HashTable *parent);
static int ks_cache_scan_value(ks_cache_enc *e, zval *v);

/* Whether the class's serialized form is written by user code: its own
 * __serialize (or one a user parent wrote), Serializable, or __sleep. */
static int ks_cache_class_writes_own_form(zend_class_entry *ce)
{
	zend_function *sleep;

	if (ce->__serialize) {
		return ce->__serialize->type == ZEND_USER_FUNCTION;
	}
	if (ce->serialize) {
		return 1;
	}
	sleep = zend_hash_find_ptr(&ce->function_table, ZSTR_KNOWN(ZEND_STR_SLEEP));
	return sleep && sleep->type == ZEND_USER_FUNCTION;
}

/* The array an internal __serialize() returns (ArrayObject, ArrayIterator,
 * SplFixedArray, SplObjectStorage, SplDoublyLinkedList, ...), which is what
 * the serializer will write: scanned like any array. */
static int ks_cache_scan_internal_form(ks_cache_enc *e, zend_object *obj)
{
	zval form, *kept;

	ZVAL_UNDEF(&form);
	zend_call_known_instance_method_with_0_params(obj->ce->__serialize, obj, &form);
	if (EG(exception)) {
		zval_ptr_dtor(&form);
		return KS_CACHE_ENC_SERIALIZER;
	}
	kept = zend_hash_next_index_insert(&e->keep, &form);
	if (!kept) {
		zval_ptr_dtor(&form);
		return KS_CACHE_ENC_SERIALIZER;
	}
	return ks_cache_scan_value(e, kept);
}

/*
 * A user class that writes its own serialized form (__serialize, __sleep,
 * Serializable) decides what is kept, and may well drop a resource it
 * reopens in __unserialize/__wakeup: it is trusted, and its properties are
 * not scanned. Enums serialize as their name. An internal class's
 * __serialize() is called and its result scanned: the built-in containers
 * hand their elements, resources included, to the serializer. Any other
 * object is serialized from its properties, which are scanned like an array.
 */
static int ks_cache_scan_object(ks_cache_enc *e, zval *v)
{
	zend_object *obj = Z_OBJ_P(v);
	zend_class_entry *ce = obj->ce;
	HashTable *props;
	zval *el;
	int rc = KS_CACHE_ENC_OK;

	e->obj = 1;
	if ((ce->ce_flags & ZEND_ACC_ENUM) || ks_cache_class_writes_own_form(ce)) {
		return KS_CACHE_ENC_OK;
	}
	if (!zend_hash_index_add_empty_element(&e->objs, obj->handle)) {
		return KS_CACHE_ENC_OK;  /* seen: shared or recursive */
	}
	if (++e->depth > KS_CACHE_MAX_DEPTH) {
		return KS_CACHE_ENC_DEPTH;
	}
	if (ce->__serialize) {
		rc = ks_cache_scan_internal_form(e, obj);
		e->depth--;
		return rc;
	}
	props = zend_get_properties_for(v, ZEND_PROP_PURPOSE_SERIALIZE);
	if (props) {
		ZEND_HASH_FOREACH_VAL(props, el) {
			rc = ks_cache_scan_value(e, el);
			if (rc != KS_CACHE_ENC_OK) {
				break;
			}
		} ZEND_HASH_FOREACH_END();
		zend_release_properties(props);
	}
	e->depth--;
	return rc;
}

/* Scan mode (see above): finds resources, writes nothing. */
static int ks_cache_scan_value(ks_cache_enc *e, zval *v)
{
	zval *el;

	switch (Z_TYPE_P(v)) {
	case IS_RESOURCE:
		return KS_CACHE_ENC_RESOURCE;
	case IS_INDIRECT:
		return ks_cache_scan_value(e, Z_INDIRECT_P(v));
	case IS_REFERENCE:
		if (!zend_hash_index_add_empty_element(&e->refs, (zend_ulong) (uintptr_t) Z_REF_P(v))) {
			return KS_CACHE_ENC_OK;
		}
		return ks_cache_scan_value(e, Z_REFVAL_P(v));
	case IS_OBJECT:
		return ks_cache_scan_object(e, v);
	case IS_ARRAY:
		if (zend_hash_num_elements(Z_ARRVAL_P(v)) == 0) {
			return KS_CACHE_ENC_OK;
		}
		if (++e->depth > KS_CACHE_MAX_DEPTH) {
			return KS_CACHE_ENC_DEPTH;
		}
		ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(v), el) {
			int rc = ks_cache_scan_value(e, el);
			if (rc != KS_CACHE_ENC_OK) {
				return rc;
			}
		} ZEND_HASH_FOREACH_END();
		e->depth--;
		return KS_CACHE_ENC_OK;
	default:
		return KS_CACHE_ENC_OK;
	}
}

static int ks_cache_enc_array(ks_cache_enc *e, HashTable *ht)
{
	uint32_t n = zend_hash_num_elements(ht);
	int list = zend_array_is_list(ht);
	zend_ulong idx;
	zend_string *key;
	zval *val;
	int rc;

	if (n == 0) {
		if (ks_cache_enc_room(e, 1)) {
			smart_str_appendc(e->out, KS_CACHE_VAL_EMPTY_ARR);
		}
		return KS_CACHE_ENC_OK;
	}
	if (++e->depth > KS_CACHE_MAX_DEPTH) {
		return KS_CACHE_ENC_DEPTH;
	}
	if (ks_cache_enc_room(e, 6)) {
		smart_str_appendc(e->out, KS_CACHE_VAL_ARRAY);
		ks_cache_put_u32(e->out, n);
		smart_str_appendc(e->out, list ? 1 : 0);
	}
	ZEND_HASH_FOREACH_KEY_VAL(ht, idx, key, val) {
		if (e->scan || (!list && !ks_cache_enc_room(e, key ? 5 + ZSTR_LEN(key) : 9))) {
			rc = ks_cache_scan_value(e, val);
		} else {
			if (!list) {
				if (key) {
					smart_str_appendc(e->out, 1);
					ks_cache_put_u32(e->out, (uint32_t) ZSTR_LEN(key));
					smart_str_appendl(e->out, ZSTR_VAL(key), ZSTR_LEN(key));
				} else {
					zend_long l = (zend_long) idx;
					smart_str_appendc(e->out, 0);
					smart_str_appendl(e->out, (const char *) &l, 8);
				}
			}
			rc = Z_ISREF_P(val) ? ks_cache_enc_ref(e, val, ht) : ks_cache_enc_value(e, val);
		}
		if (rc != KS_CACHE_ENC_OK) {
			return rc;
		}
	} ZEND_HASH_FOREACH_END();
	e->depth--;
	return KS_CACHE_ENC_OK;
}

/* parent: the array that holds v. */
static int ks_cache_enc_ref(ks_cache_enc *e, zval *v, HashTable *parent)
{
	zend_reference *ref = Z_REF_P(v);
	zval *seen;
	zval id;

	if (GC_REFCOUNT(ref) == 1 && !(Z_TYPE(ref->val) == IS_ARRAY && Z_ARRVAL(ref->val) == parent)) {
		/* Nobody else shares it: a plain value, as for PHP's own array
		 * copy. The exception, as there too, is a reference that sits in
		 * the array it points to ($a[] = &$a; unset($a)): a cycle. */
		return ks_cache_enc_value(e, &ref->val);
	}
	seen = zend_hash_index_find(&e->refs, (zend_ulong) (uintptr_t) ref);
	if (seen) {
		if (!ks_cache_enc_room(e, 5)) {
			return KS_CACHE_ENC_OK;
		}
		smart_str_appendc(e->out, KS_CACHE_VAL_REFBACK);
		ks_cache_put_u32(e->out, (uint32_t) Z_LVAL_P(seen));
		return KS_CACHE_ENC_OK;
	}
	ZVAL_LONG(&id, e->nrefs++);
	zend_hash_index_add_new(&e->refs, (zend_ulong) (uintptr_t) ref, &id);
	if (!ks_cache_enc_room(e, 1)) {
		return ks_cache_scan_value(e, &ref->val);
	}
	smart_str_appendc(e->out, KS_CACHE_VAL_REF);
	return ks_cache_enc_value(e, &ref->val);
}

/* The bytes a scalar's encoding takes; 0 for what writes its own (arrays,
 * references) or nothing (objects, resources). */
static inline size_t ks_cache_enc_scalar_size(const zval *v)
{
	switch (Z_TYPE_P(v)) {
	case IS_UNDEF:
	case IS_NULL:
	case IS_FALSE:
	case IS_TRUE:
		return 1;
	case IS_LONG:
	case IS_DOUBLE:
		return 9;
	case IS_STRING:
		return 5 + Z_STRLEN_P(v);
	default:
		return 0;
	}
}

/* Writes a scalar (ks_cache_enc_scalar_size(v) > 0) whose room was checked. */
static void ks_cache_enc_scalar(smart_str *out, zval *v)
{
	switch (Z_TYPE_P(v)) {
	case IS_FALSE:
		smart_str_appendc(out, KS_CACHE_VAL_FALSE);
		return;
	case IS_TRUE:
		smart_str_appendc(out, KS_CACHE_VAL_TRUE);
		return;
	case IS_LONG:
		smart_str_appendc(out, KS_CACHE_VAL_LONG);
		smart_str_appendl(out, (const char *) &Z_LVAL_P(v), 8);
		return;
	case IS_DOUBLE:
		smart_str_appendc(out, KS_CACHE_VAL_DOUBLE);
		smart_str_appendl(out, (const char *) &Z_DVAL_P(v), 8);
		return;
	case IS_STRING:
		smart_str_appendc(out, KS_CACHE_VAL_STRING);
		ks_cache_put_u32(out, (uint32_t) Z_STRLEN_P(v));
		smart_str_appendl(out, Z_STRVAL_P(v), Z_STRLEN_P(v));
		return;
	default:  /* IS_UNDEF, IS_NULL */
		smart_str_appendc(out, KS_CACHE_VAL_NULL);
		return;
	}
}

static int ks_cache_enc_value(ks_cache_enc *e, zval *v)
{
	size_t n;

	if (e->scan) {
		return ks_cache_scan_value(e, v);
	}
	n = ks_cache_enc_scalar_size(v);
	if (n) {
		if (ks_cache_enc_room(e, n)) {
			ks_cache_enc_scalar(e->out, v);
		}
		/* else too big: not copied; the pass goes on for objects and resources */
		return KS_CACHE_ENC_OK;
	}
	switch (Z_TYPE_P(v)) {
	case IS_ARRAY:
		return ks_cache_enc_array(e, Z_ARRVAL_P(v));
	case IS_REFERENCE:
		return ks_cache_enc_ref(e, v, NULL);
	case IS_INDIRECT:
		return ks_cache_enc_value(e, Z_INDIRECT_P(v));
	case IS_OBJECT:
		ks_cache_enc_stop_writing(e);
		return ks_cache_scan_object(e, v);
	default:
		return KS_CACHE_ENC_RESOURCE;
	}
}

static ks_cache_enc_status ks_cache_enc_serialized(zval *v, smart_str *out, int serializer)
{
	smart_str_appendc(out, KS_CACHE_VAL_SERIALIZED);
	smart_str_appendc(out, (char) serializer);
	if (serializer == KS_CACHE_SER_IGBINARY) {
		zval fn, ret;
		zend_result rc;
		ZVAL_STRING(&fn, "igbinary_serialize");
		rc = call_user_function(NULL, NULL, &fn, &ret, 1, v);
		zval_ptr_dtor(&fn);
		if (rc != SUCCESS || EG(exception) || Z_TYPE(ret) != IS_STRING) {
			zval_ptr_dtor(&ret);
			return KS_CACHE_ENC_SERIALIZER;
		}
		smart_str_append(out, Z_STR(ret));
		zval_ptr_dtor(&ret);
	} else {
		php_serialize_data_t var_hash;
		PHP_VAR_SERIALIZE_INIT(var_hash);
		php_var_serialize(out, v, &var_hash);
		PHP_VAR_SERIALIZE_DESTROY(var_hash);
		if (EG(exception)) {
			return KS_CACHE_ENC_SERIALIZER;
		}
	}
	return KS_CACHE_ENC_OK;
}

ks_cache_enc_status ks_cache_value_encode(zval *v, smart_str *out, int serializer, size_t max)
{
	ks_cache_enc e;
	int rc;

	if (out->s) {
		ZSTR_LEN(out->s) = 0;
	}
	if (ks_cache_enc_scalar_size(v)) {
		/* a scalar alone (the common case): no tables needed */
		if (ks_cache_enc_scalar_size(v) > max) {
			return KS_CACHE_ENC_TOOBIG;
		}
		ks_cache_enc_scalar(out, v);
		return KS_CACHE_ENC_OK;
	}
	e.out = out;
	e.max = max;
	e.nrefs = 0;
	e.depth = 0;
	e.scan = e.obj = e.over = 0;
	zend_hash_init(&e.refs, 8, NULL, NULL, 0);
	rc = ks_cache_enc_value(&e, v);
	zend_hash_destroy(&e.refs);
	if (e.scan) {
		zend_hash_destroy(&e.objs);
		zend_hash_destroy(&e.keep);
	}
	if (rc != KS_CACHE_ENC_OK) {
		return (ks_cache_enc_status) rc;
	}
	if (e.obj) {
		if (out->s) {
			ZSTR_LEN(out->s) = 0;
		}
		return ks_cache_enc_serialized(v, out, serializer);
	}
	return e.over ? KS_CACHE_ENC_TOOBIG : KS_CACHE_ENC_OK;
}

/* ---- decoder --------------------------------------------------------------- */

typedef struct ks_cache_dec {
	const char *p, *end;
	zend_reference **refs;
	uint32_t nrefs, cap;
	int depth;
} ks_cache_dec;

static inline int ks_cache_get(ks_cache_dec *d, void *dst, size_t n)
{
	if ((size_t) (d->end - d->p) < n) {
		return FAILURE;
	}
	memcpy(dst, d->p, n);
	d->p += n;
	return SUCCESS;
}

static zend_result ks_cache_dec_value(ks_cache_dec *d, zval *out);

static zend_result ks_cache_dec_array(ks_cache_dec *d, zval *out)
{
	uint32_t n, i;
	unsigned char list;
	HashTable *ht;

	if (ks_cache_get(d, &n, 4) || ks_cache_get(d, &list, 1) || n > (size_t) (d->end - d->p) || ++d->depth > KS_CACHE_MAX_DEPTH) {
		return FAILURE;
	}
	ht = zend_new_array(n);
	ZVAL_ARR(out, ht);
	if (list) {
		zend_hash_real_init_packed(ht);
		for (i = 0; i < n; i++) {
			zval tmp;
			if (ks_cache_dec_value(d, &tmp) != SUCCESS) {
				zval_ptr_dtor(&tmp);
				return FAILURE;
			}
			zend_hash_next_index_insert_new(ht, &tmp);
		}
	} else {
		zend_hash_real_init_mixed(ht);
		for (i = 0; i < n; i++) {
			unsigned char kt;
			zval tmp;
			zend_long idx = 0;
			uint32_t klen = 0;
			const char *kp = NULL;
			if (ks_cache_get(d, &kt, 1)) {
				return FAILURE;
			}
			if (kt == 0) {
				if (ks_cache_get(d, &idx, 8)) {
					return FAILURE;
				}
			} else {
				if (ks_cache_get(d, &klen, 4) || klen > (size_t) (d->end - d->p)) {
					return FAILURE;
				}
				kp = d->p;
				d->p += klen;
			}
			if (ks_cache_dec_value(d, &tmp) != SUCCESS) {
				zval_ptr_dtor(&tmp);
				return FAILURE;
			}
			if (kp) {
				zend_hash_str_add_new(ht, kp, klen, &tmp);
			} else {
				zend_hash_index_add_new(ht, (zend_ulong) idx, &tmp);
			}
		}
	}
	d->depth--;
	return SUCCESS;
}

static zend_result ks_cache_dec_serialized(ks_cache_dec *d, zval *out)
{
	unsigned char ser;
	size_t len;
	char *copy;
	zend_result rc = SUCCESS;

	if (ks_cache_get(d, &ser, 1)) {
		return FAILURE;
	}
	len = (size_t) (d->end - d->p);
	/* The bytes may sit in the per-process scratch buffer, which a cache
	 * call from __unserialize()/__wakeup() would overwrite: decode a copy. */
	copy = estrndup(d->p, len);
	if (ser == KS_CACHE_SER_IGBINARY) {
		zval fn, arg;
		ZVAL_STRING(&fn, "igbinary_unserialize");
		ZVAL_STRINGL(&arg, copy, len);
		rc = call_user_function(NULL, NULL, &fn, out, 1, &arg);
		zval_ptr_dtor(&fn);
		zval_ptr_dtor(&arg);
		if (rc != SUCCESS || EG(exception)) {
			zval_ptr_dtor(out);
			ZVAL_NULL(out);
			rc = FAILURE;
		}
	} else {
		php_unserialize_data_t var_hash;
		const unsigned char *p = (const unsigned char *) copy;
		/* On failure unserialize() may have warned itself (a value nested past
		 * unserialize_max_depth: "Maximum depth of N exceeded"); the caller's
		 * "could not be decoded" then follows it. Silencing PHP's warning
		 * would also silence whatever __wakeup()/__unserialize() report, so
		 * such a value costs two warnings. */
		PHP_VAR_UNSERIALIZE_INIT(var_hash);
		if (!php_var_unserialize(out, &p, p + len, &var_hash)) {
			zval_ptr_dtor(out);
			ZVAL_NULL(out);
			rc = FAILURE;
		}
		PHP_VAR_UNSERIALIZE_DESTROY(var_hash);
	}
	efree(copy);
	d->p = d->end;
	return rc;
}

static zend_result ks_cache_dec_value(ks_cache_dec *d, zval *out)
{
	unsigned char tag;

	ZVAL_NULL(out);
	if (ks_cache_get(d, &tag, 1)) {
		return FAILURE;
	}
	switch (tag) {
	case KS_CACHE_VAL_NULL:
		return SUCCESS;
	case KS_CACHE_VAL_FALSE:
		ZVAL_FALSE(out);
		return SUCCESS;
	case KS_CACHE_VAL_TRUE:
		ZVAL_TRUE(out);
		return SUCCESS;
	case KS_CACHE_VAL_LONG: {
		zend_long l;
		if (ks_cache_get(d, &l, 8)) {
			return FAILURE;
		}
		ZVAL_LONG(out, l);
		return SUCCESS;
	}
	case KS_CACHE_VAL_DOUBLE: {
		double x;
		if (ks_cache_get(d, &x, 8)) {
			return FAILURE;
		}
		ZVAL_DOUBLE(out, x);
		return SUCCESS;
	}
	case KS_CACHE_VAL_STRING: {
		uint32_t n;
		if (ks_cache_get(d, &n, 4) || n > (size_t) (d->end - d->p)) {
			return FAILURE;
		}
		ZVAL_STRINGL_FAST(out, d->p, n);
		d->p += n;
		return SUCCESS;
	}
	case KS_CACHE_VAL_EMPTY_ARR:
		ZVAL_EMPTY_ARRAY(out);
		return SUCCESS;
	case KS_CACHE_VAL_ARRAY:
		return ks_cache_dec_array(d, out);
	case KS_CACHE_VAL_REF: {
		zend_reference *ref;
		ZVAL_NEW_EMPTY_REF(out);
		ref = Z_REF_P(out);
		ZVAL_NULL(&ref->val);
		if (d->nrefs == d->cap) {
			d->cap = d->cap ? d->cap * 2 : 8;
			d->refs = erealloc(d->refs, d->cap * sizeof(*d->refs));
		}
		d->refs[d->nrefs++] = ref;
		return ks_cache_dec_value(d, &ref->val);
	}
	case KS_CACHE_VAL_REFBACK: {
		uint32_t id;
		if (ks_cache_get(d, &id, 4) || id >= d->nrefs) {
			return FAILURE;
		}
		GC_ADDREF(d->refs[id]);
		ZVAL_REF(out, d->refs[id]);
		return SUCCESS;
	}
	case KS_CACHE_VAL_SERIALIZED:
		return ks_cache_dec_serialized(d, out);
	default:
		return FAILURE;
	}
}

/* An immutable block's bytes copied out of the segment (KS_CACHE_VAL_IMM:
 * tag, offset of the block, block): rebuilt by translating its pointers. */
static zend_result ks_cache_value_decode_imm(const char *p, size_t len, zval *out)
{
	size_t skip = (unsigned char) p[1];
	const char *b = p + skip;
	zend_result rc;

	if (skip < 2 || skip >= len) {
		ZVAL_NULL(out);
		return FAILURE;
	}
	if (((uintptr_t) b & 7) == 0) {
		rc = ks_cache_imm_copy_out(b, len - skip, out);
	} else {
		char *tmp = emalloc(len - skip);
		memcpy(tmp, b, len - skip);
		rc = ks_cache_imm_copy_out(tmp, len - skip, out);
		efree(tmp);
	}
	if (rc != SUCCESS) {
		ZVAL_NULL(out);
	}
	return rc;
}

zend_result ks_cache_value_decode(const char *p, size_t len, zval *out)
{
	ks_cache_dec d;
	zend_result rc;

	if (len > KS_CACHE_VAL_IMM_HEAD && (unsigned char) p[0] == KS_CACHE_VAL_IMM) {
		return ks_cache_value_decode_imm(p, len, out);
	}
	d.p = p;
	d.end = p + len;
	d.refs = NULL;
	d.nrefs = d.cap = 0;
	d.depth = 0;
	rc = ks_cache_dec_value(&d, out);
	if (d.refs) {
		efree(d.refs);
	}
	if (rc != SUCCESS || d.p != d.end) {
		zval_ptr_dtor(out);
		ZVAL_NULL(out);
		return FAILURE;
	}
	return SUCCESS;
}
