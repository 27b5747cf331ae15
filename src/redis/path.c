/*
 * path.c: the save_path parser (see ks_redis.h for the syntax).
 *
 * Pure: it reads a string and builds a ks_redis_path with malloc; no I/O,
 * no PHP. Errors name the offending part and its offset so a user can find
 * it in a long save_path; the value of auth is never copied into a message.
 */
#include "redis/ks_redis.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KS_REDIS_DEFAULT_PORT 6379

typedef struct path_err {
	char *buf;
	size_t len;
} path_err;

static int fail(path_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(path_err *e, const char *fmt, ...)
{
	va_list ap;
	if (e->len == 0) {
		return -1;
	}
	va_start(ap, fmt);
	vsnprintf(e->buf, e->len, fmt, ap);
	va_end(ap);
	return -1;
}

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* *dst = strdup(src) when src is set; false only when out of memory. */
static bool dup_opt(char **dst, const char *src)
{
	*dst = NULL;
	return !src || (*dst = strdup(src)) != NULL;
}

int ks_redis_params_copy(ks_redis_params *dst, const ks_redis_params *src)
{
	*dst = *src;
	dst->auth = dst->user = dst->prefix = NULL;
	dst->tls_ca = dst->tls_capath = dst->tls_cert = dst->tls_key = dst->tls_sni = NULL;
	dst->master = dst->sentinels = dst->sentinel_auth = dst->sentinel_user = NULL;
	if (!dup_opt(&dst->auth, src->auth) || !dup_opt(&dst->user, src->user)
		|| !dup_opt(&dst->prefix, src->prefix) || !dup_opt(&dst->tls_ca, src->tls_ca)
		|| !dup_opt(&dst->tls_capath, src->tls_capath) || !dup_opt(&dst->tls_cert, src->tls_cert)
		|| !dup_opt(&dst->tls_key, src->tls_key) || !dup_opt(&dst->tls_sni, src->tls_sni)
		|| !dup_opt(&dst->master, src->master) || !dup_opt(&dst->sentinels, src->sentinels)
		|| !dup_opt(&dst->sentinel_auth, src->sentinel_auth) || !dup_opt(&dst->sentinel_user, src->sentinel_user)) {
		ks_redis_params_dtor(dst);
		return -1;
	}
	return 0;
}

void ks_redis_params_dtor(ks_redis_params *p)
{
	if (!p) {
		return;
	}
	free(p->auth);
	free(p->user);
	free(p->prefix);
	free(p->tls_ca);
	free(p->tls_capath);
	free(p->tls_cert);
	free(p->tls_key);
	free(p->tls_sni);
	free(p->master);
	free(p->sentinels);
	free(p->sentinel_auth);
	free(p->sentinel_user);
	memset(p, 0, sizeof(*p));
}

void ks_redis_path_dtor(ks_redis_path *p)
{
	size_t i;
	if (!p) {
		return;
	}
	for (i = 0; i < p->nhosts; i++) {
		free(p->hosts[i].host);
		ks_redis_params_dtor(&p->hosts[i].params);
	}
	free(p->hosts);
	p->hosts = NULL;
	p->nhosts = 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* %-decodes s[0..n) into a new string ('+' is a space, as in a query). */
static char *url_decode(const char *s, size_t n)
{
	char *d = malloc(n + 1), *o = d;
	size_t i;
	if (!d) {
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n
			&& hexval((unsigned char)s[i + 1]) >= 0 && hexval((unsigned char)s[i + 2]) >= 0) {
			*o++ = (char)(hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2]));
			i += 2;
		} else if (s[i] == '+') {
			*o++ = ' ';
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return d;
}

static bool parse_seconds_ms(const char *v, int *out_ms)
{
	char *end;
	double d;
	errno = 0;
	d = strtod(v, &end);
	if (errno || end == v || *end || !(d > 0) || !isfinite(d) || d > 86400.0 * 365) {
		return false;
	}
	*out_ms = (int)ceil(d * 1000.0);
	return true;
}

static bool parse_long(const char *v, long lo, long hi, long *out)
{
	char *end;
	long l;
	errno = 0;
	l = strtol(v, &end, 10);
	if (errno || end == v || *end || l < lo || l > hi) {
		return false;
	}
	*out = l;
	return true;
}

static bool parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "on") || !strcasecmp(v, "yes")) {
		*out = true;
		return true;
	}
	if (!strcmp(v, "0") || !strcasecmp(v, "false") || !strcasecmp(v, "off") || !strcasecmp(v, "no") || !*v) {
		*out = false;
		return true;
	}
	return false;
}

