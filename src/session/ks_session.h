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

zend_result ks_sess_minit(int type, int module_number);
zend_result ks_sess_mshutdown(int type, int module_number);
zend_result ks_sess_rinit(void);
zend_result ks_sess_rshutdown(void);
struct ks_sess_globals;
void ks_sess_ginit(struct ks_sess_globals *g);
void ks_sess_gshutdown(struct ks_sess_globals *g);
/* Rows for phpinfo(): added inside keepsake's table (no table start/end). */
void ks_sess_minfo(void);

#endif
