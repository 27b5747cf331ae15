/*
 * reply.h: a Redis reply as callers of this layer see it, and the RESP
 * reader that builds it (reply.c).
 *
 * A reply is a tree of ks_redis_reply nodes:
 *
 *   kind      NIL, STRING (bulk), STATUS ("+OK"), ERROR ("-ERR ..."),
 *             INTEGER or ARRAY
 *   str, len  STRING, STATUS, ERROR: len bytes at str, NUL-terminated
 *             (binary-safe: the bytes may hold NULs); NULL and 0 otherwise
 *   integer   INTEGER only
 *   element   ARRAY only: elements entries, each a reply of its own
 *
 * Ownership: a reply and everything under it is malloc()ed (one block per
 * node: the string follows its node in the same block) and freed by
 * ks_redis_reply_free() on the root. A caller may keep an element and free
 * the rest by taking it out first (ks_redis_reply_take).
 *
 * The reader is hiredis's redisReader with our own reply-object functions,
 * so the tree is built directly in this type, never copied from hiredis's
 * redisReply. hiredis is an implementation detail of reply.c: no header of
 * this layer includes it. Only RESP2 is spoken (no HELLO 3), so the RESP3
 * types of hiredis 1.x (double, bool, map, ...) never arrive; should one,
 * a map or set reads as an ARRAY, a double as the STRING of its text and a
 * boolean as an INTEGER (reply.c).
 */
#ifndef KS_REDIS_REPLY_H
#define KS_REDIS_REPLY_H

#include <stddef.h>
#include <stdbool.h>

typedef enum ks_redis_reply_kind {
	KS_REDIS_REPLY_NIL = 0,
	KS_REDIS_REPLY_STRING,
	KS_REDIS_REPLY_STATUS,
	KS_REDIS_REPLY_ERROR,
	KS_REDIS_REPLY_INTEGER,
	KS_REDIS_REPLY_ARRAY
} ks_redis_reply_kind;

typedef struct ks_redis_reply {
	ks_redis_reply_kind kind;
	long long integer;                /* INTEGER */
	size_t len;                       /* bytes at str */
	char *str;                        /* STRING/STATUS/ERROR, NUL-terminated; else NULL */
	size_t elements;                  /* ARRAY */
	struct ks_redis_reply **element;  /* ARRAY: elements entries (an entry may be NULL
	                                     after ks_redis_reply_take) */
} ks_redis_reply;

/* Frees a reply and every element under it. NULL-safe. */
void ks_redis_reply_free(ks_redis_reply *r);

/* Takes element i out of array r (which keeps a NULL there) and returns it;
 * the caller then owns it. NULL when r is not an array or i is out of range. */
ks_redis_reply *ks_redis_reply_take(ks_redis_reply *r, size_t i);

/* True when r is an ERROR reply whose text starts with `prefix` (e.g.
 * "NOSCRIPT", "TRYAGAIN"). False for NULL. */
bool ks_redis_reply_is_error(const ks_redis_reply *r, const char *prefix);

/*
 * True when r is an error reply that says the node can no longer take
 * writes: "READONLY ..." (a demoted master, now a replica) or "MASTERDOWN
 * ..." (a replica cut off from its master). The caller should drop the
 * connection so that the next connect finds the master again.
 */
bool ks_redis_reply_needs_rediscovery(const ks_redis_reply *r);

/* "nil", "string", "status", "error", "integer" or "array", for messages. */
const char *ks_redis_reply_kind_name(ks_redis_reply_kind kind);

/* ---------------------------------------------------------------------
 * The RESP reader: feed it bytes as they arrive, take whole replies out.
 * It does no I/O, so it is tested by feeding it bytes.
 * ------------------------------------------------------------------- */
typedef struct ks_redis_reader ks_redis_reader;   /* opaque (a hiredis redisReader) */

/* The most elements an array reply may declare; a longer one puts the
 * reader in error. The largest this layer reads is CLUSTER SLOTS, at most
 * 16384 ranges; the cap keeps a broken node's "*2147483647" from costing a
 * 16 GB allocation and seconds of walking it. */
#define KS_REDIS_REPLY_MAX_ELEMENTS 65536

/* A new reader, or NULL when out of memory. */
ks_redis_reader *ks_redis_reader_new(void);
/* Frees the reader and any half-read reply. NULL-safe. */
void ks_redis_reader_free(ks_redis_reader *rd);
/* Appends len bytes. Returns 0, or -1 when the reader is in error (see errstr). */
int ks_redis_reader_feed(ks_redis_reader *rd, const char *buf, size_t len);
/*
 * Takes the next whole reply: 0 with *out set (the caller frees it), 0 with
 * *out NULL when more bytes are needed, or -1 when the bytes are not valid
 * RESP (or memory ran out); ks_redis_reader_errstr() then says why, and the
 * reader stays in error.
 */
int ks_redis_reader_get(ks_redis_reader *rd, ks_redis_reply **out);
/* Why the reader failed ("" when it did not). */
const char *ks_redis_reader_errstr(const ks_redis_reader *rd);

/*
 * Parses exactly one reply from buf[0..len): the reply, or NULL when the
 * bytes are not one whole valid reply (or out of memory). For tests and
 * tools that hold a reply's bytes; connections use the reader.
 */
ks_redis_reply *ks_redis_reply_parse(const char *buf, size_t len);

/* The version of the RESP library behind the reader ("1.1.0": hiredis's
 * major.minor.patch), for phpinfo(). A static string. */
const char *ks_redis_library_version(void);

#endif /* KS_REDIS_REPLY_H */
