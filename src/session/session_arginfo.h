/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: b45ac2b22f30f5e27fa63ed295a96378b0461fd6 */

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_keepsake_session_stats, 0, 0, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, all_workers, _IS_BOOL, 0, "false")
ZEND_END_ARG_INFO()


ZEND_FUNCTION(keepsake_session_stats);


static const zend_function_entry ext_functions[] = {
	ZEND_FE(keepsake_session_stats, arginfo_keepsake_session_stats)
	ZEND_FE_END
};
