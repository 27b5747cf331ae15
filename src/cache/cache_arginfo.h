/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 7571ffa562fd476eae0c66a9d3d0af2291b37450 */

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_keepsake_cache_enabled, 0, 0, _IS_BOOL, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_MASK_EX(arginfo_keepsake_cache_store, 0, 1, MAY_BE_ARRAY|MAY_BE_BOOL)
	ZEND_ARG_INFO(0, key)
	ZEND_ARG_TYPE_INFO(0, value, IS_MIXED, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, ttl, IS_LONG, 0, "0")
ZEND_END_ARG_INFO()

#define arginfo_keepsake_cache_add arginfo_keepsake_cache_store

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_keepsake_cache_fetch, 0, 1, IS_MIXED, 0)
	ZEND_ARG_INFO(0, key)
	ZEND_ARG_INFO_WITH_DEFAULT_VALUE(1, success, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_MASK_EX(arginfo_keepsake_cache_exists, 0, 1, MAY_BE_ARRAY|MAY_BE_BOOL)
	ZEND_ARG_INFO(0, key)
ZEND_END_ARG_INFO()

#define arginfo_keepsake_cache_delete arginfo_keepsake_cache_exists

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_MASK_EX(arginfo_keepsake_cache_inc, 0, 1, MAY_BE_LONG|MAY_BE_FALSE)
	ZEND_ARG_TYPE_INFO(0, key, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, step, IS_LONG, 0, "1")
	ZEND_ARG_INFO_WITH_DEFAULT_VALUE(1, success, "null")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, ttl, IS_LONG, 0, "0")
ZEND_END_ARG_INFO()

#define arginfo_keepsake_cache_dec arginfo_keepsake_cache_inc

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_keepsake_cache_cas, 0, 3, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, key, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, old, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, new, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_keepsake_cache_entry, 0, 2, IS_MIXED, 0)
	ZEND_ARG_TYPE_INFO(0, key, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, callback, IS_CALLABLE, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, ttl, IS_LONG, 0, "0")
ZEND_END_ARG_INFO()

#define arginfo_keepsake_cache_clear arginfo_keepsake_cache_enabled

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_MASK_EX(arginfo_keepsake_cache_info, 0, 0, MAY_BE_ARRAY|MAY_BE_FALSE)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, limited, _IS_BOOL, 0, "false")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_keepsake_cache_key_info, 0, 1, IS_ARRAY, 1)
	ZEND_ARG_TYPE_INFO(0, key, IS_STRING, 0)
ZEND_END_ARG_INFO()

#define arginfo_keepsake_cache_sma_info arginfo_keepsake_cache_info

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_Keepsake_CacheIterator___construct, 0, 0, 0)
	ZEND_ARG_INFO_WITH_DEFAULT_VALUE(0, search, "null")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, format, IS_LONG, 0, "KEEPSAKE_CACHE_ITER_ALL")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, chunk_size, IS_LONG, 0, "0")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, list, IS_LONG, 0, "KEEPSAKE_CACHE_LIST_ACTIVE")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Keepsake_CacheIterator_rewind, 0, 0, IS_VOID, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Keepsake_CacheIterator_next arginfo_class_Keepsake_CacheIterator_rewind

#define arginfo_class_Keepsake_CacheIterator_valid arginfo_keepsake_cache_enabled

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_MASK_EX(arginfo_class_Keepsake_CacheIterator_key, 0, 0, MAY_BE_STRING|MAY_BE_LONG)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Keepsake_CacheIterator_current, 0, 0, IS_MIXED, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Keepsake_CacheIterator_getTotalHits, 0, 0, IS_LONG, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Keepsake_CacheIterator_getTotalSize arginfo_class_Keepsake_CacheIterator_getTotalHits

#define arginfo_class_Keepsake_CacheIterator_getTotalCount arginfo_class_Keepsake_CacheIterator_getTotalHits


ZEND_FUNCTION(keepsake_cache_enabled);
ZEND_FUNCTION(keepsake_cache_store);
ZEND_FUNCTION(keepsake_cache_add);
ZEND_FUNCTION(keepsake_cache_fetch);
ZEND_FUNCTION(keepsake_cache_exists);
ZEND_FUNCTION(keepsake_cache_delete);
ZEND_FUNCTION(keepsake_cache_inc);
ZEND_FUNCTION(keepsake_cache_dec);
ZEND_FUNCTION(keepsake_cache_cas);
ZEND_FUNCTION(keepsake_cache_entry);
ZEND_FUNCTION(keepsake_cache_clear);
ZEND_FUNCTION(keepsake_cache_info);
ZEND_FUNCTION(keepsake_cache_key_info);
ZEND_FUNCTION(keepsake_cache_sma_info);
ZEND_METHOD(Keepsake_CacheIterator, __construct);
ZEND_METHOD(Keepsake_CacheIterator, rewind);
ZEND_METHOD(Keepsake_CacheIterator, next);
ZEND_METHOD(Keepsake_CacheIterator, valid);
ZEND_METHOD(Keepsake_CacheIterator, key);
ZEND_METHOD(Keepsake_CacheIterator, current);
ZEND_METHOD(Keepsake_CacheIterator, getTotalHits);
ZEND_METHOD(Keepsake_CacheIterator, getTotalSize);
ZEND_METHOD(Keepsake_CacheIterator, getTotalCount);


