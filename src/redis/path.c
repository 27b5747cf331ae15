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
#include <stddef.h>
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

/* ---- the table (params.h) ---------------------------------------------- */

typedef enum param_kind { PK_MS, PK_LONG, PK_INT, PK_BOOL, PK_STR, PK_NAME } param_kind;

/* One row of params.h, as data: where its field is and how to read it. */
typedef struct param_def {
	const char *name;
	param_kind kind;
	size_t off;            /* of the field in ks_redis_params */
	unsigned bit;
	long lo, hi;           /* PK_LONG, PK_INT */
	long def;
	bool ident;
} param_def;

#define PARAM_DEF(name, field, kind, bit, lo, hi, def, ident) \
	{ name, PK_##kind, offsetof(ks_redis_params, field), bit, lo, hi, def, ident },
static const param_def param_defs[] = { KS_REDIS_PARAM_TABLE(PARAM_DEF) };
#undef PARAM_DEF
#define NPARAMS (sizeof(param_defs) / sizeof(param_defs[0]))

#define PARAM_ALIAS(alias, name) { alias, name },
static const struct { const char *alias, *name; } param_aliases[] = { KS_REDIS_PARAM_ALIASES(PARAM_ALIAS) };
#undef PARAM_ALIAS

#define PARAM_IGNORED(name) name,
static const char *const param_ignored[] = { KS_REDIS_PARAM_IGNORED(PARAM_IGNORED) };
#undef PARAM_IGNORED

/* phpredis's list form of user= and auth=, read by hand (apply_auth_list). */
static const char *const auth_list_names[] = { "auth[]", "auth[0]", "auth[1]" };

static bool kind_is_str(param_kind k)
{
	return k == PK_STR || k == PK_NAME;
}

static char **str_field(ks_redis_params *p, const param_def *d)
{
	return (char **)((char *)p + d->off);
}

static char *const *cstr_field(const ks_redis_params *p, const param_def *d)
{
	return (char *const *)((const char *)p + d->off);
}

void ks_redis_params_init(ks_redis_params *p)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < NPARAMS; i++) {
		char *f = (char *)p + param_defs[i].off;

		switch (param_defs[i].kind) {
			case PK_MS:
			case PK_INT: *(int *)f = (int)param_defs[i].def; break;
			case PK_LONG: *(long *)f = param_defs[i].def; break;
			case PK_BOOL: *(bool *)f = param_defs[i].def != 0; break;
			case PK_STR:
			case PK_NAME: break;
		}
	}
}

void ks_redis_params_dtor(ks_redis_params *p)
{
	size_t i;

	if (!p) {
		return;
	}
	for (i = 0; i < NPARAMS; i++) {
		if (kind_is_str(param_defs[i].kind)) {
			free(*str_field(p, &param_defs[i]));
		}
	}
	free(p->sentinels);
	memset(p, 0, sizeof(*p));
}

int ks_redis_params_copy(ks_redis_params *dst, const ks_redis_params *src)
{
	size_t i;
	bool ok;

	*dst = *src;
	for (i = 0; i < NPARAMS; i++) {   /* first forget src's pointers, so a failure frees only ours */
		if (kind_is_str(param_defs[i].kind)) {
			*str_field(dst, &param_defs[i]) = NULL;
		}
	}
	ok = dup_opt(&dst->sentinels, src->sentinels);
	for (i = 0; ok && i < NPARAMS; i++) {
		if (kind_is_str(param_defs[i].kind)) {
			ok = dup_opt(str_field(dst, &param_defs[i]), *cstr_field(src, &param_defs[i]));
		}
	}
	if (!ok) {
		ks_redis_params_dtor(dst);
		return -1;
	}
	return 0;
}

/* NULL and "" are the same: both mean "not set" to a connection. */
static bool str_same(const char *a, const char *b)
{
	if (!a || !*a) {
		return !b || !*b;
	}
	return b && !strcmp(a, b);
}

