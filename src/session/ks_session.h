/*
 * ks_session.h: the session part's hooks, called by src/keepsake.c.
 *
 * The session part registers the "keepsake" save handler, its INI entries
 * (keepsake.session.*) and keepsake_session_stats(). Nothing here touches
 * Redis: connections are opened lazily by the first request that needs one.
 */
#ifndef KS_SESSION_H
#define KS_SESSION_H

#include "php.h"

/* MINIT: registers the INI entries, keepsake_session_stats() and the
 * "keepsake" save handler; computes the scripts' SHA1s. No I/O. */
zend_result ks_sess_minit(int type, int module_number);
/* MSHUTDOWN, RINIT: nothing to do (SUCCESS). */
zend_result ks_sess_mshutdown(int type, int module_number);
zend_result ks_sess_rinit(void);
/* RSHUTDOWN: nothing; the connections outlive it, as ext/session writes
 * and closes the session after it. */
zend_result ks_sess_rshutdown(void);
struct ks_sess_globals;
/* GINIT: zeroes the part's globals (no pool, no parsed save_path). */
void ks_sess_ginit(struct ks_sess_globals *g);
/* GSHUTDOWN (per thread under ZTS): frees the worker's pool (closing its
 * sockets without I/O when a parent owns them), its parsed save_path and
 * the thread's TLS contexts. */
void ks_sess_gshutdown(struct ks_sess_globals *g);
/* Rows for phpinfo(): added inside keepsake's table (no table start/end). */
void ks_sess_minfo(void);

#endif
