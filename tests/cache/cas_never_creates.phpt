--TEST--
cas: swaps only when the int matches; never creates a key; false on non-int
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
var_dump(keepsake_cache_cas('missing', 0, 1), keepsake_cache_exists('missing'));
keepsake_cache_store('c', 5);
var_dump(keepsake_cache_cas('c', 4, 9), keepsake_cache_fetch('c'));
var_dump(keepsake_cache_cas('c', 5, 9), keepsake_cache_fetch('c'));
keepsake_cache_store('s', '5');
var_dump(keepsake_cache_cas('s', 5, 6), keepsake_cache_fetch('s'));
?>
--EXPECT--
bool(false)
bool(false)
bool(false)
int(5)
bool(true)
int(9)
bool(false)
string(1) "5"
