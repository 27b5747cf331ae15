/*
 * status.c: the names of the status codes, and the error sink (status.h).
 */
#include "redis/status.h"

#include <stdarg.h>
#include <stdio.h>

const char *ks_redis_status_name(ks_redis_status st)
{
	switch (st) {
		case KS_REDIS_OK: return "ok";
		case KS_REDIS_ERR_CONNECT: return "connect";
		case KS_REDIS_ERR_IO: return "io";
		case KS_REDIS_ERR_TIMEOUT: return "timeout";
		case KS_REDIS_ERR_PROTOCOL: return "protocol";
		case KS_REDIS_ERR_AUTH: return "auth";
		case KS_REDIS_ERR_REPLY: return "reply";
		case KS_REDIS_ERR_CONFIG: return "config";
		case KS_REDIS_ERR_OOM: return "oom";
		case KS_REDIS_STATUS_COUNT: break;
	}
	return "unknown";
}

ks_redis_status ks_redis_err_vset(ks_redis_err *e, ks_redis_status st, const char *fmt, va_list ap)
{
	if (*e->st != KS_REDIS_OK) {
		return *e->st;   /* the first cause is the one worth reporting */
	}
	*e->st = st;
	vsnprintf(e->msg, e->msglen, fmt, ap);
	return st;
}

ks_redis_status ks_redis_err_set(ks_redis_err *e, ks_redis_status st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	st = ks_redis_err_vset(e, st, fmt, ap);
	va_end(ap);
	return st;
}