static bool field_same(const ks_redis_params *a, const ks_redis_params *b, const param_def *d)
{
	const char *x = (const char *)a + d->off, *y = (const char *)b + d->off;

	switch (d->kind) {
		case PK_MS:
		case PK_INT: return *(const int *)x == *(const int *)y;
		case PK_LONG: return *(const long *)x == *(const long *)y;
		case PK_BOOL: return *(const bool *)x == *(const bool *)y;
		case PK_STR:
		case PK_NAME: return str_same(*(char *const *)x, *(char *const *)y);
	}
	return false;
}

bool ks_redis_params_same(const ks_redis_params *a, const ks_redis_params *b)
{
	size_t i;

	for (i = 0; i < NPARAMS; i++) {
		if (param_defs[i].ident && !field_same(a, b, &param_defs[i])) {
			return false;
		}
	}
	return str_same(a->sentinels, b->sentinels) && (a->given & KS_REDIS_P_TLS) == (b->given & KS_REDIS_P_TLS);
}

int ks_redis_host_copy(ks_redis_host *dst, const ks_redis_host *src)
{
	*dst = *src;
	memset(&dst->params, 0, sizeof(dst->params));
	dst->host = strdup(src->host);
	if (dst->host == NULL || ks_redis_params_copy(&dst->params, &src->params) < 0) {
		ks_redis_host_dtor(dst);
		return -1;
	}
	return 0;
}

void ks_redis_host_dtor(ks_redis_host *h)
{
	free(h->host);
	h->host = NULL;
	ks_redis_params_dtor(&h->params);
}

void ks_redis_path_dtor(ks_redis_path *p)
{
	size_t i;
	if (!p) {
		return;
	}
	for (i = 0; i < p->nhosts; i++) {
		ks_redis_host_dtor(&p->hosts[i]);
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

bool ks_redis_param_bool(const char *v, bool *out)
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

/* ---- one query parameter --------------------------------------------------- */

/* What a query key names. `name` is a constant spelling of it (the table's,
 * an alias or the extension's), the only form of the key a message quotes:
 * with an unencoded '&' in a password, the raw "key" is the password's tail. */
typedef struct key_ref {
	enum { KEY_PARAM, KEY_AUTH_LIST, KEY_IGNORED, KEY_EXT } what;
	const param_def *def;     /* KEY_PARAM */
	size_t ext_idx;           /* KEY_EXT */
	const char *name;
} key_ref;

static bool key_is(const char *key, size_t klen, const char *name)
{
	return strlen(name) == klen && !memcmp(key, name, klen);
}

static const param_def *def_named(const char *name)
{
	size_t i;
	for (i = 0; i < NPARAMS; i++) {
		if (!strcmp(param_defs[i].name, name)) {
			return &param_defs[i];
		}
	}
	return NULL;   /* not reached: every alias names a row */
}

/* Looks key[0..klen) up in the table, its aliases, the ignored names and
 * the extension; false when it is none of them. */
static bool lookup_key(const char *key, size_t klen, const ks_redis_path_ext *ext, key_ref *r)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < NPARAMS; i++) {
		if (key_is(key, klen, param_defs[i].name)) {
			r->what = KEY_PARAM, r->def = &param_defs[i], r->name = param_defs[i].name;
			return true;
		}
	}
	for (i = 0; i < sizeof(param_aliases) / sizeof(param_aliases[0]); i++) {
		if (key_is(key, klen, param_aliases[i].alias)) {
			r->what = KEY_PARAM, r->def = def_named(param_aliases[i].name), r->name = param_aliases[i].alias;
			return r->def != NULL;
		}
	}
	for (i = 0; i < sizeof(auth_list_names) / sizeof(auth_list_names[0]); i++) {
		if (key_is(key, klen, auth_list_names[i])) {
			r->what = KEY_AUTH_LIST, r->name = auth_list_names[i];
			return true;
		}
	}
	for (i = 0; i < sizeof(param_ignored) / sizeof(param_ignored[0]); i++) {
		if (key_is(key, klen, param_ignored[i])) {
			r->what = KEY_IGNORED, r->name = param_ignored[i];
			return true;
		}
	}
	for (i = 0; ext && i < ext->nnames; i++) {
		if (key_is(key, klen, ext->names[i])) {
			r->what = KEY_EXT, r->ext_idx = i, r->name = ext->names[i];
			return true;
		}
	}
	return false;
}

