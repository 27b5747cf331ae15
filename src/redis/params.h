/*
 * params.h: the table of a save_path's connection parameters.
 *
 * One row per parameter the Redis layer parses out of a host's query. The
 * table generates the fields of ks_redis_params (path.h) and drives
 * parsing, copying, freeing and comparing in path.c, so adding a parameter
 * means adding a row here (and its line in docs/). A caller that parses
 * parameters of its own (a key prefix, ...) passes them to the parser as
 * an extension (ks_redis_path_ext, path.h); they never appear here.
 *
 *   X(name, field, kind, bit, lo, hi, def, ident)
 *     name   the key as written in the query
 *     field  the member of ks_redis_params that holds the value
 *     kind   how the value is read and stored (KS_REDIS_PK_* below)
 *     bit    the KS_REDIS_P_* bit set in `given` when the query sets it
 *     lo, hi the range of an INT or LONG value (ignored for other kinds)
 *     def    the value before the caller's defaults and the query apply
 *            (ks_redis_params_init(); ms for MS, 0/1 for BOOL, unused
 *            for strings, which start NULL)
 *     ident  1 when the value is part of a connection's identity: two hosts
 *            whose ident fields differ need different connections
 *            (ks_redis_params_same()); `weight` says where a host sits in
 *            the ring, not how to talk to it, so it is 0
 *
 * Kinds, with their C type:
 *   MS      int    seconds (float > 0, at most KS_REDIS_MAX_TIMEOUT_S), stored as ms
 *   LONG    long   decimal integer within [lo, hi]
 *   INT     int    decimal integer within [lo, hi]
 *   BOOL    bool   1/true/on/yes or 0/false/off/no/(empty)
 *   STR     char*  any text (malloc'd, NULL = not set)
 *   NAME    char*  non-empty text
 *
 * KS_REDIS_PARAM_ALIASES(A): A(alias, name): another spelling of a row's key
 * (phpredis's), parsed and reported under the spelling used.
 * KS_REDIS_PARAM_IGNORED(I): I(name): accepted and ignored (phpredis's
 * parameters that mean nothing here), so a migrated save_path still parses.
 *
 * auth[]=user&auth[]=pw (also auth[0]/auth[1]) is phpredis's list form of
 * user= and auth=; path.c reads it by hand, as it fills two rows.
 */
#ifndef KS_REDIS_PARAMS_H
#define KS_REDIS_PARAMS_H

/*  name             field                kind   bit                        lo hi        def    ident */
#define KS_REDIS_PARAM_TABLE(X) \
	X("timeout",       connect_timeout_ms,  MS,    KS_REDIS_P_TIMEOUT,        0,  0,        1000,  1) \
	X("read_timeout",  read_timeout_ms,     MS,    KS_REDIS_P_READ_TIMEOUT,   0,  0,        2000,  1) \
	X("database",      database,            LONG,  KS_REDIS_P_DATABASE,       0,  INT_MAX,  0,     1) \
	X("auth",          auth,                STR,   KS_REDIS_P_AUTH,           0,  0,        0,     1) \
	X("user",          user,                STR,   KS_REDIS_P_USER,           0,  0,        0,     1) \
	X("weight",        weight,              INT,   KS_REDIS_P_WEIGHT,         1,  INT_MAX,  1,     0) \
	X("tls_ca",        tls_ca,              STR,   KS_REDIS_P_TLS,            0,  0,        0,     1) \
	X("tls_capath",    tls_capath,          STR,   KS_REDIS_P_TLS,            0,  0,        0,     1) \
	X("tls_cert",      tls_cert,            STR,   KS_REDIS_P_TLS,            0,  0,        0,     1) \
	X("tls_key",       tls_key,             STR,   KS_REDIS_P_TLS,            0,  0,        0,     1) \
	X("tls_sni",       tls_sni,             STR,   KS_REDIS_P_TLS,            0,  0,        0,     1) \
	X("tls_verify",    tls_verify,          BOOL,  KS_REDIS_P_TLS,            0,  0,        1,     1) \
	X("master",        master,              NAME,  KS_REDIS_P_MASTER,         0,  0,        0,     1) \
	X("sentinel_auth", sentinel_auth,       STR,   KS_REDIS_P_SENTINEL_AUTH,  0,  0,        0,     1) \
	X("sentinel_user", sentinel_user,       STR,   KS_REDIS_P_SENTINEL_AUTH,  0,  0,        0,     1)

#define KS_REDIS_PARAM_ALIASES(A) \
	A("service",             "master") \
	A("stream[cafile]",      "tls_ca") \
	A("stream[capath]",      "tls_capath") \
	A("stream[local_cert]",  "tls_cert") \
	A("stream[local_pk]",    "tls_key") \
	A("stream[peer_name]",   "tls_sni") \
	A("stream[verify_peer]", "tls_verify")

#define KS_REDIS_PARAM_IGNORED(I) \
	I("persistent_id") \
	I("retry_interval")

/* The C type of each kind (the fields of ks_redis_params). */
#define KS_REDIS_PK_CTYPE_MS   int
#define KS_REDIS_PK_CTYPE_LONG long
#define KS_REDIS_PK_CTYPE_INT  int
#define KS_REDIS_PK_CTYPE_BOOL bool
#define KS_REDIS_PK_CTYPE_STR  char *
#define KS_REDIS_PK_CTYPE_NAME char *

#endif /* KS_REDIS_PARAMS_H */
