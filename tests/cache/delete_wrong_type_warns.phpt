--TEST--
keepsake_cache_delete(): a key of a wrong type warns, as APCu's apcu_delete() does, and is never turned into a key
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
keepsake_cache_store(['1.5' => 'f', '1' => 'b', '' => 'n', '5' => 'i', 'a' => 's']);
// scalars of a wrong type: one warning each, false, nothing deleted
foreach ([1.5, true, null] as $bad) {
    var_dump(keepsake_cache_delete($bad));
}
var_dump(keepsake_cache_info(true)['num_entries']);
// in the array form each bad element warns and is listed as not deleted
var_dump(keepsake_cache_delete(['a', 1.5, null, ['x'], false, 5]));
var_dump(keepsake_cache_exists(['1.5', '1', '', '5', 'a']));
// an object that is not a cache iterator is a TypeError
try { keepsake_cache_delete(new stdClass); } catch (TypeError $e) { echo $e->getMessage(), "\n"; }
?>
--EXPECTF--
Warning: keepsake_cache_delete(): cannot delete: a key must be a string or an int (or an array of them, or a cache iterator), float given in %s on line %d
bool(false)

Warning: keepsake_cache_delete(): cannot delete: a key must be a string or an int (or an array of them, or a cache iterator), bool given in %s on line %d
bool(false)

Warning: keepsake_cache_delete(): cannot delete: a key must be a string or an int (or an array of them, or a cache iterator), null given in %s on line %d
bool(false)
int(5)

Warning: keepsake_cache_delete(): cannot delete: a key must be a string or an int (or an array of them, or a cache iterator), float given in %s on line %d

Warning: keepsake_cache_delete(): cannot delete: a key must be a string or an int (or an array of them, or a cache iterator), null given in %s on line %d

Warning: keepsake_cache_delete(): cannot delete: a key must be a string or an int (or an array of them, or a cache iterator), array given in %s on line %d

Warning: keepsake_cache_delete(): cannot delete: a key must be a string or an int (or an array of them, or a cache iterator), bool given in %s on line %d
array(4) {
  [0]=>
  float(1.5)
  [1]=>
  NULL
  [2]=>
  array(1) {
    [0]=>
    string(1) "x"
  }
  [3]=>
  bool(false)
}
array(3) {
  ["1.5"]=>
  bool(true)
  [1]=>
  bool(true)
  [""]=>
  bool(true)
}
keepsake_cache_delete(): Argument #1 ($key) must be of type array|string|Keepsake\CacheIterator, stdClass given
