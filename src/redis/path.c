/*
 * path.c: the save_path parser (see path.h for the syntax).
 *
 * Pure: it reads a string and builds a ks_redis_path with malloc; no I/O,
 * no PHP. Errors name the offending part (a parameter keepsake knows, or
 * "port", "host name", ...) and its 1-based offset, so a user can find it
 * in a long save_path, but never copy text from the save_path itself: a
 * password with an unencoded '&', ',' or '@' spills into the neighbouring
 * parts, so any of them may hold a piece of it.
 *
 * Only query values are %-decoded ('+' is a space there, as in a form);
 * host names, ports and socket paths are taken as written.
 */
#include "redis/path.h"

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

typedef enum decode_rc {
	DECODE_OK = 0,
	DECODE_OOM,
	DECODE_BAD_ESCAPE,   /* '%' not followed by two hex digits */
	DECODE_NUL           /* decodes to a NUL byte, which would cut the value short */
} decode_rc;

/*
 * %-decodes the query value s[0..n) into a new string at *out ('+' is a
 * space, as in a query). A '%' must start a %XX escape: a stray one is an
 * error rather than a literal, so "100%41" cannot silently become "100A"
 * when the user meant the characters as written (they write %25 instead).
 * On an error *out is NULL and *at is the offset of the bad escape in s.
 */
