/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 8b78a4e17049b740b14bf301f21b37ac2eee908f */

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_keepsake_session_stats, 0, 0, IS_ARRAY, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, all_workers, _IS_BOOL, 0, "false")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_keepsake_session_stats_reset, 0, 0, _IS_BOOL, 0)
ZEND_END_ARG_INFO()


ZEND_FUNCTION(keepsake_session_stats);
ZEND_FUNCTION(keepsake_session_stats_reset);


static const zend_function_entry ext_functions[] = {
	ZEND_FE(keepsake_session_stats, arginfo_keepsake_session_stats)
	ZEND_FE(keepsake_session_stats_reset, arginfo_keepsake_session_stats_reset)
	ZEND_FE_END
};