static int set_str(char **slot, char *v)
{
	free(*slot);
	*slot = v;
	return 0;
}

/* The string field a tls_* key (or its phpredis stream[...] alias) sets, or NULL. */
static char **tls_slot(ks_redis_params *p, const char *key)
{
	if (!strcmp(key, "tls_ca") || !strcmp(key, "stream[cafile]")) return &p->tls_ca;
	if (!strcmp(key, "tls_capath") || !strcmp(key, "stream[capath]")) return &p->tls_capath;
	if (!strcmp(key, "tls_cert") || !strcmp(key, "stream[local_cert]")) return &p->tls_cert;
	if (!strcmp(key, "tls_key") || !strcmp(key, "stream[local_pk]")) return &p->tls_key;
	if (!strcmp(key, "tls_sni") || !strcmp(key, "stream[peer_name]")) return &p->tls_sni;
	return NULL;
}

/*
 * Applies one key=value. `key` and `val` are decoded and owned here (val is
 * consumed). `auth_list` counts auth[] items: the first of two is the user.
 */
static int apply_param(ks_redis_params *p, const char *key, char *val, int *auth_list,
	size_t hostno, size_t off, path_err *e)
{
	long l;
	bool b;
	int ms;

	if (!strcmp(key, "timeout") || !strcmp(key, "read_timeout")) {
		bool conn = key[0] == 't';
		if (!parse_seconds_ms(val, &ms)) {
			fail(e, "bad value for '%s' in host %zu at offset %zu: '%.40s' (want seconds > 0)", key, hostno, off, val);
			goto bad;
		}
		if (conn) {
			p->connect_timeout_ms = ms;
			p->given |= KS_REDIS_P_TIMEOUT;
		} else {
			p->read_timeout_ms = ms;
			p->given |= KS_REDIS_P_READ_TIMEOUT;
		}
	} else if (!strcmp(key, "database")) {
		if (!parse_long(val, 0, INT_MAX, &l)) {
			fail(e, "bad value for 'database' in host %zu at offset %zu: '%.40s' (want an integer >= 0)", hostno, off, val);
			goto bad;
		}
		p->database = l;
		p->given |= KS_REDIS_P_DATABASE;
	} else if (!strcmp(key, "weight")) {
		if (!parse_long(val, 1, INT_MAX, &l)) {
			fail(e, "bad value for 'weight' in host %zu at offset %zu: '%.40s' (want an integer >= 1)", hostno, off, val);
			goto bad;
		}
		p->weight = (int)l;
		p->given |= KS_REDIS_P_WEIGHT;
	} else if (!strcmp(key, "persistent")) {
		if (!parse_bool(val, &b)) {
			fail(e, "bad value for 'persistent' in host %zu at offset %zu: '%.40s' (want 0 or 1)", hostno, off, val);
			goto bad;
		}
		p->persistent = b;
		p->given |= KS_REDIS_P_PERSISTENT;
	} else if (!strcmp(key, "prefix")) {
		set_str(&p->prefix, val);
		p->given |= KS_REDIS_P_PREFIX;
		return 0;
	} else if (!strcmp(key, "user")) {
		set_str(&p->user, val);
		p->given |= KS_REDIS_P_USER;
		return 0;
	} else if (!strcmp(key, "auth")) {
		set_str(&p->auth, val);
		p->given |= KS_REDIS_P_AUTH;
		return 0;
	} else if (!strcmp(key, "auth[]") || !strcmp(key, "auth[0]") || !strcmp(key, "auth[1]")) {
		/* phpredis: auth[]=pass, or auth[]=user&auth[]=pass */
		if (*auth_list == 0) {
			set_str(&p->auth, val);
			p->given |= KS_REDIS_P_AUTH;
		} else if (*auth_list == 1) {
			set_str(&p->user, p->auth);
			p->auth = val;
			p->given |= KS_REDIS_P_USER;
		} else {
			fail(e, "too many 'auth[]' values in host %zu at offset %zu (want [user, password])", hostno, off);
			goto bad;
		}
		(*auth_list)++;
		return 0;
	} else if (!strcmp(key, "master") || !strcmp(key, "service")) {
		if (!*val) {
			fail(e, "empty '%s' in host %zu at offset %zu (want the monitored master's name)", key, hostno, off);
			goto bad;
		}
		set_str(&p->master, val);
		p->given |= KS_REDIS_P_MASTER;
		return 0;
	} else if (!strcmp(key, "sentinel_auth") || !strcmp(key, "sentinel_user")) {
		set_str(key[9] == 'a' ? &p->sentinel_auth : &p->sentinel_user, val);
		p->given |= KS_REDIS_P_SENTINEL_AUTH;
		return 0;
	} else if (tls_slot(p, key) != NULL) {
		set_str(tls_slot(p, key), val);
		p->given |= KS_REDIS_P_TLS;
		return 0;
	} else if (!strcmp(key, "tls_verify") || !strcmp(key, "stream[verify_peer]")) {
		if (!parse_bool(val, &b)) {
			fail(e, "bad value for '%s' in host %zu at offset %zu: '%.40s' (want 0 or 1)", key, hostno, off, val);
			goto bad;
		}
		p->tls_verify = b;
		p->given |= KS_REDIS_P_TLS;
	} else if (!strcmp(key, "persistent_id") || !strcmp(key, "retry_interval")) {
		/* phpredis parameters with no meaning here; accepted for migration */
	} else {
		fail(e, "unknown parameter '%.40s' in host %zu at offset %zu", key, hostno, off);
		goto bad;
	}
	free(val);
	return 0;
bad:
	free(val);
	return -1;
}

