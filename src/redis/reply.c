/*
 * reply.c: typed replies and the RESP reader (see reply.h).
 *
 * hiredis parses; we build. hiredis's redisReader calls one of our
 * functions for each value it has read (create_string, create_array, ...)
 * with a task that says where the value goes: the root, or slot task->idx
 * of the array being filled (task->parent->obj). So a reply is built once,
 * in our type. On a protocol error, or when a create function returns NULL
 * (out of memory), hiredis frees the half-built root with free_object.
 *
 * hiredis 1.x added RESP3 types and changed two prototypes (an array's size
 * is a size_t, and doubles and booleans have functions of their own). We
 * never send HELLO 3, so no RESP3 value arrives; should one, a map or set
 * is read as an ARRAY, a double as the STRING of its text, a boolean as an
 * INTEGER. Those #if's stay in this file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hiredis/hiredis.h>

#include "redis/reply.h"

#if defined(HIREDIS_MAJOR) && HIREDIS_MAJOR >= 1
# define KS_HIREDIS_1 1
#endif

struct ks_redis_reader {
	redisReader *r;
	char refused[96];   /* why create_array() refused an array, "" otherwise */
};

void ks_redis_reply_free(ks_redis_reply *r)
{
	size_t i;

	if (r == NULL) {
		return;
	}
	for (i = 0; r->kind == KS_REDIS_REPLY_ARRAY && i < r->elements; i++) {
		ks_redis_reply_free(r->element[i]);
	}
	free(r);   /* the string or the element array lives in the same block */
}

ks_redis_reply *ks_redis_reply_take(ks_redis_reply *r, size_t i)
{
	ks_redis_reply *e;

	if (r == NULL || r->kind != KS_REDIS_REPLY_ARRAY || i >= r->elements) {
		return NULL;
	}
	e = r->element[i];
	r->element[i] = NULL;
	return e;
}

bool ks_redis_reply_is_error(const ks_redis_reply *r, const char *prefix)
{
	size_t n = strlen(prefix);

	return r != NULL && r->kind == KS_REDIS_REPLY_ERROR && r->len >= n && memcmp(r->str, prefix, n) == 0;
}

/* The error's first word is `word`. */
static bool error_word(const ks_redis_reply *r, const char *word)
{
	size_t n = strlen(word);

	return ks_redis_reply_is_error(r, word) && (r->len == n || r->str[n] == ' ');
}

bool ks_redis_reply_needs_rediscovery(const ks_redis_reply *r)
{
	return error_word(r, "READONLY") || error_word(r, "MASTERDOWN");
}

const char *ks_redis_reply_kind_name(ks_redis_reply_kind kind)
{
	switch (kind) {
		case KS_REDIS_REPLY_NIL: return "nil";
		case KS_REDIS_REPLY_STRING: return "string";
		case KS_REDIS_REPLY_STATUS: return "status";
		case KS_REDIS_REPLY_ERROR: return "error";
		case KS_REDIS_REPLY_INTEGER: return "integer";
		case KS_REDIS_REPLY_ARRAY: return "array";
	}
	return "unknown";
}

/* Puts r where the task says (the parent array's slot) and returns it. */
static void *attach(const redisReadTask *task, ks_redis_reply *r)
{
	if (r != NULL && task->parent != NULL) {
		ks_redis_reply *parent = task->parent->obj;
		parent->element[task->idx] = r;
	}
	return r;
}

/* A node with `extra` bytes after it in the same block, zeroed. */
static ks_redis_reply *node_new(ks_redis_reply_kind kind, size_t extra)
{
	ks_redis_reply *r;

	if (extra > (size_t)-1 - sizeof(*r)) {
		return NULL;
	}
	r = calloc(1, sizeof(*r) + extra);
	if (r != NULL) {
		r->kind = kind;
	}
	return r;
}

static void *create_string(const redisReadTask *task, char *str, size_t len)
{
	ks_redis_reply_kind kind = task->type == REDIS_REPLY_ERROR ? KS_REDIS_REPLY_ERROR
		: task->type == REDIS_REPLY_STATUS ? KS_REDIS_REPLY_STATUS : KS_REDIS_REPLY_STRING;
	ks_redis_reply *r = len < (size_t)-1 ? node_new(kind, len + 1) : NULL;

	if (r == NULL) {
		return NULL;
	}
	r->str = (char *)(r + 1);
	memcpy(r->str, str, len);
	r->str[len] = '\0';
	r->len = len;
	return attach(task, r);
}