static const zend_function_entry ext_functions[] = {
	ZEND_FE(keepsake_cache_enabled, arginfo_keepsake_cache_enabled)
	ZEND_FE(keepsake_cache_store, arginfo_keepsake_cache_store)
	ZEND_FE(keepsake_cache_add, arginfo_keepsake_cache_add)
	ZEND_FE(keepsake_cache_fetch, arginfo_keepsake_cache_fetch)
	ZEND_FE(keepsake_cache_exists, arginfo_keepsake_cache_exists)
	ZEND_FE(keepsake_cache_delete, arginfo_keepsake_cache_delete)
	ZEND_FE(keepsake_cache_inc, arginfo_keepsake_cache_inc)
	ZEND_FE(keepsake_cache_dec, arginfo_keepsake_cache_dec)
	ZEND_FE(keepsake_cache_cas, arginfo_keepsake_cache_cas)
	ZEND_FE(keepsake_cache_entry, arginfo_keepsake_cache_entry)
	ZEND_FE(keepsake_cache_clear, arginfo_keepsake_cache_clear)
	ZEND_FE(keepsake_cache_info, arginfo_keepsake_cache_info)
	ZEND_FE(keepsake_cache_key_info, arginfo_keepsake_cache_key_info)
	ZEND_FE(keepsake_cache_sma_info, arginfo_keepsake_cache_sma_info)
	ZEND_FE_END
};


static const zend_function_entry class_Keepsake_CacheIterator_methods[] = {
	ZEND_ME(Keepsake_CacheIterator, __construct, arginfo_class_Keepsake_CacheIterator___construct, ZEND_ACC_PUBLIC)
	ZEND_ME(Keepsake_CacheIterator, rewind, arginfo_class_Keepsake_CacheIterator_rewind, ZEND_ACC_PUBLIC)
	ZEND_ME(Keepsake_CacheIterator, next, arginfo_class_Keepsake_CacheIterator_next, ZEND_ACC_PUBLIC)
	ZEND_ME(Keepsake_CacheIterator, valid, arginfo_class_Keepsake_CacheIterator_valid, ZEND_ACC_PUBLIC)
	ZEND_ME(Keepsake_CacheIterator, key, arginfo_class_Keepsake_CacheIterator_key, ZEND_ACC_PUBLIC)
	ZEND_ME(Keepsake_CacheIterator, current, arginfo_class_Keepsake_CacheIterator_current, ZEND_ACC_PUBLIC)
	ZEND_ME(Keepsake_CacheIterator, getTotalHits, arginfo_class_Keepsake_CacheIterator_getTotalHits, ZEND_ACC_PUBLIC)
	ZEND_ME(Keepsake_CacheIterator, getTotalSize, arginfo_class_Keepsake_CacheIterator_getTotalSize, ZEND_ACC_PUBLIC)
	ZEND_ME(Keepsake_CacheIterator, getTotalCount, arginfo_class_Keepsake_CacheIterator_getTotalCount, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};

static void register_cache_symbols(int module_number)
{
	REGISTER_LONG_CONSTANT("KEEPSAKE_CACHE_LIST_ACTIVE", KS_CACHE_LIST_ACTIVE, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("KEEPSAKE_CACHE_LIST_DELETED", KS_CACHE_LIST_DELETED, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("KEEPSAKE_CACHE_ITER_TYPE", KS_CACHE_ITER_TYPE, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("KEEPSAKE_CACHE_ITER_KEY", KS_CACHE_ITER_KEY, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("KEEPSAKE_CACHE_ITER_VALUE", KS_CACHE_ITER_VALUE, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("KEEPSAKE_CACHE_ITER_NUM_HITS", KS_CACHE_ITER_NUM_HITS, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("KEEPSAKE_CACHE_ITER_MTIME", KS_CACHE_ITER_MTIME, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("KEEPSAKE_CACHE_ITER_CTIME", KS_CACHE_ITER_CTIME, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("KEEPSAKE_CACHE_ITER_DTIME", KS_CACHE_ITER_DTIME, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("KEEPSAKE_CACHE_ITER_ATIME", KS_CACHE_ITER_ATIME, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("KEEPSAKE_CACHE_ITER_REFCOUNT", KS_CACHE_ITER_REFCOUNT, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("KEEPSAKE_CACHE_ITER_MEM_SIZE", KS_CACHE_ITER_MEM_SIZE, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("KEEPSAKE_CACHE_ITER_TTL", KS_CACHE_ITER_TTL, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("KEEPSAKE_CACHE_ITER_NONE", KS_CACHE_ITER_NONE, CONST_PERSISTENT);
	REGISTER_LONG_CONSTANT("KEEPSAKE_CACHE_ITER_ALL", KS_CACHE_ITER_ALL, CONST_PERSISTENT);
}

static zend_class_entry *register_class_Keepsake_CacheIterator(zend_class_entry *class_entry_Iterator)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Keepsake", "CacheIterator", class_Keepsake_CacheIterator_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_NOT_SERIALIZABLE;
	zend_class_implements(class_entry, 1, class_entry_Iterator);

	return class_entry;
}