/* Where a parameter sits, for messages: `off` is the 1-based offset of its
 * key in save_path. */
typedef struct param_pos {
	size_t hostno;
	size_t off;
} param_pos;

static int bad_value(path_err *e, const char *name, const param_pos *at, const char *want)
{
	return fail(e, "bad value for '%s' in host %zu at offset %zu (want %s)", name, at->hostno, at->off, want);
}

#define KS_STR_(x) #x
#define KS_STR(x) KS_STR_(x)

/* A scalar row's value into its field; -1 (with the message) when bad. */
static int apply_scalar(ks_redis_params *p, const param_def *d, const char *name, const char *val,
	const param_pos *at, path_err *e)
{
	char *f = (char *)p + d->off;
	char want[48];
	long l;

	switch (d->kind) {
		case PK_MS:
			if (!parse_seconds_ms(val, (int *)f)) {
				return bad_value(e, name, at, "seconds > 0, at most " KS_STR(KS_REDIS_MAX_TIMEOUT_S));
			}
			return 0;
		case PK_LONG:
		case PK_INT:
			if (!parse_long(val, d->lo, d->hi, &l)) {
				snprintf(want, sizeof(want), "an integer >= %ld", d->lo);
				return bad_value(e, name, at, want);
			}
			if (d->kind == PK_LONG) {
				*(long *)f = l;
			} else {
				*(int *)f = (int)l;
			}
			return 0;
		case PK_BOOL:
			return ks_redis_param_bool(val, (bool *)f) ? 0 : bad_value(e, name, at, "0 or 1");
		case PK_STR:
		case PK_NAME:
			break;
	}
	return 0;
}

/* One row's value (`val` decoded, consumed here) into p. */
static int apply_def(ks_redis_params *p, const param_def *d, const char *name, char *val,
	const param_pos *at, path_err *e)
{
	int rc = 0;

	if (d->kind == PK_NAME && !*val) {
		rc = fail(e, "empty '%s' in host %zu at offset %zu (want a name)", name, at->hostno, at->off);
	} else if (kind_is_str(d->kind)) {
		set_str(str_field(p, d), val);
		val = NULL;
	} else {
		rc = apply_scalar(p, d, name, val, at, e);
	}
	free(val);
	if (rc == 0) {
		p->given |= d->bit;
	}
	return rc;
}

/* phpredis: auth[]=pass, or auth[]=user&auth[]=pass. `*count` counts the
 * items of this host so far: the first of two is the user. */
static int apply_auth_list(ks_redis_params *p, char *val, int *count, const param_pos *at, path_err *e)
{
	if (*count == 0) {
		set_str(&p->auth, val);
		p->given |= KS_REDIS_P_AUTH;
	} else if (*count == 1) {
		set_str(&p->user, p->auth);
		p->auth = val;
		p->given |= KS_REDIS_P_USER;
	} else {
		free(val);
		return fail(e, "too many 'auth[]' values in host %zu at offset %zu (want [user, password])",
			at->hostno, at->off);
	}
	(*count)++;
	return 0;
}

/* The extension's parameter: the caller stores what it keeps. */
static int apply_ext(const ks_redis_path_ext *ext, const key_ref *r, char *val, const param_pos *at, path_err *e)
{
	const char *want = "a valid value";
	int rc = ext->apply ? ext->apply(ext->ctx, at->hostno, r->ext_idx, val, &want) : 0;

	free(val);
	if (rc == -2) {
		return fail(e, "out of memory");
	}
	return rc < 0 ? bad_value(e, r->name, at, want) : 0;
}

