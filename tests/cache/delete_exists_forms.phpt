--TEST--
delete and exists: scalar and array forms with APCu's return conventions
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
keepsake_cache_store(['a' => 1, 'b' => 2, 'c' => 3]);
var_dump(keepsake_cache_exists('a'), keepsake_cache_exists('zz'));
var_dump(keepsake_cache_exists(['a', 'zz', 'c']));
var_dump(keepsake_cache_delete('a'), keepsake_cache_delete('a'));
var_dump(keepsake_cache_delete(['b', 'zz', 'c']));
var_dump(keepsake_cache_exists(['a', 'b', 'c']));
?>
--EXPECT--
bool(true)
bool(false)
array(2) {
  ["a"]=>
  bool(true)
  ["c"]=>
  bool(true)
}
bool(true)
bool(false)
array(1) {
  [0]=>
  string(2) "zz"
}
array(0) {
}
