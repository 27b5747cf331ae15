/*
 * ks_cache_immutable.h: pure-data values persisted as immutable engine
 * structures, which a request uses in place (zero-copy fetch, issue 13).
 *
 * A value is "pure data" when it is null, bool, int, float, string, or an
 * array whose elements are pure data, nested at most KS_CACHE_IMM_MAX_DEPTH
 * arrays deep. Objects, resources, shared references and INDIRECT slots
 * ($GLOBALS) are not: such values keep the copying encoding
 * (ks_cache_value.h). A reference of refcount 1 is nobody's alias, so it is
 * stored as its value (zend_array_dup() drops such references the same way).
 * Through one an array can contain itself: that cycle is refused (the
 * engine's recursion guards skip immutable arrays, so a cyclic immutable
 * array would recurse without end in var_dump or serialize).
 *
 * Block layout (one contiguous block the caller provides, 8-aligned, e.g.
 * an arena block of the shared segment):
 *
 *   ks_cache_imm_block header (magic, size, the root zval)
 *   then HashTables, their hash+bucket (or packed zval) data, zend_strings,
 *   each 8-aligned, in the order the writer meets them.
 *
 * Everything inside is addressed by ABSOLUTE pointers into the block (the
 * engine follows them directly). That is valid in every process only because
 * the segment is mapped once, in MINIT, before php-fpm's master or the CLI
 * forks, so it sits at the same address in all of them; where that cannot be
 * guaranteed (ZTS, a segment mapped after fork) the caller must not use this.
 *
 * What the engine sees (the same shape opcache gives literal arrays in
 * zend_persist.c):
 *   - arrays: refcount 2 (SEPARATE_ARRAY() duplicates when the refcount is
 *     above 1, without looking at the flags), GC_TYPE_INFO = IS_ARRAY | GC_IMMUTABLE (opcache's
 *     IS_ARRAY_IMMUTABLE) with GC_NOT_COLLECTABLE, HASH_FLAG_STATIC_KEYS (so a
 *     duplicate never refcounts keys), pDestructor NULL, nInternalPointer 0;
 *     the zval pointing at one has type_info IS_ARRAY with no
 *     IS_TYPE_REFCOUNTED flag, so the engine never touches the refcount and
 *     separates (zend_array_dup) on the first write. Packed arrays (PHP 8.2+:
 *     zval-only arPacked) are copied as they are, holes included; hash arrays
 *     are compacted (no holes, a hash part sized to the elements and rebuilt);
 *     nNextFreeElement is kept so `$a[] = x` after separation appends where it
 *     would have on the original. An empty array is zend_empty_array (the
 *     engine's own, at the same address in every forked process) unless it has
 *     a next free index to keep.
 *   - strings: refcount 2 (as opcache), GC_STRING | IS_STR_INTERNED (not
 *     IS_STR_PERSISTENT, which means "malloc'd" and which interned strings
 *     never carry), the hash precomputed (the engine writes ZSTR_H lazily,
 *     which would be a write into the block), NUL terminated.
 *     zend_string_release() and the refcount macros skip interned strings.
 *     NOT IS_STR_PERMANENT, which opcache's literals carry: it means "lives as
 *     long as the process", and a block lives only until the epoch reclaims
 *     it. PHP's process-wide caches key by such strings without copying them
 *     (the PCRE cache, php_pcre.c), so a permanent block string used as a
 *     pattern would be read (and on a cache trim, released) in a later
 *     request, after the block was reused. Without the flag the engine treats
 *     them as request-interned strings, which is their lifetime. (The one
 *     writer of a non-permanent interned string, zend_alloc_ce_cache(), runs
 *     only on class names the compiler or an extension's MINIT interned
 *     itself, never on a runtime value.) Equal strings are stored
 *     once per block; an array met twice (the same HashTable) is stored once.
 *
 * Nothing here ever writes to the source value (not even a lazy hash): the
 * source may itself be immutable (opcache's read-only memory).
 *
 * Two passes, as APCu and opcache do: ks_cache_imm_measure() computes the exact
 * size (all the process-local memory it needs is taken here, with emalloc),
 * then ks_cache_imm_write() copies into the caller's block and allocates
 * nothing, so no bailout (memory_limit) can happen between allocating a
 * shared block and finishing it. The plan holds request memory until
 * ks_cache_imm_plan_free(); it is only valid for the unchanged source value.
 */