/* Parses the query q[0..n) (after '?'); `base` is q's offset in save_path. */
static int parse_query(ks_redis_params *p, const char *q, size_t n, size_t base, size_t hostno, path_err *e)
{
	size_t i = 0;
	int auth_list = 0;
	while (i < n) {
		size_t start = i, eq = (size_t)-1;
		char *key, *val;
		int rc;
		while (i < n && q[i] != '&') {
			if (q[i] == '=' && eq == (size_t)-1) {
				eq = i;
			}
			i++;
		}
		if (i == start) {
			i++;
			continue;   /* "&&" */
		}
		if (eq == (size_t)-1) {
			return fail(e, "parameter without '=' in host %zu at offset %zu: '%.*s'",
				hostno, base + start + 1, (int)(i - start > 40 ? 40 : i - start), q + start);
		}
		key = url_decode(q + start, eq - start);
		val = url_decode(q + eq + 1, i - eq - 1);
		if (!key || !val) {
			free(key);
			free(val);
			return fail(e, "out of memory");
		}
		rc = apply_param(p, key, val, &auth_list, hostno, base + start + 1, e);
		free(key);
		if (rc < 0) {
			return -1;
		}
		i++;
	}
	return 0;
}

static int parse_port(const char *s, size_t n, int *port)
{
	long v = ks_redis_parse_short_decimal(s, n);

	if (v < 1 || v > 65535) {
		return -1;
	}
	*port = (int)v;
	return 0;
}

static const struct {
	const char *prefix;
	ks_redis_scheme scheme;
} schemes[] = {
	{ "tcp://", KS_REDIS_SCHEME_TCP },
	{ "redis://", KS_REDIS_SCHEME_TCP },
	{ "unix://", KS_REDIS_SCHEME_UNIX },
	{ "unix:", KS_REDIS_SCHEME_UNIX },
	{ "file://", KS_REDIS_SCHEME_UNIX },
	{ "tls://", KS_REDIS_SCHEME_TLS },
	{ "ssl://", KS_REDIS_SCHEME_TLS },
	{ "rediss://", KS_REDIS_SCHEME_TLS },
	{ "cluster://", KS_REDIS_SCHEME_CLUSTER },
	{ "sentinel://", KS_REDIS_SCHEME_SENTINEL },
};