/* The state of one host's query while it is read. */
typedef struct query_ctx {
	ks_redis_params *p;
	const ks_redis_path_ext *ext;
	size_t hostno;
	size_t base;        /* the query's offset in save_path */
	int auth_list;      /* auth[] items so far */
	path_err *e;
} query_ctx;

/*
 * Applies one key=value, q[start..end) with its '=' at eq (offsets in the
 * query). The key is looked up as written; only the value is %-decoded.
 */
static int apply_param(query_ctx *qc, const char *q, size_t start, size_t eq, size_t end)
{
	param_pos at = { qc->hostno, qc->base + start + 1 };
	key_ref r;
	char *val;
	size_t bad;
	decode_rc drc;

	if (!lookup_key(q + start, eq - start, qc->ext, &r)) {
		/* Not quoted: with an unencoded '&' in a password, the "key" is its tail. */
		return fail(qc->e, "unknown parameter in host %zu at offset %zu (if a value holds '&', write it as %%26)",
			qc->hostno, at.off);
	}
	drc = query_decode(q + eq + 1, end - eq - 1, &val, &bad);
	if (drc == DECODE_OOM) {
		return fail(qc->e, "out of memory");
	}
	if (drc != DECODE_OK) {
		return fail(qc->e, drc == DECODE_NUL ? "%%00 (a NUL byte) in the value of '%s' in host %zu at offset %zu"
			: "bad %%-escape in the value of '%s' in host %zu at offset %zu (want %%XX; write '%%' as %%25)",
			r.name, qc->hostno, qc->base + eq + 1 + bad + 1);
	}
	switch (r.what) {
		case KEY_PARAM: return apply_def(qc->p, r.def, r.name, val, &at, qc->e);
		case KEY_AUTH_LIST: return apply_auth_list(qc->p, val, &qc->auth_list, &at, qc->e);
		case KEY_EXT: return apply_ext(qc->ext, &r, val, &at, qc->e);
		case KEY_IGNORED: break;   /* phpredis parameters with no meaning here; accepted for migration */
	}
	free(val);
	return 0;
}

