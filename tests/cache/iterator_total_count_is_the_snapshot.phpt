--TEST--
Keepsake\CacheIterator: getTotalCount() describes the snapshot (as getTotalHits/getTotalSize and APCu) and does not shrink when a value load finds vanished entries
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
for ($i = 0; $i < 5; $i++) keepsake_cache_store("k$i", $i);
$it = new Keepsake\CacheIterator('/^k/', KEEPSAKE_CACHE_ITER_VALUE | KEEPSAKE_CACHE_ITER_MEM_SIZE, 1);
$it->rewind();
$count = $it->getTotalCount();
$size = $it->getTotalSize();
$seen = [];
for (; $it->valid(); $it->next()) {
    if (!$seen) { foreach (['k0', 'k1', 'k2', 'k3', 'k4'] as $k) if ($k !== $it->key()) keepsake_cache_delete($k); }
    $seen[] = $it->key();
}
var_dump(count($seen), $count, $it->getTotalCount(), $it->getTotalSize() === $size);
?>
--EXPECT--
int(1)
int(5)
int(5)
bool(true)
