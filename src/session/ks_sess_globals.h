/*
 * ks_sess_globals.h: the session part's slice of the module globals.
 *
 * INI-backed fields are written only by PHP's INI machinery; the rest is
 * per-worker state that outlives requests (persistent connections) or per
 * request state reset in RINIT. Included by php_keepsake.h, so it must not
 * include it back.
 */
#ifndef KS_SESS_GLOBALS_H
#define KS_SESS_GLOBALS_H

#include "php.h"

typedef struct ks_sess_globals {
	zend_long placeholder;
} ks_sess_globals_t;

#endif
