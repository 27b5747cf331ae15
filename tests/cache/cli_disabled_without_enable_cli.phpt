--TEST--
CLI without keepsake.cache.enable_cli: no segment, every call fails quietly like APCu
--INI--
keepsake.cache.enable_cli=0
--FILE--
<?php
var_dump(keepsake_cache_enabled(), keepsake_cache_store('a', 1), keepsake_cache_fetch('a', $ok), $ok);
var_dump(keepsake_cache_store(['a' => 1]), keepsake_cache_fetch(['a']), keepsake_cache_inc('n'), keepsake_cache_info(), keepsake_cache_key_info('a'));
var_dump(keepsake_cache_entry('e', fn() => 'computed anyway'));
?>
--EXPECTF--
bool(false)
bool(false)
bool(false)
bool(false)

Warning: keepsake_cache_info(): cannot read the cache info: the cache is disabled (%s) in %s on line %d
array(1) {
  ["a"]=>
  int(-1)
}
array(0) {
}
bool(false)
bool(false)
NULL
string(15) "computed anyway"