#ifdef KS_HIREDIS_1
static void *create_array(const redisReadTask *task, size_t elements)
#else
static void *create_array(const redisReadTask *task, int elements)
#endif
{
	size_t n = elements > 0 ? (size_t)elements : 0;
	ks_redis_reply *r;

	if (n > KS_REDIS_REPLY_MAX_ELEMENTS) {
		/* A header of a few bytes would make us allocate, and later walk,
		 * 8 bytes per declared element: seconds of a request for a
		 * "*2147483647" from a broken or hostile node, past any timeout. */
		ks_redis_reader *rd = task->privdata;

		if (rd != NULL) {
			snprintf(rd->refused, sizeof(rd->refused), "an array of %zu elements (keepsake reads at most %d)", n,
				KS_REDIS_REPLY_MAX_ELEMENTS);
		}
		return NULL;   /* hiredis puts the reader in error and frees the tree */
	}
	r = node_new(KS_REDIS_REPLY_ARRAY, n * sizeof(r));
	if (r == NULL) {
		return NULL;
	}
	r->element = (ks_redis_reply **)(r + 1);   /* zeroed: a half-read array frees cleanly */
	r->elements = n;
	return attach(task, r);
}

static void *create_integer(const redisReadTask *task, long long value)
{
	ks_redis_reply *r = node_new(KS_REDIS_REPLY_INTEGER, 0);

	if (r == NULL) {
		return NULL;
	}
	r->integer = value;
	return attach(task, r);
}

static void *create_nil(const redisReadTask *task)
{
	return attach(task, node_new(KS_REDIS_REPLY_NIL, 0));
}

#ifdef KS_HIREDIS_1
static void *create_double(const redisReadTask *task, double value, char *str, size_t len)
{
	(void)value;
	return create_string(task, str, len);   /* kind STRING: task->type is DOUBLE */
}

static void *create_bool(const redisReadTask *task, int value)
{
	return create_integer(task, value != 0);
}
#endif

static void free_object(void *obj)
{
	ks_redis_reply_free(obj);
}

static redisReplyObjectFunctions reply_functions = {
	create_string,
	create_array,
	create_integer,
#ifdef KS_HIREDIS_1
	create_double,
#endif
	create_nil,
#ifdef KS_HIREDIS_1
	create_bool,
#endif
	free_object
};

ks_redis_reader *ks_redis_reader_new(void)
{
	ks_redis_reader *rd = malloc(sizeof(*rd));

	if (rd == NULL) {
		return NULL;
	}
	rd->r = redisReaderCreateWithFunctions(&reply_functions);
	if (rd->r == NULL) {
		free(rd);
		return NULL;
	}
	rd->refused[0] = '\0';
	rd->r->privdata = rd;   /* every read task carries it to the create functions */
	return rd;
}

void ks_redis_reader_free(ks_redis_reader *rd)
{
	if (rd != NULL) {
		redisReaderFree(rd->r);
		free(rd);
	}
}

int ks_redis_reader_feed(ks_redis_reader *rd, const char *buf, size_t len)
{
	return redisReaderFeed(rd->r, buf, len) == REDIS_OK ? 0 : -1;
}

int ks_redis_reader_get(ks_redis_reader *rd, ks_redis_reply **out)
{
	void *reply = NULL;

	*out = NULL;
	if (redisReaderGetReply(rd->r, &reply) != REDIS_OK) {
		return -1;
	}
	*out = reply;
	return 0;
}

const char *ks_redis_reader_errstr(const ks_redis_reader *rd)
{
	if (!rd->r->err) {
		return "";
	}
	return rd->refused[0] ? rd->refused : rd->r->errstr;
}

ks_redis_reply *ks_redis_reply_parse(const char *buf, size_t len)
{
	ks_redis_reader *rd = ks_redis_reader_new();
	ks_redis_reply *r = NULL;

	if (rd != NULL && ks_redis_reader_feed(rd, buf, len) == 0) {
		(void)ks_redis_reader_get(rd, &r);
	}
	ks_redis_reader_free(rd);
	return r;
}

#define KS_REDIS_STR2(x) #x
#define KS_REDIS_STR(x) KS_REDIS_STR2(x)

const char *ks_redis_library_version(void)
{
	return KS_REDIS_STR(HIREDIS_MAJOR) "." KS_REDIS_STR(HIREDIS_MINOR) "." KS_REDIS_STR(HIREDIS_PATCH);
}
