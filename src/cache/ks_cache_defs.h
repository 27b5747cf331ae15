/*
 * ks_cache_defs.h: constants shared by every layer of the cache.
 *
 * Status codes: the store (ks_cache_shard.c, ks_cache_store*.c) returns one
 * of these for every operation (the lock and the value codec have their own
 * smaller result types, which the store and the PHP-facing layer map onto
 * them); only the PHP-facing layer turns a status into a warning, once per
 * failed key (ks_cache_warn in cache_ctx.c). The iterator/list constants keep APCu's numeric values so that
 * code written against APC_ITER_* works with KEEPSAKE_CACHE_ITER_*.
 *
 * This header includes nothing: the lock, arena and store layers never touch
 * zvals.
 */
#ifndef KS_CACHE_DEFS_H
#define KS_CACHE_DEFS_H

typedef enum ks_cache_status {
	KS_CACHE_OK = 0,
	KS_CACHE_NOTFOUND,      /* no live entry under that key */
	KS_CACHE_EXISTS,        /* add(): a live entry already exists */
	KS_CACHE_NOSPACE,       /* the shard could not make room even after evicting */
	KS_CACHE_TOOBIG,        /* the entry can never fit in one shard */
	KS_CACHE_REFUSED,       /* the value cannot be cached (resource, serializer failure, nesting) */
	KS_CACHE_LOCK_TIMEOUT,  /* the shard lock was not obtained within lock_timeout */
	KS_CACHE_LOCK_BROKEN,   /* the shard mutex is unusable (ENOTRECOVERABLE, EINVAL) */
	KS_CACHE_NOTLONG,       /* inc/dec/cas on a value that is not an int */
	KS_CACHE_MISMATCH,      /* cas(): the current value differs from $old */
	KS_CACHE_LEASED,        /* entry(): another live process holds the key's lease */
	KS_CACHE_LEASE_MINE,    /* entry(): we now hold the lease and must compute */
	KS_CACHE_NOMEM,         /* malloc() of a process-local buffer failed */
	KS_CACHE_DISABLED,      /* no segment (disabled, or CLI without enable_cli) */
	KS_CACHE_ZC_FULL,       /* no room for an immutable block (no retire-ring ticket,
	                         * the zero-copy budget or region full): store the
	                         * copying form instead (ks_cache_store.h) */
	KS_CACHE_RETRY          /* a lock-free read met a writer or a torn chain: try again
	                         * (ks_cache_store_read.c; never leaves the store) */
} ks_cache_status;

/* Value tags: the first byte of every stored value (see ks_cache_value.h). */
#define KS_CACHE_VAL_NULL       0
#define KS_CACHE_VAL_FALSE      1
#define KS_CACHE_VAL_TRUE       2
#define KS_CACHE_VAL_LONG       3
#define KS_CACHE_VAL_DOUBLE     4
#define KS_CACHE_VAL_STRING     5
#define KS_CACHE_VAL_ARRAY      6
#define KS_CACHE_VAL_REF        7  /* first sight of a PHP reference: id implied by order */
#define KS_CACHE_VAL_REFBACK    8  /* a reference seen before: u32 id follows */
#define KS_CACHE_VAL_SERIALIZED 9  /* u8 serializer, then the serializer's bytes */
#define KS_CACHE_VAL_EMPTY_ARR  10
/* An immutable block (ks_cache_immutable.h) used in place by zero-copy
 * fetches: byte 1 is the offset of the 8-aligned block from the value's
 * start (2 to 9), the block follows; vlen = KS_CACHE_VAL_IMM_HEAD + block. */
#define KS_CACHE_VAL_IMM        11
#define KS_CACHE_VAL_IMM_HEAD   10

/* A stored int: tag byte + 8 bytes (host order, unaligned). */
#define KS_CACHE_VAL_LONG_SIZE  9
/* The smallest encoded value: a tag alone (null, false, true, []). */
#define KS_CACHE_VAL_MIN_SIZE   1

/* APCu's list/format constants (apc_iterator.h), same values. */
#define KS_CACHE_LIST_ACTIVE   1
#define KS_CACHE_LIST_DELETED  2
#define KS_CACHE_ITER_TYPE     (1 << 0)
#define KS_CACHE_ITER_KEY      (1 << 1)
#define KS_CACHE_ITER_VALUE    (1 << 2)
#define KS_CACHE_ITER_NUM_HITS (1 << 3)
#define KS_CACHE_ITER_MTIME    (1 << 4)
#define KS_CACHE_ITER_CTIME    (1 << 5)
#define KS_CACHE_ITER_DTIME    (1 << 6)
#define KS_CACHE_ITER_ATIME    (1 << 7)
#define KS_CACHE_ITER_REFCOUNT (1 << 8)
#define KS_CACHE_ITER_MEM_SIZE (1 << 9)
#define KS_CACHE_ITER_TTL      (1 << 10)
#define KS_CACHE_ITER_NONE     0
#define KS_CACHE_ITER_ALL      0xffffffffL

#endif
