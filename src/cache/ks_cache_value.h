/*
 * ks_cache_value.h: the wire format of a cached value and its codec.
 *
 * A value is encoded into a process-local buffer before any lock is taken
 * and decoded from a process-local copy after the lock is released, so no
 * PHP code (serializers, __serialize, __wakeup) ever runs under a lock.
 *
 * Format (all integers host order, unaligned):
 *   NULL | FALSE | TRUE                  tag only
 *   LONG    int64                        so inc/dec/cas can edit it in place
 *   DOUBLE  the 8 raw bytes              NAN payloads and -0.0 survive
 *   STRING  u32 len, bytes               binary safe
 *   EMPTY_ARR                            []
 *   ARRAY   u32 count, u8 list, then count elements; a list (keys 0..n-1)
 *           stores values only, otherwise each element is a key (u8 0 +
 *           int64, or u8 1 + u32 len + bytes) and a value
 *   REF     value                        first sight of a shared PHP reference;
 *                                        references are numbered in order of appearance
 *   REFBACK u32 id                       a reference seen before (keeps aliasing,
 *                                        also for recursive structures)
 *   SERIALIZED u8 serializer, bytes      anything that holds an object
 *
 * Arrays are copied structurally (faster than serialize(), and exact for
 * references). A value holding an object anywhere is handed whole to the
 * configured serializer. Resources are refused, also inside objects whose
 * serialized form is their properties or what an internal class's
 * __serialize() returns (ArrayObject, SplObjectStorage, ...); a user class
 * with __serialize, __sleep or Serializable chooses what it keeps and is
 * trusted. The encoder finds
 * objects and resources in the same single pass that writes the structural
 * form, and never writes into the value it reads (no recursion flags), so
 * read-only arrays (zend_empty_array, opcache's immutable arrays) are safe.
 */
#ifndef KS_CACHE_VALUE_H
#define KS_CACHE_VALUE_H

#include "php.h"
#include "zend_smart_str.h"

#define KS_CACHE_SER_PHP      0
#define KS_CACHE_SER_IGBINARY 1

typedef enum ks_cache_enc_status {
	KS_CACHE_ENC_OK = 0,
	KS_CACHE_ENC_RESOURCE,     /* the value is or holds a resource */
	KS_CACHE_ENC_SERIALIZER,   /* the serializer failed or threw */
	KS_CACHE_ENC_DEPTH,        /* nested deeper than KS_CACHE_MAX_DEPTH */
	KS_CACHE_ENC_TOOBIG        /* the structural encoding would pass max (nothing past it was copied) */
} ks_cache_enc_status;

#define KS_CACHE_MAX_DEPTH 1024

/* Appends the encoding of v to out (out is reset first). A value encoded
 * structurally stops at max bytes (KS_CACHE_ENC_TOOBIG), so a value larger than a
 * shard costs no copy of itself; a serialized one is as long as the
 * serializer makes it, and the caller checks it against max. May run PHP
 * code (serializers, internal __serialize); call it with no lock held. */
ks_cache_enc_status ks_cache_value_encode(zval *v, smart_str *out, int serializer, size_t max);

/* Builds *out from len bytes at p. Returns SUCCESS, or FAILURE on malformed
 * bytes or a serializer failure (out is then NULL). May run PHP code. */
zend_result ks_cache_value_decode(const char *p, size_t len, zval *out);

#endif
