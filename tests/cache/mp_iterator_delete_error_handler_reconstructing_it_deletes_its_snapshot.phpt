--TEST--
Multi-process: delete(iterator) whose failed delete warns into an error handler that reconstructs the iterator deletes exactly the snapshot it was given (it walks its own copy, never the freed one)
--SKIPIF--
<?php
if (!function_exists('pcntl_fork')) die('skip pcntl');
if (ini_get('keepsake.cache.debug_lock_pause') === false) die('skip needs --enable-keepsake-debug');
?>
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.shards=1
keepsake.cache.size=2M
--FILE--
<?php
require __DIR__ . '/fork.inc';
for ($i = 0; $i < 200; $i++) {
    keepsake_cache_store("drop$i", $i);
    keepsake_cache_store("keep$i", $i);   // same length: the records line up
}
$it = new Keepsake\CacheIterator('/^drop/');
var_dump($it->getTotalCount());
$pid = ks_fork(function () {
    ini_set('keepsake.cache.debug_lock_pause', '1500');   // holds the only shard's lock ~1.5 s
    keepsake_cache_store('other', 1);
});
ks_until(fn() => keepsake_cache_info(true)['debug_lock_holder'] === $pid);
ini_set('keepsake.cache.lock_timeout', '20');
$warnings = [];
set_error_handler(function ($no, $msg) use ($it, $pid, &$warnings) {
    $warnings[] = $msg;
    ks_wait_all([$pid]);                 // the lock is free again
    $it->__construct('/^keep/');         // a new search: the snapshot being walked is freed
    $it->rewind();
    return true;
});
var_dump(keepsake_cache_delete($it));
restore_error_handler();
var_dump(count($warnings), str_contains($warnings[0], 'the shard lock was not obtained'));
$keep = $drop = 0;
for ($i = 0; $i < 200; $i++) {
    $keep += keepsake_cache_exists("keep$i");
    $drop += keepsake_cache_exists("drop$i");
}
// every keep* survives; of the drop* keys only the one whose delete timed out is left
var_dump($keep, $drop);
?>
--EXPECT--
int(200)
bool(true)
int(1)
bool(true)
int(200)
int(1)
