--TEST--
Keepsake\CacheIterator: only the current chunk's values are kept, so 143 MB of values read in chunks of 100 stay far under memory_limit=128M
--SKIPIF--
<?php if (getenv('USE_ZEND_ALLOC') === '0') die('skip measures the Zend allocator (off under valgrind)'); ?>
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.size=400M
memory_limit=128M
--FILE--
<?php
$n = 1500; $v = str_repeat('x', 100000);
for ($i = 0; $i < $n; $i++) if (!keepsake_cache_store("big$i", $v . $i)) die("store $i failed\n");
$c = 0; $bytes = 0;
foreach (new Keepsake\CacheIterator('/^big/', KEEPSAKE_CACHE_ITER_VALUE) as $k => $e) { $c++; $bytes += strlen($e['value']); }
var_dump($c, $bytes > 128 << 20, memory_get_peak_usage() < 64 << 20);
?>
--EXPECT--
int(1500)
bool(true)
bool(true)
