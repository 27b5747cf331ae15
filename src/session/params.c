/*
 * params.c: the session layer's own save_path parameters (the O rows of
 * ks_sess_params.h), parsed through the Redis parser's extension.
 *
 * The parser calls back per host: host_begin gives each host a copy of
 * the defaults, apply stores a value, host_end checks the rules between
 * a host and the session's keys. Every host's values are kept until the
 * parse ends, as the host that speaks for the path (on sentinel://, the
 * one that carries master=) is only known then. Pure: malloc, no PHP.
 */
#include "session/ks_sess_params.h"
#include "redis/path.h"
#include "session/ks_sess_keys.h"   /* KS_SESS_MAX_MS */

#include <errno.h>
#include <limits.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum own_kind { OWN_BOOL, OWN_STR, OWN_UINT, OWN_MS } own_kind;

typedef struct own_def {
	const char *name;
	own_kind kind;
	size_t off;   /* of the field in ks_sess_own_params */
} own_def;

#define OWN_DEF_C(setting, kind, def, field)
#define OWN_DEF_O(name, kind, def) { #name, OWN_##kind, offsetof(ks_sess_own_params, name) },
static const own_def own_defs[] = { KS_SESS_PARAM_TABLE(OWN_DEF_C, OWN_DEF_O) };
#undef OWN_DEF_C
#undef OWN_DEF_O
#define NOWN (sizeof(own_defs) / sizeof(own_defs[0]))

#define OWN_NAME_C(setting, kind, def, field)
#define OWN_NAME_O(name, kind, def) #name,
static const char *const own_names[] = { KS_SESS_PARAM_TABLE(OWN_NAME_C, OWN_NAME_O) };
#undef OWN_NAME_C
#undef OWN_NAME_O

static char **str_field(ks_sess_own_params *p, const own_def *d)
{
	return (char **)((char *)p + d->off);
}

void ks_sess_own_params_dtor(ks_sess_own_params *p)
{
	size_t i;

	if (!p) {
		return;
	}
	for (i = 0; i < NOWN; i++) {
		if (own_defs[i].kind == OWN_STR) {
			free(*str_field(p, &own_defs[i]));
		}
	}
	memset(p, 0, sizeof(*p));
}

int ks_sess_own_params_copy(ks_sess_own_params *dst, const ks_sess_own_params *src)
{
	size_t i;
	bool ok = true;

	*dst = *src;
	for (i = 0; i < NOWN; i++) {   /* forget src's pointers first, so a failure frees only ours */
		if (own_defs[i].kind == OWN_STR) {
			*str_field(dst, &own_defs[i]) = NULL;
		}
	}
	for (i = 0; ok && i < NOWN; i++) {
		const char *s = *(char *const *)((const char *)src + own_defs[i].off);

		if (own_defs[i].kind == OWN_STR && s) {
			ok = (*str_field(dst, &own_defs[i]) = strdup(s)) != NULL;
		}
	}
	if (!ok) {
		ks_sess_own_params_dtor(dst);
		return -1;
	}
	return 0;
}

/* The extension's state: every host's own parameters so far. */
typedef struct own_ctx {
	const ks_sess_own_params *defaults;
	ks_sess_own_params *hosts;   /* malloc'd, n used of cap */
	size_t n, cap;
} own_ctx;

static int own_host_begin(void *vctx, size_t hostno)
{
	own_ctx *c = vctx;

	if (hostno != c->n + 1) {
		return -1;   /* not reached: the parser numbers hosts 1, 2, ... */
	}
	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 2;
		ks_sess_own_params *nh = realloc(c->hosts, ncap * sizeof(*nh));

		if (!nh) {
			return -1;
		}
		c->hosts = nh;
		c->cap = ncap;
	}
	if (ks_sess_own_params_copy(&c->hosts[c->n], c->defaults) < 0) {
		return -1;
	}
	c->n++;
	return 0;
}

static int own_apply(void *vctx, size_t hostno, size_t idx, const char *value, const char **want)
{
	own_ctx *c = vctx;
	ks_sess_own_params *p = &c->hosts[hostno - 1];
	const own_def *d = &own_defs[idx];
	char *copy;

	if (d->kind == OWN_UINT || d->kind == OWN_MS) {
		long lo = d->kind == OWN_MS ? 1 : 0, hi = d->kind == OWN_MS ? KS_SESS_MAX_MS : INT_MAX, l;
		char *end;

		errno = 0;
		l = strtol(value, &end, 10);
		if (!*value || *end || errno || l < lo || l > hi) {
			*want = d->kind == OWN_MS ? "an integer >= 1 (milliseconds)" : "an integer >= 0";
			return -1;
		}
		*(long *)((char *)p + d->off) = l;
		return 0;
	}
	if (d->kind == OWN_BOOL) {
		if (!ks_redis_param_bool(value, (bool *)((char *)p + d->off))) {
			*want = "0 or 1";
			return -1;
		}
		return 0;
	}
	if (!(copy = strdup(value))) {
		return -2;
	}
	free(*str_field(p, d));
	*str_field(p, d) = copy;
	return 0;
}

/* Redis Cluster hashes the first {...} of a key: in the prefix, it would
 * route every key by the prefix instead of by the session id. */
static int own_host_end(void *vctx, size_t hostno, const ks_redis_host *h, char *err, size_t errlen)
{
	own_ctx *c = vctx;
	const char *prefix = c->hosts[hostno - 1].prefix;

	if (h->scheme == KS_REDIS_SCHEME_CLUSTER && prefix && strpbrk(prefix, "{}")) {
		snprintf(err, errlen, "the key prefix of host %zu contains '{' or '}' (from prefix= or keepsake.session.prefix): "
			"on cluster:// the hash tag of every key must be the session id, which keepsake adds", hostno);
		return -1;
	}
	return 0;
}

/* The host whose own parameters apply to every session of the path. */
static size_t speaking_host(const ks_redis_path *path)
{
	size_t i;

	if (path->hosts[0].scheme == KS_REDIS_SCHEME_CLUSTER) {
		return path->nhosts - 1;   /* the query is written once, at the end */
	}
	for (i = 0; path->hosts[0].scheme == KS_REDIS_SCHEME_SENTINEL && i < path->nhosts; i++) {
		if (path->hosts[i].params.master) {
			return i;
		}
	}
	return 0;
}

int ks_sess_path_parse(const char *s, size_t len, const ks_redis_params *conn_defaults,
	const ks_sess_own_params *own_defaults, ks_redis_path *path, ks_sess_own_params *own,
	char *err, size_t errlen)
{
	own_ctx c = { own_defaults, NULL, 0, 0 };
	ks_redis_path_ext ext = {
		own_names, NOWN, own_host_begin, own_apply, own_host_end,
		", or in keepsake.session.auth", &c
	};
	size_t i, keep = 0;
	int rc = ks_redis_path_parse(s, len, conn_defaults, &ext, path, err, errlen);

	memset(own, 0, sizeof(*own));
	if (rc == 0) {
		keep = speaking_host(path);
		*own = c.hosts[keep];   /* moved: not freed below */
	}
	for (i = 0; i < c.n; i++) {
		if (rc != 0 || i != keep) {
			ks_sess_own_params_dtor(&c.hosts[i]);
		}
	}
	free(c.hosts);
	return rc;
}
