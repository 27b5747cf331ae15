<?php
/*
 * bench/cache.d/zero-copy-sizes.php: fetch cost of a route table (each
 * entry: path, methods, handler, weight) against its size, for one cache.
 * Issue 13's prototype measurement, not yet part of bench/cache's table:
 *
 *   php -n -d extension=apcu.so -d apc.enable_cli=1 -d apc.shm_size=512M -d memory_limit=2G \
 *       bench/cache.d/zero-copy-sizes.php apcu
 *   php -n -d extension=modules/keepsake.so -d keepsake.cache.enable_cli=1 -d keepsake.cache.size=512M \
 *       -d keepsake.cache.shards=1 -d memory_limit=2G -d keepsake.cache.zero_copy=0 \
 *       bench/cache.d/zero-copy-sizes.php copy          (and zero_copy=1 ... zerocopy)
 *
 * Prints, per size, the best of 5 rounds (microseconds per fetch) and what
 * one fetch adds to memory_get_usage(); then a 48-byte string's fetch.
 */
function table(int $n): array {
    $t = [];
    for ($i = 0; $i < $n; $i++) {
        $t["/route/$i"] = ['path' => "/route/$i", 'methods' => ['GET', 'POST'], 'handler' => "App\\Controller\\C$i::run", 'weight' => $i];
    }
    return $t;
}
$mode = $argv[1] ?? 'keepsake';
$store = $mode === 'apcu' ? 'apcu_store' : 'keepsake_cache_store';
$fetch = $mode === 'apcu' ? 'apcu_fetch' : 'keepsake_cache_fetch';
foreach ([10, 100, 1000, 10000, 100000] as $n) {
    $t = table($n);
    if (!$store("t$n", $t)) {
        echo "$mode $n: store failed\n";
        continue;
    }
    unset($t);
    $iters = max(20, min(200000, intdiv(2000000, $n)));
    $best = INF;
    for ($round = 0; $round < 5; $round++) {
        $t0 = hrtime(true);
        for ($i = 0; $i < $iters; $i++) {
            $v = $fetch("t$n");
        }
        $best = min($best, (hrtime(true) - $t0) / $iters);
        unset($v);
    }
    $m0 = memory_get_usage();
    $v = $fetch("t$n");
    $grew = memory_get_usage() - $m0;
    unset($v);
    printf("%s %d entries: %.2f us, +%d bytes\n", $mode, $n, $best / 1000, $grew);
}
$store('s48', str_repeat('x', 48));
$best = INF;
for ($round = 0; $round < 5; $round++) {
    $t0 = hrtime(true);
    for ($i = 0; $i < 300000; $i++) {
        $v = $fetch('s48');
    }
    $best = min($best, (hrtime(true) - $t0) / 300000);
}
printf("%s 48-byte string: %.3f us\n", $mode, $best / 1000);
