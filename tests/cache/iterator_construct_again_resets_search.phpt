--TEST--
Keepsake\CacheIterator: calling __construct() again frees the old key list or regex and searches with the new one only
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
keepsake_cache_store('a', 1);
keepsake_cache_store('b', 2);
$it = new Keepsake\CacheIterator(['a']);
$it->__construct('/^b$/');           // a regex now: only b should match
echo implode(',', array_keys(iterator_to_array($it))), "\n";
$it->__construct(['b']);             // and a fresh key list
$it->__construct(['a']);             // the ['b'] table is overwritten, not freed
echo implode(',', array_keys(iterator_to_array($it))), "\n";
?>
--EXPECT--
b
a
