--TEST--
Keepsake\CacheIterator: a value whose __wakeup uses or rewinds the same iterator while its chunk loads does not crash or lose entries
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
class Rewinder { public function __wakeup() { if ($GLOBALS['it'] && $GLOBALS['rewinds']++ < 3) $GLOBALS['it']->rewind(); } }
class Peeker { public function __wakeup() { if ($GLOBALS['it'] && $GLOBALS['peeks']++ < 3 && $GLOBALS['it']->valid()) $GLOBALS['it']->current(); } }
$GLOBALS['rewinds'] = $GLOBALS['peeks'] = 0;
for ($i = 0; $i < 20; $i++) keepsake_cache_store("k$i", $i);
keepsake_cache_store('rewinder', new Rewinder);
keepsake_cache_store('peeker', new Peeker);
foreach ([0, 1, 3] as $chunk) {
    $GLOBALS['rewinds'] = $GLOBALS['peeks'] = 0;
    $GLOBALS['it'] = new Keepsake\CacheIterator(null, KEEPSAKE_CACHE_ITER_VALUE, $chunk);
    $seen = [];
    foreach ($GLOBALS['it'] as $k => $e) $seen[$k] = is_object($e['value']) ? get_class($e['value']) : $e['value'];
    $GLOBALS['it'] = null;
    ksort($seen);
    echo "chunk $chunk: ", count($seen), " keys, rewinds ", $GLOBALS['rewinds'], ", ", $seen['rewinder'], ' ', $seen['peeker'], ' ', $seen['k7'], "\n";
}
?>
--EXPECT--
chunk 0: 22 keys, rewinds 4, Rewinder Peeker 7
chunk 1: 22 keys, rewinds 4, Rewinder Peeker 7
chunk 3: 22 keys, rewinds 4, Rewinder Peeker 7
