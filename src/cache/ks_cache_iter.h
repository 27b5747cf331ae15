/*
 * ks_cache_iter.h: Keepsake\CacheIterator (cache_iter.c), APCUIterator's
 * counterpart. An iterator object holds a snapshot of the keys and metadata
 * of the live entries matching its search, taken on rewind, and a window of
 * at most one chunk of values; cache_iter.c describes its state and its
 * re-entry rules. Private to src/cache.
 */
#ifndef KS_CACHE_ITER_H
#define KS_CACHE_ITER_H

#include "php.h"

/* The class, once ks_cache_iter_register ran (MINIT); APCUIterator
 * (cache_apcu.c) extends it. */
extern zend_class_entry *ks_cache_iter_ce;

/* Finishes registering Keepsake\CacheIterator: ce comes from the generated
 * arginfo (register_class_Keepsake_CacheIterator); sets its object
 * handlers. Called once from MINIT. */
void ks_cache_iter_register(zend_class_entry *ce);

/* Deletes every entry the iterator object obj matches (delete() given an
 * iterator). SUCCESS, or FAILURE with an Error thrown when the object was
 * never constructed. Warns once per key that could not be deleted. */
zend_result ks_cache_iter_delete_all(zend_object *obj);

#endif
