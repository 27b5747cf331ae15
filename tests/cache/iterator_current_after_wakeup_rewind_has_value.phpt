--TEST--
Keepsake\CacheIterator: current() whose chunk load is cut short by a value's __wakeup calling rewind() still returns the entry with its value
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
class R { public function __wakeup() { global $it, $done; if ($it && !$done) { $done = true; $it->rewind(); } } }
keepsake_cache_store('r', new R);
$it = new Keepsake\CacheIterator(null, KEEPSAKE_CACHE_ITER_VALUE, 1);
$it->rewind();
$e = $it->current();
var_dump($it->key(), array_key_exists('value', $e) ? get_class($e['value']) : 'no value');
?>
--EXPECT--
string(1) "r"
string(1) "R"