static const char *scheme_name(ks_redis_scheme s)
{
	switch (s) {
		case KS_REDIS_SCHEME_TCP: return "tcp";
		case KS_REDIS_SCHEME_UNIX: return "unix";
		case KS_REDIS_SCHEME_TLS: return "tls";
		case KS_REDIS_SCHEME_CLUSTER: return "cluster";
		case KS_REDIS_SCHEME_SENTINEL: return "sentinel";
	}
	return "?";
}

/* Parses one URL u[0..n) that starts at offset `base` of save_path into h. */
static int parse_url(ks_redis_host *h, const char *u, size_t n, size_t base, size_t hostno,
	const ks_redis_params *defaults, ks_redis_scheme inherit, path_err *e)
{
	size_t i, skip = 0, q;
	const char *addr;
	size_t alen;

	h->scheme = inherit;   /* a bare host after sentinel:// or cluster:// is one more of those */
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		size_t pl = strlen(schemes[i].prefix);
		if (n >= pl && !strncasecmp(u, schemes[i].prefix, pl)) {
			h->scheme = schemes[i].scheme;
			skip = pl;
			break;
		}
	}
	if (skip == 0) {
		for (i = 0; i < n && (isalnum((unsigned char)u[i]) || u[i] == '+' || u[i] == '.' || u[i] == '-'); i++);
		if (i + 2 < n && u[i] == ':' && u[i + 1] == '/' && u[i + 2] == '/') {
			return fail(e, "unsupported scheme '%.*s' in host %zu at offset %zu (want tcp://, unix://)",
				(int)(i > 20 ? 20 : i), u, hostno, base + 1);
		}
	}
	if (ks_redis_params_copy(&h->params, defaults) < 0) {
		return fail(e, "out of memory");
	}
	h->params.given = 0;

	/* address part ends at '?' */
	for (q = skip; q < n && u[q] != '?'; q++);
	addr = u + skip;
	alen = q - skip;

	if (h->scheme == KS_REDIS_SCHEME_UNIX) {
		if (alen == 0 || addr[0] != '/') {
			return fail(e, "unix socket path must be absolute in host %zu at offset %zu: '%.*s'",
				hostno, base + skip + 1, (int)(alen > 60 ? 60 : alen), addr);
		}
		if (!(h->host = url_decode(addr, alen))) {
			return fail(e, "out of memory");
		}
		h->port = 0;
	} else {
		const char *hs = addr, *colon = NULL;
		size_t hl = alen;
		if (alen > 0 && addr[0] == '[') {
			const char *rb = memchr(addr, ']', alen);
			if (!rb) {
				return fail(e, "missing ']' after IPv6 address in host %zu at offset %zu", hostno, base + skip + 1);
			}
			hs = addr + 1;
			hl = (size_t)(rb - addr) - 1;
			if ((size_t)(rb - addr) + 1 < alen) {
				if (rb[1] != ':') {
					return fail(e, "unexpected '%c' after ']' in host %zu at offset %zu", rb[1], hostno,
						base + skip + (size_t)(rb - addr) + 2);
				}
				colon = rb + 1;
			}
		} else {
			colon = memchr(addr, ':', alen);
			if (colon) {
				hl = (size_t)(colon - addr);
			}
		}
		if (hl == 0) {
			return fail(e, "missing host name in host %zu at offset %zu", hostno, base + skip + 1);
		}
		for (i = 0; i < hl; i++) {
			unsigned char c = (unsigned char)hs[i];
			if (!(isalnum(c) || c == '.' || c == '-' || c == '_' || c == ':' || c == '%')) {
				return fail(e, "bad character '%c' in host name in host %zu at offset %zu",
					c, hostno, base + (size_t)(hs - u) + i + 1);
			}
		}
		h->port = KS_REDIS_DEFAULT_PORT;
		if (colon) {
			size_t pl = alen - (size_t)(colon + 1 - addr);
			if (parse_port(colon + 1, pl, &h->port) < 0) {
				return fail(e, "bad port in host %zu at offset %zu: '%.*s' (want 1..65535)",
					hostno, base + (size_t)(colon + 1 - u) + 1, (int)(pl > 20 ? 20 : pl), colon + 1);
			}
		}
		if (!(h->host = dup_n(hs, hl))) {
			return fail(e, "out of memory");
		}
	}
	if (q < n && parse_query(&h->params, u + q + 1, n - q - 1, base + q + 1, hostno, e) < 0) {
		return -1;
	}
	if (h->params.user && *h->params.user && (!h->params.auth || !*h->params.auth)) {
		return fail(e, "'user' without 'auth' in host %zu (ACL login needs both)", hostno);
	}
	if ((h->params.given & KS_REDIS_P_MASTER) && h->scheme != KS_REDIS_SCHEME_SENTINEL) {
		return fail(e, "'master' in host %zu, which is not a sentinel:// host", hostno);
	}
	if ((h->params.given & KS_REDIS_P_SENTINEL_AUTH) && h->scheme != KS_REDIS_SCHEME_SENTINEL) {
		return fail(e, "'sentinel_auth'/'sentinel_user' in host %zu, which is not a sentinel:// host", hostno);
	}
	if (h->scheme == KS_REDIS_SCHEME_SENTINEL && h->params.sentinel_user && *h->params.sentinel_user
		&& (!h->params.sentinel_auth || !*h->params.sentinel_auth)) {
		return fail(e, "'sentinel_user' without 'sentinel_auth' in host %zu (ACL login needs both)", hostno);
	}
	/* On cluster:// they switch every node connection to TLS (docs/topology.md). */
	if ((h->params.given & KS_REDIS_P_TLS) && h->scheme != KS_REDIS_SCHEME_TLS && h->scheme != KS_REDIS_SCHEME_CLUSTER) {
		return fail(e, "tls_* parameters in host %zu, which is not a tls:// host (nor cluster://)", hostno);
	}
	if (h->params.tls_key && !h->params.tls_cert) {
		return fail(e, "'tls_key' without 'tls_cert' in host %zu (mutual TLS needs the certificate)", hostno);
	}
	if (h->scheme == KS_REDIS_SCHEME_UNIX) {
		snprintf(h->desc, sizeof(h->desc), "unix://%s", h->host);
	} else if (strchr(h->host, ':')) {
		snprintf(h->desc, sizeof(h->desc), "%s://[%s]:%d", scheme_name(h->scheme), h->host, h->port);
	} else {
		snprintf(h->desc, sizeof(h->desc), "%s://%s:%d", scheme_name(h->scheme), h->host, h->port);
	}
	return 0;
}

