/*
 * ks_sess_handler.h: the "keepsake" ps_module (handler.c).
 *
 * Per-request state lives in ks_sess_data, the session module data, from
 * PS_OPEN to PS_CLOSE (emalloc'd; PHP calls close on every path, including
 * abort and shutdown). It borrows the worker's connection from the globals.
 * Invariants:
 *  - locked => lock_keys are built for lock_sid and token holds the token
 *    written by our ACQUIRE; it is cleared as soon as a RELEASE ran (whatever
 *    its outcome) or the connection failed mid-release.
 *  - readonly => the lock wait timed out in readonly mode; writes are skipped.
 *  - fresh_sid is the last id create_sid produced; existing data under it is
 *    a collision, detected by the read at no extra round trip.
 */
#ifndef KS_SESS_HANDLER_H
#define KS_SESS_HANDLER_H

#include "php.h"
#include "ext/session/php_session.h"
#include "session/ks_sess_globals.h"

extern const ps_module ks_sess_ps_module;

/* The stable name of an error kind, the key of keepsake_session_stats()['errors']
 * ("connect", ..., "save_path", "invalid_sid", "codec"); "unknown" out of range. */
const char *ks_sess_err_name(ks_sess_err_kind kind);

/* Frees a worker's parsed save_path (its globals' path_src and own: at
 * GSHUTDOWN, and when a new save_path replaces it or is malformed). The
 * pool is the caller's. Safe when none is cached. */
void ks_sess_forget_path(char **path_src, ks_sess_own_params *own);

#endif
