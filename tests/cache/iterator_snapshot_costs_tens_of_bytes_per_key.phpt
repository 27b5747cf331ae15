--TEST--
Keepsake\CacheIterator: the key snapshot costs tens of bytes per matching key (not an array per entry), so 120k keys iterate with every format under memory_limit=128M
--SKIPIF--
<?php if (getenv('USE_ZEND_ALLOC') === '0') die('skip measures the Zend allocator (off under valgrind)'); ?>
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.size=128M
memory_limit=128M
--FILE--
<?php
$n = 120000;
for ($i = 0; $i < $n; $i++) if (!keepsake_cache_store("key$i", $i)) die("store $i failed\n");
foreach ([KEEPSAKE_CACHE_ITER_KEY, KEEPSAKE_CACHE_ITER_ALL] as $format) {
    $before = memory_get_usage();
    $it = new Keepsake\CacheIterator('/^key/', $format);
    $it->rewind();
    $per_key = (memory_get_usage() - $before) / $n;
    $c = 0;
    foreach ($it as $k => $e) $c++;
    // 24 bytes of metadata and the key, rounded up to 8 (40 here), plus the
    // buffer's slack; an array per entry cost 450 (KEY) to 1100 (ALL) bytes
    var_dump($c === $n, $per_key < 80);
    unset($it);
}
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
