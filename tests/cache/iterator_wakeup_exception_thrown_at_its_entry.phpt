--TEST--
Keepsake\CacheIterator: a value whose __wakeup throws gets its exception when the cursor reaches it; the chunk's other objects are woken and none vanishes
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
class T { public function __wakeup() { throw new RuntimeException('nope'); } }
class W { public $woken = false; public function __wakeup() { $this->woken = true; } }
keepsake_cache_store('t', new T);
for ($i = 0; $i < 5; $i++) keepsake_cache_store("w$i", new W);
$it = new Keepsake\CacheIterator(null, KEEPSAKE_CACHE_ITER_VALUE, 10);
$it->rewind();
$seen = []; $bad = [];
for ($n = 0; $n < 20; $n++) {
    try {
        if (!$it->valid()) break;
        $e = $it->current();
        $seen[] = $it->key();
        if ($e['value'] instanceof W && !$e['value']->woken) $bad[] = $it->key();
    } catch (RuntimeException $ex) { /* the throwing value */ }
    $it->next();
}
sort($seen);
echo "seen: ", implode(',', $seen), "\n";
echo "handed out without __wakeup: ", implode(',', $bad) ?: 'none', "\n";
?>
--EXPECTF--
seen: %Sw0,w1,w2,w3,w4
handed out without __wakeup: none
