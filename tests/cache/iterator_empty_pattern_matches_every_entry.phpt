--TEST--
Keepsake\CacheIterator: an empty-string search pattern matches every entry, as in APCu (it used to throw ValueError)
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
keepsake_cache_store(['a' => 1, 'b' => 2, '' => 3]);
$it = new Keepsake\CacheIterator('', KEEPSAKE_CACHE_ITER_KEY | KEEPSAKE_CACHE_ITER_VALUE);
$all = iterator_to_array($it);
ksort($all);
var_dump($it->getTotalCount(), array_map(fn($e) => $e['value'], $all));
// and it deletes every entry, as APCu's apcu_delete(new APCUIterator(''))
var_dump(keepsake_cache_delete(new Keepsake\CacheIterator('')), keepsake_cache_info(true)['num_entries']);
// a pattern that is not a regex still throws
try { new Keepsake\CacheIterator('no delimiters'); } catch (ValueError $e) { echo $e->getMessage(), "\n"; }
?>
--EXPECTF--
int(3)
array(3) {
  [""]=>
  int(3)
  ["a"]=>
  int(1)
  ["b"]=>
  int(2)
}
bool(true)
int(0)

Warning: Keepsake\CacheIterator::__construct(): %s in %s on line %d
Keepsake\CacheIterator::__construct(): Argument #1 ($search) must be a valid regular expression
