/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: f238ac9bb430ef323226595ddf58099780ad4f73 */

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_keepsake_session_stats, 0, 0, IS_ARRAY, 0)
ZEND_END_ARG_INFO()


ZEND_FUNCTION(keepsake_session_stats);


static const zend_function_entry ext_functions[] = {
	ZEND_FE(keepsake_session_stats, arginfo_keepsake_session_stats)
	ZEND_FE_END
};