/* Parses the query q[0..n) (after '?'), key=value pairs joined by '&'. */
static int parse_query(query_ctx *qc, const char *q, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t start = i, eq = (size_t)-1;

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
			return fail(qc->e, "parameter without '=' in host %zu at offset %zu (if a value holds '&', write it as %%26)",
				qc->hostno, qc->base + start + 1);
		}
		if (apply_param(qc, q, start, eq, i) < 0) {
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
 * `off` (0-based) of save_path, into h->host and h->port. `pw_hint` ends
 * the message about a user:password@ part (see ks_redis_path_ext).
 */
static int parse_inet_addr(ks_redis_host *h, const char *addr, size_t alen, size_t off, size_t hostno,
	const char *pw_hint, path_err *e)
{
	const char *hs = addr, *colon = NULL, *at = memchr(addr, '@', alen);
	size_t hl = alen, i;

	if (at) {
		/* Not quoted: what comes before '@' is a user and a password. */
		return fail(e, "credentials before '@' in host %zu at offset %zu are not supported: "
			"give the password as auth= (and user=)%s", hostno, off + 1, pw_hint);
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
	return 0;
}

/* h->desc: "tcp://127.0.0.1:6379", "unix:///run/r.sock"; never the query. */
static void describe_host(ks_redis_host *h)
{
	if (h->scheme == KS_REDIS_SCHEME_UNIX) {
		snprintf(h->desc, sizeof(h->desc), "unix://%s", h->host);
	} else if (strchr(h->host, ':')) {
		snprintf(h->desc, sizeof(h->desc), "%s://[%s]:%d", scheme_name(h->scheme), h->host, h->port);
	} else {
		snprintf(h->desc, sizeof(h->desc), "%s://%s:%d", scheme_name(h->scheme), h->host, h->port);
	}
}

/* Where one URL sits in save_path, and what came before it. */
typedef struct url_pos {
	size_t base;              /* offset of the URL in save_path */
	size_t hostno;            /* 1-based */
	ks_redis_scheme inherit;  /* the scheme of a bare host */
	bool after_query;         /* the previous URL had a query */
	const char *pw_hint;      /* ks_redis_path_ext.password_hint, or "" */
} url_pos;

/*
 * The scheme and address of URL u[0..n) into h; *q is where the address
 * ends (at '?' or n). A bare host after a host with a query is refused:
 * "?auth=pa,ss" would otherwise make a host of the password's tail.
 */
static int parse_address(ks_redis_host *h, const char *u, size_t n, const url_pos *at, size_t *q, path_err *e)
{
	size_t skip;

	h->scheme = at->inherit;   /* a bare host after sentinel:// or cluster:// is one more of those */
	if (match_scheme(u, n, &h->scheme, &skip) < 0) {
		return fail(e, "unsupported scheme in host %zu at offset %zu "
			"(want tcp://, redis://, unix://, tls://, rediss://, cluster:// or sentinel://)", at->hostno, at->base + 1);
	}
	if (skip == 0 && at->after_query) {
		return fail(e, "host %zu at offset %zu has no scheme and follows a host with parameters: "
			"write a ',' or space inside a parameter value as %%2C or %%20, and start each further host "
			"with its scheme (tcp://...)", at->hostno, at->base + 1);
	}
	for (*q = skip; *q < n && u[*q] != '?'; (*q)++);   /* the address ends at '?' */
	if (h->scheme != KS_REDIS_SCHEME_UNIX) {
		return parse_inet_addr(h, u + skip, *q - skip, at->base + skip, at->hostno, at->pw_hint, e);
	}
	/* Taken as written: a '+' or '%' is part of the file name. */
	if (*q == skip || u[skip] != '/') {
		return fail(e, "unix socket path must be absolute in host %zu at offset %zu", at->hostno, at->base + skip + 1);
	}
	if (!(h->host = dup_n(u + skip, *q - skip))) {
		return fail(e, "out of memory");
	}
	h->port = 0;
	return 0;
}

/*
 * Parses one URL u[0..n) into h: scheme and address, then the query over
 * a copy of `defaults` (the extension sees the host begin and end), then
 * the rules between the host's parameters.
 */
static int parse_url(ks_redis_host *h, const char *u, size_t n, const url_pos *at,
	const ks_redis_params *defaults, const ks_redis_path_ext *ext, path_err *e)
{
	size_t q = 0;
	query_ctx qc = { &h->params, ext, at->hostno, 0, 0, e };

	if (parse_address(h, u, n, at, &q, e) < 0) {
		return -1;
	}
	if (ks_redis_params_copy(&h->params, defaults) < 0) {
		return fail(e, "out of memory");
	}
	h->params.given = 0;
	if (ext && ext->host_begin && ext->host_begin(ext->ctx, at->hostno) < 0) {
		return fail(e, "out of memory");
	}
	qc.base = at->base + q + 1;
	if (q < n && parse_query(&qc, u + q + 1, n - q - 1) < 0) {
		return -1;
	}
	if (check_host_params(h, at->hostno, e) < 0) {
		return -1;
	}
	describe_host(h);
	if (ext && ext->host_end && ext->host_end(ext->ctx, at->hostno, h, e->buf, e->len) < 0) {
		if (e->len && !e->buf[0]) {
			fail(e, "bad parameters in host %zu", at->hostno);
		}
		return -1;
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
	const ks_redis_path_ext *ext, ks_redis_path *out, char *err, size_t errlen)
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
		url_pos at;

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
		at.base = start;
		at.hostno = out->nhosts;
		at.inherit = out->nhosts > 1 && scheme_is_topology(h[-1].scheme) ? h[-1].scheme : KS_REDIS_SCHEME_TCP;
		at.after_query = after_query;
		at.pw_hint = ext && ext->password_hint ? ext->password_hint : "";
		if (parse_url(h, s + start, i - start, &at, defaults, ext, &e) < 0) {
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
