--TEST--
Keepsake\CacheIterator: regex or key list, format flags, chunk size, totals, and delete() by iterator
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
for ($i = 0; $i < 25; $i++) keepsake_cache_store("user:$i", $i, $i % 2 ? 100 : 0);
keepsake_cache_store('other', 'x');
$it = new Keepsake\CacheIterator('/^user:1/', KEEPSAKE_CACHE_ITER_KEY | KEEPSAKE_CACHE_ITER_VALUE, 3);
$seen = [];
foreach ($it as $k => $v) { $seen[$k] = $v; }
ksort($seen);
var_dump(array_keys($seen) === ['user:1', 'user:10', 'user:11', 'user:12', 'user:13', 'user:14', 'user:15', 'user:16', 'user:17', 'user:18', 'user:19']);
var_dump($seen['user:13']);
var_dump($it->getTotalCount(), $it->getTotalSize() > 0, $it->getTotalHits());
$it = new Keepsake\CacheIterator(['other', 'user:3', 'nope']);
$all = iterator_to_array($it);
ksort($all);
var_dump(array_keys($all), array_keys($all['user:3']));
var_dump($all['user:3']['ttl'], $all['user:3']['type']);
// without ITER_KEY, key() is still the cache key (as in APCu); current() has no "key"
$it = new Keepsake\CacheIterator(['other'], KEEPSAKE_CACHE_ITER_VALUE);
foreach ($it as $k => $v) var_dump($k, $v);
// delete by iterator
var_dump(keepsake_cache_delete(new Keepsake\CacheIterator('/^user:/')));
var_dump(keepsake_cache_info(true)['num_entries']);
// bad arguments
try { new Keepsake\CacheIterator(null, KEEPSAKE_CACHE_ITER_ALL, -1); } catch (ValueError $e) { echo $e->getMessage(), "\n"; }
try { new Keepsake\CacheIterator(null, KEEPSAKE_CACHE_ITER_ALL, 0, 7); } catch (ValueError $e) { echo $e->getMessage(), "\n"; }
var_dump(iterator_count(new Keepsake\CacheIterator(null, KEEPSAKE_CACHE_ITER_ALL, 0, KEEPSAKE_CACHE_LIST_DELETED)));
?>
--EXPECT--
bool(true)
array(2) {
  ["key"]=>
  string(7) "user:13"
  ["value"]=>
  int(13)
}
int(11)
bool(true)
int(0)
array(2) {
  [0]=>
  string(5) "other"
  [1]=>
  string(6) "user:3"
}
array(11) {
  [0]=>
  string(4) "type"
  [1]=>
  string(3) "key"
  [2]=>
  string(5) "value"
  [3]=>
  string(8) "num_hits"
  [4]=>
  string(5) "mtime"
  [5]=>
  string(13) "creation_time"
  [6]=>
  string(13) "deletion_time"
  [7]=>
  string(11) "access_time"
  [8]=>
  string(9) "ref_count"
  [9]=>
  string(8) "mem_size"
  [10]=>
  string(3) "ttl"
}
int(100)
string(4) "user"
string(5) "other"
array(1) {
  ["value"]=>
  string(1) "x"
}
bool(true)
int(1)
Keepsake\CacheIterator::__construct(): Argument #3 ($chunk_size) must be 0 (the default chunk) or greater
Keepsake\CacheIterator::__construct(): Argument #4 ($list) must be KEEPSAKE_CACHE_LIST_ACTIVE or KEEPSAKE_CACHE_LIST_DELETED
int(0)
