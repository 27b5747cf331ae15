--TEST--
store/add: bool for a key; the array form returns the failed keys mapped to -1
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
var_dump(keepsake_cache_store('k', 1));
var_dump(keepsake_cache_add('k', 2));           // exists: false
var_dump(keepsake_cache_fetch('k'));
var_dump(keepsake_cache_store('k', 3), keepsake_cache_fetch('k'));  // store overwrites
var_dump(keepsake_cache_add(['k' => 4, 'new' => 5, 9 => 'int key']));
var_dump(keepsake_cache_fetch(['k', 'new', '9']));
var_dump(keepsake_cache_store(['x' => 1, 'y' => 2]));
var_dump(keepsake_cache_store('nov'));           // a string key needs a value
var_dump(keepsake_cache_store('neg', 1, -5));    // negative ttl
?>
--EXPECTF--
bool(true)
bool(false)
int(1)
bool(true)
int(3)
array(1) {
  ["k"]=>
  int(-1)
}
array(3) {
  ["k"]=>
  int(3)
  ["new"]=>
  int(5)
  [9]=>
  string(7) "int key"
}
array(0) {
}

Warning: keepsake_cache_store(): a value is required when the key is a string in %s on line %d
bool(false)

Warning: keepsake_cache_store(): ttl must be 0 (no TTL) or a number of seconds, got -5 in %s on line %d
bool(false)
