--TEST--
Keepsake\CacheIterator: chunked value loading visits every live entry exactly once, skips entries deleted before their chunk, and keeps values of loaded ones
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.size=64M
--FILE--
<?php
$n = 5000;
for ($i = 0; $i < $n; $i++) keepsake_cache_store("e$i", "v$i");
keepsake_cache_store('other', 1);

// every entry once, for chunk sizes around the default and the total
foreach ([0, 1, 7, 100, 101, $n - 1, $n, $n + 1] as $chunk) {
    $count = [];
    $bad = 0;
    foreach (new Keepsake\CacheIterator('/^e/', KEEPSAKE_CACHE_ITER_VALUE, $chunk) as $k => $e) {
        $count[$k] = ($count[$k] ?? 0) + 1;
        if ($e['value'] !== 'v' . substr($k, 1)) $bad++;
    }
    printf("chunk %d: %d keys, max %d visit(s), %d wrong values\n", $chunk, count($count), max($count), $bad);
}

// entries deleted ahead of the cursor (in chunks not fetched yet) are
// skipped, whole chunks of them included; the rest is seen once each
$it = new Keepsake\CacheIterator('/^e/', KEEPSAKE_CACHE_ITER_VALUE, 10);
$seen = [];
$deleted = [];
$first = true;
foreach ($it as $k => $e) {
    if ($first) {
        // the snapshot order is the iterator's order: delete every entry
        // after the first chunk except every 50th one
        $order = array_keys(iterator_to_array(new Keepsake\CacheIterator('/^e/', KEEPSAKE_CACHE_ITER_NONE)));
        foreach (array_slice($order, 10) as $j => $key) {
            if ($j % 50 !== 0) { keepsake_cache_delete($key); $deleted[$key] = true; }
        }
        $first = false;
    }
    $seen[$k] = ($seen[$k] ?? 0) + 1;
}
$expected = $n - count($deleted);
var_dump(count($seen) === $expected, max($seen), count(array_intersect_key($seen, $deleted)));
// the totals describe the snapshot, deleted entries included (as in APCu)
var_dump($it->getTotalCount() === $n);

// without VALUE nothing is fetched, so deleted entries stay in the snapshot
$it = new Keepsake\CacheIterator('/^e/', KEEPSAKE_CACHE_ITER_KEY, 3);
var_dump(iterator_count($it) === $expected);
?>
--EXPECT--
chunk 0: 5000 keys, max 1 visit(s), 0 wrong values
chunk 1: 5000 keys, max 1 visit(s), 0 wrong values
chunk 7: 5000 keys, max 1 visit(s), 0 wrong values
chunk 100: 5000 keys, max 1 visit(s), 0 wrong values
chunk 101: 5000 keys, max 1 visit(s), 0 wrong values
chunk 4999: 5000 keys, max 1 visit(s), 0 wrong values
chunk 5000: 5000 keys, max 1 visit(s), 0 wrong values
chunk 5001: 5000 keys, max 1 visit(s), 0 wrong values
bool(true)
int(1)
int(0)
bool(true)
bool(true)
