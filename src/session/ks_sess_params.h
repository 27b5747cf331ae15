/*
 * ks_sess_params.h: the table of the session part's save_path settings,
 * and the save_path parameters only the session layer uses (params.c).
 *
 * One row per keepsake.session.* setting that is a default of a save_path
 * parameter. The table generates the settings' fields in the module
 * globals (ks_sess_globals.h), their INI entries (sess_module.c), the
 * defaults a save_path is parsed with (ks_sess_params_defaults(), from
 * handler.c), and the session layer's own parameters (ks_sess_own_params
 * below: their parsing, copying, freeing and comparing in params.c). The
 * Redis layer's own table (redis/params.h) parses the connection
 * parameters; this one only gives them their INI defaults.
 *
 *   C(setting, kind, ini_default, field)
 *       keepsake.session.<setting> is the default of the connection
 *       parameter `field` of ks_redis_params (redis/params.h names its
 *       save_path key)
 *   O(name, kind, ini_default)
 *       keepsake.session.<name> is the default of the session layer's own
 *       save_path parameter <name>, which the Redis parser hands back
 *       through its extension (ks_redis_path_ext)
 *
 * Kinds, with the C type of the setting (globals) and of an own parameter:
 *   SECONDS  double, > 0 and at most KS_REDIS_MAX_TIMEOUT_S (to ms for Redis)
 *   UINT     zend_long, 0 .. INT_MAX
 *   BOOL     bool
 *   STR      char *   (INI string; an own parameter's copy is malloc'd)
 *   SECRET   char *   as STR, shown masked in phpinfo()
 *   MS       zend_long, 1 .. KS_SESS_MAX_MS (milliseconds; 0 is refused,
 *            as it means "for ever" to Redis's WAIT)
 * Own parameters are STR, BOOL, UINT (long) or MS (long).
 *
 * Adding a setting or a parameter: one row here (and one in redis/params.h
 * for a new connection parameter), and its line in docs/session.md or
 * docs/topology.md; tests/unit/test_params_documented.c fails otherwise.
 *
 * This header is pure C (no PHP types): the unit tests include it.
 */
#ifndef KS_SESS_PARAMS_H
#define KS_SESS_PARAMS_H

#include <stdbool.h>
#include <stddef.h>

/*  setting / name     kind      INI default  field of ks_redis_params */
#define KS_SESS_PARAM_TABLE(C, O) \
	C(connect_timeout, SECONDS,  "1",         connect_timeout_ms) \
	C(read_timeout,    SECONDS,  "2",         read_timeout_ms) \
	O(persistent,      BOOL,     "1") \
	O(prefix,          STR,      "ks:sess:") \
	C(auth,            SECRET,   "",          auth) \
	C(user,            STR,      "",          user) \
	C(sentinel_auth,   SECRET,   "",          sentinel_auth) \
	C(sentinel_user,   STR,      "",          sentinel_user) \
	C(database,        UINT,     "0",         database) \
	O(wait_replicas,   UINT,     "0") \
	O(wait_timeout,    MS,       "100")

/* The C type of an own parameter of each kind. */
#define KS_SESS_OWN_CTYPE_BOOL bool
#define KS_SESS_OWN_CTYPE_STR  char *
#define KS_SESS_OWN_CTYPE_UINT long
#define KS_SESS_OWN_CTYPE_MS   long

/*
 * The session layer's own save_path parameters of one save_path: those of
 * the host that speaks for the whole path (ks_sess_path_parse()). One field
 * per O row. Strings are malloc'd and owned (NULL = not set); free with
 * ks_sess_own_params_dtor().
 */
#define KS_SESS_OWN_FIELD_C(setting, kind, def, field)
#define KS_SESS_OWN_FIELD_O(name, kind, def) KS_SESS_OWN_CTYPE_##kind name;
typedef struct ks_sess_own_params {
	KS_SESS_PARAM_TABLE(KS_SESS_OWN_FIELD_C, KS_SESS_OWN_FIELD_O)
} ks_sess_own_params;
#undef KS_SESS_OWN_FIELD_C
#undef KS_SESS_OWN_FIELD_O

struct ks_redis_params;
struct ks_redis_path;

/*
 * Parses save_path s[0..len) with the Redis parser, taking the own
 * parameters through its extension. Each host starts from conn_defaults
 * and own_defaults (borrowed). On success returns 0, fills *path (free
 * with ks_redis_path_dtor) and *own with the own parameters of the host
 * that speaks for the path: the first host, on sentinel:// the one that
 * carries master=, on cluster:// the last (the query is written once, at
 * the end). On failure returns -1 with both empty and the one message in
 * err (it never quotes save_path text). Pure: no PHP, no I/O.
 */
int ks_sess_path_parse(const char *s, size_t len, const struct ks_redis_params *conn_defaults,
	const ks_sess_own_params *own_defaults, struct ks_redis_path *path, ks_sess_own_params *own,
	char *err, size_t errlen);

/* Deep copy (strings duplicated). Returns 0, or -1 on OOM with dst zeroed. */
int ks_sess_own_params_copy(ks_sess_own_params *dst, const ks_sess_own_params *src);

/* Frees the strings and zeroes p. Safe on a zeroed struct and on NULL. */
void ks_sess_own_params_dtor(ks_sess_own_params *p);

#endif /* KS_SESS_PARAMS_H */
