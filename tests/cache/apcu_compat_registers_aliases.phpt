--TEST--
keepsake.cache.apcu_compat=1 without APCu: apcu_* functions, APCUIterator (a Keepsake\CacheIterator) and APC_* constants
--SKIPIF--
<?php if (extension_loaded('apcu')) die('skip APCu is loaded'); ?>
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.apcu_compat=1
--FILE--
<?php
var_dump(apcu_enabled(), apcu_store('k', [1, 'two']), apcu_fetch('k'), keepsake_cache_fetch('k'));
var_dump(apcu_add('k', 3), apcu_exists('k'), apcu_inc('n'), apcu_dec('n'), apcu_cas('n', 0, 5), apcu_fetch('n'));
var_dump(apcu_entry('e', fn($k) => "$k!"), apcu_key_info('e')['hits']);
var_dump(APC_ITER_ALL === KEEPSAKE_CACHE_ITER_ALL, APC_ITER_VALUE, APC_LIST_ACTIVE, APC_LIST_DELETED);
$it = new APCUIterator('/^k$/', APC_ITER_KEY | APC_ITER_VALUE);
var_dump(get_class($it), $it instanceof Keepsake\CacheIterator, iterator_to_array($it));
var_dump(apcu_delete(new APCUIterator('/^e$/')), apcu_exists('e'));
var_dump(apcu_cache_info(true)['num_entries'], apcu_sma_info(true)['num_seg'] > 0, apcu_clear_cache(), apcu_fetch('k'));
?>
--EXPECT--
bool(true)
bool(true)
array(2) {
  [0]=>
  int(1)
  [1]=>
  string(3) "two"
}
array(2) {
  [0]=>
  int(1)
  [1]=>
  string(3) "two"
}
bool(false)
bool(true)
int(1)
int(0)
bool(true)
int(5)
string(2) "e!"
int(0)
bool(true)
int(4)
int(1)
int(2)
string(12) "APCUIterator"
bool(true)
array(1) {
  ["k"]=>
  array(2) {
    ["key"]=>
    string(1) "k"
    ["value"]=>
    array(2) {
      [0]=>
      int(1)
      [1]=>
      string(3) "two"
    }
  }
}
bool(true)
bool(false)
int(2)
bool(true)
bool(true)
bool(false)