#ifndef KS_CACHE_IMMUTABLE_H
#define KS_CACHE_IMMUTABLE_H

#include "php.h"

#define KS_CACHE_IMM_MAGIC     0x6b73696du  /* "ksim" */
#define KS_CACHE_IMM_MAX_DEPTH 1024

typedef enum ks_cache_imm_status {
	KS_CACHE_IMM_OK = 0,
	KS_CACHE_IMM_NOT_PURE,  /* an object, resource, reference or INDIRECT slot */
	KS_CACHE_IMM_DEPTH,     /* nested deeper than KS_CACHE_IMM_MAX_DEPTH */
	KS_CACHE_IMM_TOOBIG     /* the block would pass the caller's max */
} ks_cache_imm_status;

/* The start of every block; root is what a fetch hands out. */
typedef struct ks_cache_imm_block {
	uint32_t magic;
	uint32_t pad;
	uint64_t size;           /* bytes of the whole block, this header included */
	uint64_t self;           /* the address the block was written at: every pointer
	                          * inside points into [self, self + size) or at
	                          * zend_empty_array */
	zval root;
} ks_cache_imm_block;

/* Process-local dedup tables of one measure/write pair (opaque fields). */
typedef struct ks_cache_imm_map {
	struct ks_cache_imm_slot *slots;
	uint32_t mask;           /* capacity - 1; 0 when not allocated */
	uint32_t used;
} ks_cache_imm_map;

typedef struct ks_cache_imm_plan {
	size_t size;             /* exact bytes ks_cache_imm_write() needs */
	size_t max;
	ks_cache_imm_map strs;   /* strings by content */
	ks_cache_imm_map arrs;   /* arrays by address */
} ks_cache_imm_plan;

/*
 * Measures v. On KS_CACHE_IMM_OK plan->size is the exact block size; on any
 * other status the plan is freed already. max bounds the block (stops
 * measuring early with KS_CACHE_IMM_TOOBIG). Uses emalloc; reads v only; runs
 * no PHP code and takes no lock.
 */
ks_cache_imm_status ks_cache_imm_measure(zval *v, size_t max, ks_cache_imm_plan *plan);

/*
 * Writes v (the value just measured, unchanged) into mem, which holds
 * plan->size bytes, 8-aligned. Allocates nothing and calls nothing that can
 * bail out. Returns mem as a block; the plan stays owned by the caller.
 */
ks_cache_imm_block *ks_cache_imm_write(ks_cache_imm_plan *plan, zval *v, void *mem);

/* Frees the plan's request memory (safe twice, and on a failed measure). */
void ks_cache_imm_plan_free(ks_cache_imm_plan *plan);

/*
 * A request-owned copy of a block that was copied byte for byte out of the
 * segment (len bytes at mem, e.g. by the seqlock read path into a
 * process-local buffer): every pointer is translated from the block's home
 * (its `self`) into the copy and bounds-checked first, and nesting is bounded,
 * so bytes that are not a block give FAILURE (out UNDEF), never a crash. For
 * readers that hold no epoch pin (the iterator, entry(), a process with no
 * slot or a stale pin): they never touch the segment block itself.
 * Allocates with emalloc; call it with no lock held.
 */
zend_result ks_cache_imm_copy_out(const void *mem, size_t len, zval *out);

/*
 * Makes *out the block's value without copying: an array zval pointing at the
 * immutable HashTable (type IS_ARRAY, not refcounted), an interned string, or
 * the scalar. The caller must keep the block alive (and unchanged) for as
 * long as anything in the request may still read the value (see
 * ks_cache_epoch.h). Returns FAILURE on a block without the magic or not at
 * its home address.
 */
zend_result ks_cache_imm_materialize(const ks_cache_imm_block *b, zval *out);

#endif
