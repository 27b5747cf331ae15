--TEST--
Keepsake\CacheIterator: a value whose __wakeup calls valid()/current() on the same iterator once is decoded once, and both entries are visited (no endless recursion)
--INI--
keepsake.cache.enable_cli=1
memory_limit=-1
--FILE--
<?php
class Peeker {
    public $done = false;
    public function __wakeup() {
        global $it;
        if ($it && !$this->done) { $this->done = true; $it->valid() && $it->current(); }
    }
}
keepsake_cache_store('peeker', new Peeker);
keepsake_cache_store('plain', 1);
$it = new Keepsake\CacheIterator(null, KEEPSAKE_CACHE_ITER_VALUE);
$n = 0;
foreach ($it as $k => $e) $n++;
echo "visited $n\n";
?>
--EXPECT--
visited 2
