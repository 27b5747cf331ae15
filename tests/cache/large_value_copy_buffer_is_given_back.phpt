--TEST--
A value copied out of the segment for decoding (an object, 64 MB) leaves no copy buffer behind in the process once it is decoded: fetch(), entry() and the iterator give its memory back (RSS returns to where it was)
--SKIPIF--
<?php
if (!is_readable('/proc/self/status')) die('skip needs /proc/self/status');
if (getenv('USE_ZEND_ALLOC') === '0') die('skip measures the process RSS (valgrind holds freed memory)');
?>
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.size=256M
keepsake.cache.shards=1
memory_limit=-1
--FILE--
<?php
function rss_mb(): int {
    preg_match('/VmRSS:\s+(\d+)/', file_get_contents('/proc/self/status'), $m);
    return intdiv((int) $m[1], 1024);
}
$o = new stdClass;
$o->s = str_repeat('a', 64 << 20);
var_dump(keepsake_cache_store('big', $o));
unset($o);
$paths = [
    'fetch' => fn() => keepsake_cache_fetch('big'),
    'entry' => fn() => keepsake_cache_entry('big', fn() => null),
    'iterator' => function () {
        foreach (new Keepsake\CacheIterator('/^big$/', KEEPSAKE_CACHE_ITER_VALUE) as $e) {
            return $e['value'];
        }
    },
];
foreach ($paths as $name => $get) {
    $before = rss_mb();
    $v = $get();
    $len = strlen($v->s);
    unset($v);
    $grew = rss_mb() - $before;
    // the 64 MB copy is gone with the value (a few MB of slack for the allocators)
    echo $name, ": ", $len, " bytes, ", $grew < 16 ? "given back" : "kept $grew MB", "\n";
}
?>
--EXPECT--
bool(true)
fetch: 67108864 bytes, given back
entry: 67108864 bytes, given back
iterator: 67108864 bytes, given back
