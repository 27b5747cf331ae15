--TEST--
Keepsake\CacheIterator: a chunk_size of 2**32 or more is clamped, not truncated to 0 (which recursed forever)
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
for ($i = 0; $i < 5; $i++) keepsake_cache_store("k$i", $i * 10);
foreach ([2**32, 2**32 + 1, 2**33 + 7, PHP_INT_MAX, 1, 4, 5, 6] as $chunk) {
    $seen = [];
    foreach (new Keepsake\CacheIterator('/^k/', KEEPSAKE_CACHE_ITER_KEY | KEEPSAKE_CACHE_ITER_VALUE, $chunk) as $k => $e) {
        $seen[$k] = $e['value'];
    }
    ksort($seen);
    echo $chunk, ': ', json_encode($seen), "\n";
}
?>
--EXPECT--
4294967296: {"k0":0,"k1":10,"k2":20,"k3":30,"k4":40}
4294967297: {"k0":0,"k1":10,"k2":20,"k3":30,"k4":40}
8589934599: {"k0":0,"k1":10,"k2":20,"k3":30,"k4":40}
9223372036854775807: {"k0":0,"k1":10,"k2":20,"k3":30,"k4":40}
1: {"k0":0,"k1":10,"k2":20,"k3":30,"k4":40}
4: {"k0":0,"k1":10,"k2":20,"k3":30,"k4":40}
5: {"k0":0,"k1":10,"k2":20,"k3":30,"k4":40}
6: {"k0":0,"k1":10,"k2":20,"k3":30,"k4":40}