int ks_redis_path_parse(const char *s, size_t len, const ks_redis_params *defaults,
	ks_redis_path *out, char *err, size_t errlen)
{
	path_err e = { err, errlen };
	size_t i = 0, cap = 0;

	memset(out, 0, sizeof(*out));
	if (errlen) {
		err[0] = '\0';
	}
	while (i < len) {
		size_t start;
		ks_redis_host *h;
		while (i < len && (s[i] == ',' || isspace((unsigned char)s[i]))) {
			i++;
		}
		if (i >= len) {
			break;
		}
		start = i;
		while (i < len && s[i] != ',' && !isspace((unsigned char)s[i])) {
			if (s[i] == '\0') {
				fail(&e, "NUL byte at offset %zu", i + 1);
				goto fail;
			}
			i++;
		}
		if (out->nhosts == cap) {
			size_t ncap = cap ? cap * 2 : 2;
			ks_redis_host *nh = realloc(out->hosts, ncap * sizeof(*nh));
			if (!nh) {
				fail(&e, "out of memory");
				goto fail;
			}
			out->hosts = nh;
			cap = ncap;
		}
		h = &out->hosts[out->nhosts];
		memset(h, 0, sizeof(*h));
		out->nhosts++;
		if (parse_url(h, s + start, i - start, start, out->nhosts, defaults,
			out->nhosts > 1 && (h[-1].scheme == KS_REDIS_SCHEME_SENTINEL || h[-1].scheme == KS_REDIS_SCHEME_CLUSTER)
				? h[-1].scheme : KS_REDIS_SCHEME_TCP, &e) < 0) {
			goto fail;
		}
	}
	if (out->nhosts == 0) {
		fail(&e, "no host given (want e.g. tcp://127.0.0.1:6379)");
		goto fail;
	}
	return 0;
fail:
	ks_redis_path_dtor(out);
	return -1;
}
