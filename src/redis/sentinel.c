/*
 * sentinel.c: parsing Sentinel's and ROLE's replies.
 */
#include <stdio.h>
#include <string.h>

#include "redis/sentinel.h"



ks_redis_sentinel_answer ks_redis_sentinel_parse_master_addr(const ks_redis_reply *reply,
	ks_redis_endpoint *out, char *err, size_t errlen)
{
	const ks_redis_reply *host, *port;
	long long p;

	if (reply == NULL) {
		snprintf(err, errlen, "no reply");
		return KS_REDIS_SENTINEL_ERROR;
	}
	if (reply->kind == KS_REDIS_REPLY_NIL) {
		return KS_REDIS_SENTINEL_UNKNOWN;
	}
	if (reply->kind == KS_REDIS_REPLY_ERROR) {
		snprintf(err, errlen, "%.*s", (int)(reply->len > 200 ? 200 : reply->len), reply->str);
		return KS_REDIS_SENTINEL_ERROR;
	}
	if (reply->kind != KS_REDIS_REPLY_ARRAY || reply->elements != 2) {
		snprintf(err, errlen, "reply is not [host, port]");
		return KS_REDIS_SENTINEL_ERROR;
	}
	host = reply->element[0];
	port = reply->element[1];
	if (host->kind != KS_REDIS_REPLY_STRING || host->len == 0) {
		snprintf(err, errlen, "reply's host is not a non-empty string");
		return KS_REDIS_SENTINEL_ERROR;
	}
	if (port->kind == KS_REDIS_REPLY_INTEGER) {
		p = port->integer;
	} else if (port->kind == KS_REDIS_REPLY_STRING) {
		p = ks_redis_parse_short_decimal(port->str, port->len);
	} else {
		p = -1;
	}
	if (ks_redis_endpoint_set(out, host->str, host->len, p, err, errlen) != 0) {
		return KS_REDIS_SENTINEL_ERROR;
	}
	return KS_REDIS_SENTINEL_FOUND;
}

ks_redis_role ks_redis_parse_role(const ks_redis_reply *reply)
{
	const ks_redis_reply *first;

	if (reply == NULL || reply->kind != KS_REDIS_REPLY_ARRAY || reply->elements == 0) {
		return KS_REDIS_ROLE_UNKNOWN;
	}
	first = reply->element[0];
	if (first->kind != KS_REDIS_REPLY_STRING && first->kind != KS_REDIS_REPLY_STATUS) {
		return KS_REDIS_ROLE_UNKNOWN;
	}
	if (first->len == 6 && memcmp(first->str, "master", 6) == 0) {
		return KS_REDIS_ROLE_MASTER;
	}
	if ((first->len == 5 && memcmp(first->str, "slave", 5) == 0) ||
		(first->len == 7 && memcmp(first->str, "replica", 7) == 0)) {
		return KS_REDIS_ROLE_REPLICA;
	}
	if (first->len == 8 && memcmp(first->str, "sentinel", 8) == 0) {
		return KS_REDIS_ROLE_SENTINEL;
	}
	return KS_REDIS_ROLE_UNKNOWN;
}

const char *ks_redis_role_name(ks_redis_role role)
{
	switch (role) {
		case KS_REDIS_ROLE_MASTER: return "master";
		case KS_REDIS_ROLE_REPLICA: return "replica";
		case KS_REDIS_ROLE_SENTINEL: return "sentinel";
		default: return "unknown";
	}
}

void ks_redis_sentinel_prefer(size_t *order, size_t n, size_t at)
{
	size_t chosen;

	if (at == 0 || at >= n) {
		return;
	}
	chosen = order[at];
	memmove(order + 1, order, at * sizeof(*order));
	order[0] = chosen;
}
