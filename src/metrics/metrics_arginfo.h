/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 4342318db1d3df004919aaef8f5f5c467e6d0367 */

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_keepsake_metrics, 0, 0, IS_STRING, 0)
ZEND_END_ARG_INFO()


ZEND_FUNCTION(keepsake_metrics);


static const zend_function_entry ext_functions[] = {
	ZEND_FE(keepsake_metrics, arginfo_keepsake_metrics)
	ZEND_FE_END
};