static decode_rc query_decode(const char *s, size_t n, char **out, size_t *at)
{
	char *d, *o;
	size_t i;

	*out = NULL;
	*at = 0;
	if (!(d = malloc(n + 1))) {
		return DECODE_OOM;
	}
	for (i = 0, o = d; i < n; i++) {
		if (s[i] == '%') {
			int hi = i + 2 < n ? hexval((unsigned char)s[i + 1]) : -1;
			int lo = i + 2 < n ? hexval((unsigned char)s[i + 2]) : -1;

			if (hi < 0 || lo < 0) {
				free(d);
				*at = i;
				return DECODE_BAD_ESCAPE;
			}
			if (hi == 0 && lo == 0) {
				free(d);
				*at = i;
				return DECODE_NUL;
			}
			*o++ = (char)(hi * 16 + lo);
			i += 2;
		} else if (s[i] == '+') {
			*o++ = ' ';
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	*out = d;
	return DECODE_OK;
}

/* Seconds (> 0, at most KS_REDIS_MAX_TIMEOUT_S) into whole milliseconds. */
static bool parse_seconds_ms(const char *v, int *out_ms)
{
	char *end;
	double d;
	errno = 0;
	d = strtod(v, &end);
	if (errno || end == v || *end || !(d > 0) || !isfinite(d) || d > KS_REDIS_MAX_TIMEOUT_S) {
		return false;
	}
	*out_ms = ks_redis_seconds_to_ms(d);
	return true;
}

int ks_redis_seconds_to_ms(double seconds)
{
	/* At most 86 400 000, which fits an int. */
	double d = seconds * 1000.0;

	return (int)(fabs(d - round(d)) < 1e-6 ? round(d) : ceil(d));
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

static void set_str(char **slot, char *v)
{
	free(*slot);
	*slot = v;
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

/* Every parameter name the query may use (tls_slot's and the rest). */
static const char *const known_keys[] = {
	"timeout", "read_timeout", "database", "weight", "persistent", "prefix", "user", "auth",
	"auth[]", "auth[0]", "auth[1]", "master", "service", "sentinel_auth", "sentinel_user",
	"tls_ca", "tls_capath", "tls_cert", "tls_key", "tls_sni", "tls_verify",
	"stream[cafile]", "stream[capath]", "stream[local_cert]", "stream[local_pk]",
	"stream[peer_name]", "stream[verify_peer]", "persistent_id", "retry_interval",
};

/* key when it is a parameter keepsake knows (safe to quote), else NULL. */
static const char *known_param(const char *key)
{
	size_t i;
	for (i = 0; i < sizeof(known_keys) / sizeof(known_keys[0]); i++) {
		if (!strcmp(key, known_keys[i])) {
			return known_keys[i];
		}
	}
	return NULL;
}

/* Where a parameter sits, for messages: its name is one keepsake knows
 * (never the raw key), `off` the 1-based offset of the key in save_path. */
typedef struct param_pos {
	size_t hostno;
	size_t off;
} param_pos;

static int bad_value(path_err *e, const char *key, const param_pos *at, const char *want)
{
	return fail(e, "bad value for '%s' in host %zu at offset %zu (want %s)", key, at->hostno, at->off, want);
}

/* The string parameters: a slot in p and the bit saying it was given. */
static bool string_param(ks_redis_params *p, const char *key, char ***slot, unsigned *bit)
{
	if (!strcmp(key, "prefix")) {
		*slot = &p->prefix, *bit = KS_REDIS_P_PREFIX;
	} else if (!strcmp(key, "user")) {
		*slot = &p->user, *bit = KS_REDIS_P_USER;
	} else if (!strcmp(key, "auth")) {
		*slot = &p->auth, *bit = KS_REDIS_P_AUTH;
	} else if (!strcmp(key, "sentinel_auth")) {
		*slot = &p->sentinel_auth, *bit = KS_REDIS_P_SENTINEL_AUTH;
	} else if (!strcmp(key, "sentinel_user")) {
		*slot = &p->sentinel_user, *bit = KS_REDIS_P_SENTINEL_AUTH;
	} else if ((*slot = tls_slot(p, key)) != NULL) {
		*bit = KS_REDIS_P_TLS;
	} else {
		return false;
	}
	return true;
}

/* The numeric and boolean parameters. Returns 1 applied, 0 not one of them, -1 bad value. */
static int scalar_param(ks_redis_params *p, const char *key, const char *val, const param_pos *at, path_err *e)
{
	long l;
	bool b;
	int ms;

	if (!strcmp(key, "timeout") || !strcmp(key, "read_timeout")) {
		if (!parse_seconds_ms(val, &ms)) {
			return fail(e, "bad value for '%s' in host %zu at offset %zu (want seconds > 0, at most %d)",
				key, at->hostno, at->off, KS_REDIS_MAX_TIMEOUT_S);
		}
		if (key[0] == 't') {
			p->connect_timeout_ms = ms;
			p->given |= KS_REDIS_P_TIMEOUT;
		} else {
			p->read_timeout_ms = ms;
			p->given |= KS_REDIS_P_READ_TIMEOUT;
		}
	} else if (!strcmp(key, "database")) {
		if (!parse_long(val, 0, INT_MAX, &l)) {
			return bad_value(e, key, at, "an integer >= 0");
		}
		p->database = l;
		p->given |= KS_REDIS_P_DATABASE;
	} else if (!strcmp(key, "weight")) {
		if (!parse_long(val, 1, INT_MAX, &l)) {
			return bad_value(e, key, at, "an integer >= 1");
		}
		p->weight = (int)l;
		p->given |= KS_REDIS_P_WEIGHT;
	} else if (!strcmp(key, "persistent") || !strcmp(key, "tls_verify") || !strcmp(key, "stream[verify_peer]")) {
		if (!parse_bool(val, &b)) {
			return bad_value(e, key, at, "0 or 1");
		}
		if (key[0] == 'p') {
			p->persistent = b;
			p->given |= KS_REDIS_P_PERSISTENT;
		} else {
			p->tls_verify = b;
			p->given |= KS_REDIS_P_TLS;
		}
	} else if (!strcmp(key, "persistent_id") || !strcmp(key, "retry_interval")) {
		/* phpredis parameters with no meaning here; accepted for migration */
	} else {
		return 0;
	}
	return 1;
}

/*
 * Applies one key=value. `key` is as written, `val` decoded and consumed
 * here. `auth_list` counts auth[] items: the first of two is the user.
 */
static int apply_param(ks_redis_params *p, const char *key, char *val, int *auth_list,
	const param_pos *at, path_err *e)
{
	char **slot;
	unsigned bit;
	int rc;

	if (string_param(p, key, &slot, &bit)) {
		set_str(slot, val);
		p->given |= bit;
		return 0;
	}
	if (!strcmp(key, "auth[]") || !strcmp(key, "auth[0]") || !strcmp(key, "auth[1]")) {
		/* phpredis: auth[]=pass, or auth[]=user&auth[]=pass */
		if (*auth_list == 0) {
			set_str(&p->auth, val);
			p->given |= KS_REDIS_P_AUTH;
		} else if (*auth_list == 1) {
			set_str(&p->user, p->auth);
			p->auth = val;
			p->given |= KS_REDIS_P_USER;
		} else {
			free(val);
			return fail(e, "too many 'auth[]' values in host %zu at offset %zu (want [user, password])",
				at->hostno, at->off);
		}
		(*auth_list)++;
		return 0;
	}
	if (!strcmp(key, "master") || !strcmp(key, "service")) {
		if (!*val) {
			free(val);
			return fail(e, "empty '%s' in host %zu at offset %zu (want the monitored master's name)",
				key, at->hostno, at->off);
		}
		set_str(&p->master, val);
		p->given |= KS_REDIS_P_MASTER;
		return 0;
	}
	rc = scalar_param(p, key, val, at, e);
	free(val);
	if (rc == 0) {   /* not reached: parse_query passes known keys only */
		return fail(e, "unknown parameter in host %zu at offset %zu", at->hostno, at->off);
	}
	return rc < 0 ? -1 : 0;
}

/* Parses the query q[0..n) (after '?'); `base` is q's offset in save_path. */
static int parse_query(ks_redis_params *p, const char *q, size_t n, size_t base, size_t hostno, path_err *e)
{
	size_t i = 0;
	int auth_list = 0;
	while (i < n) {
		size_t start = i, eq = (size_t)-1, bad;
		param_pos at = { hostno, base + i + 1 };
		char *key, *val;
		decode_rc drc;

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
			return fail(e, "parameter without '=' in host %zu at offset %zu (if a value holds '&', write it as %%26)",
				hostno, at.off);
		}
		if (!(key = dup_n(q + start, eq - start))) {
			return fail(e, "out of memory");
		}
		if (!known_param(key)) {
			free(key);
			/* Not quoted: with an unencoded '&' in a password, the "key" is its tail. */
			return fail(e, "unknown parameter in host %zu at offset %zu (if a value holds '&', write it as %%26)",
				hostno, at.off);
		}
		drc = query_decode(q + eq + 1, i - eq - 1, &val, &bad);
		if (drc != DECODE_OK) {
			const char *name = known_param(key);
			size_t where = base + eq + 1 + bad + 1;

			free(key);
			if (drc == DECODE_OOM) {
				return fail(e, "out of memory");
			}
			return fail(e, drc == DECODE_NUL ? "%%00 (a NUL byte) in the value of '%s' in host %zu at offset %zu"
				: "bad %%-escape in the value of '%s' in host %zu at offset %zu (want %%XX; write '%%' as %%25)",
				name, hostno, where);
		}
		if (apply_param(p, key, val, &auth_list, &at, e) < 0) {
			free(key);
			return -1;
		}
		free(key);
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

/*
 * The scheme u[0..n) starts with, and its length in *skip (0 when the URL
 * has none: a bare host). -1 for an unknown "xyz://", which is an error
 * rather than a host named "xyz".
 */
static int match_scheme(const char *u, size_t n, ks_redis_scheme *scheme, size_t *skip)
{
	size_t i;

	*skip = 0;
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		size_t pl = strlen(schemes[i].prefix);
		if (n >= pl && !strncasecmp(u, schemes[i].prefix, pl)) {
			*scheme = schemes[i].scheme;
			*skip = pl;
			return 0;
		}
	}
	for (i = 0; i < n && (isalnum((unsigned char)u[i]) || u[i] == '+' || u[i] == '.' || u[i] == '-'); i++);
	return i + 2 < n && u[i] == ':' && u[i + 1] == '/' && u[i + 2] == '/' ? -1 : 0;
}

/*
 * host[:port] or [v6][:port] from addr[0..alen), which starts at offset
 * `off` (0-based) of save_path, into h->host and h->port.
 */
static int parse_inet_addr(ks_redis_host *h, const char *addr, size_t alen, size_t off, size_t hostno, path_err *e)
{
	const char *hs = addr, *colon = NULL, *at = memchr(addr, '@', alen);
	size_t hl = alen, i;

	if (at) {
		/* Not quoted: what comes before '@' is a user and a password. */
		return fail(e, "credentials before '@' in host %zu at offset %zu are not supported: "
			"give the password as auth= (and user=), or in keepsake.session.auth", hostno, off + 1);
	}
	if (alen > 0 && addr[0] == '[') {
		const char *rb = memchr(addr, ']', alen);
		if (!rb) {
			return fail(e, "missing ']' after IPv6 address in host %zu at offset %zu", hostno, off + 1);
		}
		hs = addr + 1;
		hl = (size_t)(rb - addr) - 1;
		if ((size_t)(rb - addr) + 1 < alen) {
			if (rb[1] != ':') {
				return fail(e, "unexpected character after ']' in host %zu at offset %zu", hostno,
					off + (size_t)(rb - addr) + 2);
			}
			colon = rb + 1;
		}
	} else if ((colon = memchr(addr, ':', alen)) != NULL) {
		hl = (size_t)(colon - addr);
	}
	if (hl == 0) {
		return fail(e, "missing host name in host %zu at offset %zu", hostno, off + 1);
	}
	if (hl >= KS_REDIS_HOST_MAX) {   /* DNS allows 253; every later layer holds 255 */
		return fail(e, "host name of host %zu at offset %zu is longer than %d bytes", hostno,
			off + (size_t)(hs - addr) + 1, KS_REDIS_HOST_MAX - 1);
	}
	for (i = 0; i < hl; i++) {
		unsigned char c = (unsigned char)hs[i];
		if (!(isalnum(c) || c == '.' || c == '-' || c == '_' || c == ':' || c == '%')) {
			return fail(e, "bad character in the host name of host %zu at offset %zu", hostno,
				off + (size_t)(hs - addr) + i + 1);
		}
	}
	h->port = KS_REDIS_DEFAULT_PORT;
	if (colon && parse_port(colon + 1, alen - (size_t)(colon + 1 - addr), &h->port) < 0) {
		return fail(e, "bad port in host %zu at offset %zu (want 1..65535)", hostno,
			off + (size_t)(colon + 1 - addr) + 1);
	}
	if (!(h->host = dup_n(hs, hl))) {
		return fail(e, "out of memory");
	}
	return 0;
}

/* Rules between parameters of one host, checked once its query is parsed. */
static int check_host_params(const ks_redis_host *h, size_t hostno, path_err *e)
{
	const ks_redis_params *p = &h->params;

	if (p->user && *p->user && (!p->auth || !*p->auth)) {
		return fail(e, "'user' without 'auth' in host %zu (ACL login needs both)", hostno);
	}
	if ((p->given & KS_REDIS_P_MASTER) && h->scheme != KS_REDIS_SCHEME_SENTINEL) {
		return fail(e, "'master' in host %zu, which is not a sentinel:// host", hostno);
	}
	if ((p->given & KS_REDIS_P_SENTINEL_AUTH) && h->scheme != KS_REDIS_SCHEME_SENTINEL) {
		return fail(e, "'sentinel_auth'/'sentinel_user' in host %zu, which is not a sentinel:// host", hostno);
	}
	if (h->scheme == KS_REDIS_SCHEME_SENTINEL && p->sentinel_user && *p->sentinel_user
		&& (!p->sentinel_auth || !*p->sentinel_auth)) {
		return fail(e, "'sentinel_user' without 'sentinel_auth' in host %zu (ACL login needs both)", hostno);
	}
	/* On cluster:// they switch every node connection to TLS (docs/topology.md). */
	if ((p->given & KS_REDIS_P_TLS) && h->scheme != KS_REDIS_SCHEME_TLS && h->scheme != KS_REDIS_SCHEME_CLUSTER) {
		return fail(e, "tls_* parameters in host %zu, which is not a tls:// host (nor cluster://)", hostno);
	}
	if (p->tls_key && !p->tls_cert) {
		return fail(e, "'tls_key' without 'tls_cert' in host %zu (mutual TLS needs the certificate)", hostno);
	}
	/* Redis Cluster hashes the first {...} of a key: in the prefix, it would
	 * route every key by the prefix instead of by the session id. */
	if (h->scheme == KS_REDIS_SCHEME_CLUSTER && p->prefix && strpbrk(p->prefix, "{}")) {
		return fail(e, "the key prefix of host %zu contains '{' or '}' (from prefix= or keepsake.session.prefix): "
			"on cluster:// the hash tag of every key must be the session id, which keepsake adds", hostno);
	}
	return 0;
}

/*
 * Parses one URL u[0..n) that starts at offset `base` of save_path into h.
 * `inherit` is the scheme of a bare host; `after_query` says the previous
 * URL had a query, after which a bare host is refused (see the caller).
 */
static int parse_url(ks_redis_host *h, const char *u, size_t n, size_t base, size_t hostno,
	const ks_redis_params *defaults, ks_redis_scheme inherit, bool after_query, path_err *e)
{
	size_t skip, q;

	h->scheme = inherit;   /* a bare host after sentinel:// or cluster:// is one more of those */
	if (match_scheme(u, n, &h->scheme, &skip) < 0) {
		return fail(e, "unsupported scheme in host %zu at offset %zu "
			"(want tcp://, redis://, unix://, tls://, rediss://, cluster:// or sentinel://)", hostno, base + 1);
	}
	if (skip == 0 && after_query) {
		/* "?auth=pa,ss" would otherwise make a host of the password's tail. */
		return fail(e, "host %zu at offset %zu has no scheme and follows a host with parameters: "
			"write a ',' or space inside a parameter value as %%2C or %%20, and start each further host "
			"with its scheme (tcp://...)", hostno, base + 1);
	}
	if (ks_redis_params_copy(&h->params, defaults) < 0) {
		return fail(e, "out of memory");
	}
	h->params.given = 0;

	for (q = skip; q < n && u[q] != '?'; q++);   /* the address ends at '?' */
	if (h->scheme == KS_REDIS_SCHEME_UNIX) {
		/* Taken as written: a '+' or '%' is part of the file name. */
		if (q == skip || u[skip] != '/') {
			return fail(e, "unix socket path must be absolute in host %zu at offset %zu", hostno, base + skip + 1);
		}
		if (!(h->host = dup_n(u + skip, q - skip))) {
			return fail(e, "out of memory");
		}
		h->port = 0;
	} else if (parse_inet_addr(h, u + skip, q - skip, base + skip, hostno, e) < 0) {
		return -1;
	}
	if (q < n && parse_query(&h->params, u + q + 1, n - q - 1, base + q + 1, hostno, e) < 0) {
		return -1;
	}
	if (check_host_params(h, hostno, e) < 0) {
		return -1;
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

/* sentinel:// and cluster:// save paths list only hosts of their own
 * scheme; tcp://, tls:// and unix:// hosts mix freely in a ring. */
static bool scheme_is_topology(ks_redis_scheme s)
{
	return s == KS_REDIS_SCHEME_SENTINEL || s == KS_REDIS_SCHEME_CLUSTER;
}

static int check_schemes(const ks_redis_path *p, path_err *e)
{
	ks_redis_scheme first = p->hosts[0].scheme;
	size_t i;

	for (i = 1; i < p->nhosts; i++) {
		ks_redis_scheme s = p->hosts[i].scheme;
		if (s != first && (scheme_is_topology(s) || scheme_is_topology(first))) {
			return fail(e, "host %zu is %s:// but host 1 is %s://: a save_path lists either sentinel:// hosts only, "
				"cluster:// hosts only, or tcp://, tls:// and unix:// hosts", i + 1, scheme_name(s), scheme_name(first));
		}
	}
	return 0;
}

/*
 * Skips the separators (',' and white space) before host `nhosts` + 1 from
 * *i. Each ',' must stand between two hosts: a leading, doubled or trailing
 * one leaves an empty host, and "auth=S3cret," would otherwise lose its
 * last character silently. Trailing white space after a host with
 * parameters is refused for the same reason ("auth=S3cret "); after a
 * plain host it is harmless and allowed (a quoted multi-line INI value).
 */
static int skip_separators(const char *s, size_t len, size_t *i, size_t nhosts, bool after_query, path_err *e)
{
	size_t comma = 0, start = *i;   /* comma: 1 + offset of the last ',' of this run, 0 if none */

	for (; *i < len && (s[*i] == ',' || isspace((unsigned char)s[*i])); (*i)++) {
		if (s[*i] != ',') {
			continue;
		}
		if (nhosts == 0 || comma) {
			return fail(e, "empty host at offset %zu (a ',' with no host %s)", *i + 1,
				nhosts == 0 ? "before it" : "between it and the previous ','");
		}
		comma = *i + 1;
	}
	if (*i < len || nhosts == 0) {
		return 0;
	}
	if (comma) {
		return fail(e, "empty host after the ',' at offset %zu (the save_path ends there; "
			"write a ',' that ends a parameter value as %%2C)", comma);
	}
	if (after_query && *i > start) {
		return fail(e, "white space at offset %zu ends the save_path after a host with parameters "
			"(write a space that ends a parameter value as %%20)", start + 1);
	}
	return 0;
}

int ks_redis_path_parse(const char *s, size_t len, const ks_redis_params *defaults,
	ks_redis_path *out, char *err, size_t errlen)
{
	path_err e = { err, errlen };
	size_t i = 0, cap = 0;
	bool after_query = false;

	memset(out, 0, sizeof(*out));
	if (errlen) {
		err[0] = '\0';
	}
	while (i < len) {
		size_t start;
		ks_redis_host *h;
		if (skip_separators(s, len, &i, out->nhosts, after_query, &e) < 0) {
			goto fail;
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
			out->nhosts > 1 && scheme_is_topology(h[-1].scheme) ? h[-1].scheme : KS_REDIS_SCHEME_TCP,
			after_query, &e) < 0) {
			goto fail;
		}
		after_query = memchr(s + start, '?', i - start) != NULL;
	}
	if (out->nhosts == 0) {
		fail(&e, "no host given (want e.g. tcp://127.0.0.1:6379)");
		goto fail;
	}
	if (check_schemes(out, &e) < 0) {
		goto fail;
	}
	return 0;
fail:
	ks_redis_path_dtor(out);
	return -1;
}
