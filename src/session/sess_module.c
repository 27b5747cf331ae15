/*
 * sess_module.c: the session part's module hooks (placeholder until the
 * handler lands): registers keepsake_session_stats().
 */
#include "php_keepsake.h"
#include "session/ks_session.h"
#include "session/session_arginfo.h"

zend_result ks_sess_minit(int type, int module_number)
{
	return zend_register_functions(NULL, ext_functions, NULL, type);
}

zend_result ks_sess_mshutdown(int type, int module_number) { return SUCCESS; }
zend_result ks_sess_rinit(void) { return SUCCESS; }
zend_result ks_sess_rshutdown(void) { return SUCCESS; }
void ks_sess_ginit(struct ks_sess_globals *g) { }
void ks_sess_gshutdown(struct ks_sess_globals *g) { }
void ks_sess_minfo(void) { }

PHP_FUNCTION(keepsake_session_stats)
{
	ZEND_PARSE_PARAMETERS_NONE();
	array_init(return_value);
}
