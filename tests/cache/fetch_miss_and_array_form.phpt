--TEST--
fetch: false and $success=false on a miss; the array form returns only the keys found
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
var_dump(keepsake_cache_fetch('nope', $ok), $ok);
keepsake_cache_store('a', 1);
keepsake_cache_store('b', false);
keepsake_cache_store('7', 'seven');
var_dump(keepsake_cache_fetch('b', $ok), $ok);
var_dump(keepsake_cache_fetch(['a', 'missing', 'b', 7], $ok), $ok);
var_dump(keepsake_cache_fetch(['missing'], $ok), $ok);
// a non-string key in a scalar call is converted, as APCu does
var_dump(keepsake_cache_fetch(7));
?>
--EXPECT--
bool(false)
bool(false)
bool(false)
bool(true)
array(3) {
  ["a"]=>
  int(1)
  ["b"]=>
  bool(false)
  [7]=>
  string(5) "seven"
}
bool(true)
array(0) {
}
bool(true)
string(5) "seven"
