--TEST--
Multi-process: a skipped shard's warning reaches an error handler only once the snapshot is complete, so a handler that rewinds the iterator gets a snapshot with each entry once
--SKIPIF--
<?php
if (!function_exists('pcntl_fork')) die('skip pcntl');
if (ini_get('keepsake.cache.debug_lock_pause') === false) die('skip needs --enable-keepsake-debug');
?>
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.shards=2
keepsake.cache.size=2M
--FILE--
<?php
require __DIR__ . '/fork.inc';
for ($i = 0; $i < 100; $i++) keepsake_cache_store("k$i", $i);
// a key of shard 0, so that shard 1 is walked after the skipped one
for ($j = 0; ; $j++) {
    keepsake_cache_store("lock$j", 0);
    if (keepsake_cache_key_info("lock$j")['shard'] === 0) break;
    keepsake_cache_delete("lock$j");
}
$lock = "lock$j";
$entries = keepsake_cache_info(true)['num_entries'];
$pid = ks_fork(function () use ($lock) {
    ini_set('keepsake.cache.debug_lock_pause', '1500');   // holds shard 0's lock ~1.5 s
    keepsake_cache_store($lock, 1);
});
ks_until(fn() => keepsake_cache_info(true)['debug_lock_holder'] === $pid);
ini_set('keepsake.cache.lock_timeout', '20');
$it = new Keepsake\CacheIterator(null, KEEPSAKE_CACHE_ITER_KEY);
$warnings = [];
set_error_handler(function ($no, $msg) use ($it, $pid, &$warnings) {
    $warnings[] = $msg;
    ks_wait_all([$pid]);   // the lock is free again
    $it->rewind();         // a full snapshot of its own
    return true;
});
$it->rewind();
restore_error_handler();
var_dump(count($warnings), str_contains($warnings[0], 'shard 0 was skipped'));
$keys = [];
for (; $it->valid(); $it->next()) $keys[] = $it->key();   // no rewind: the snapshot the handler took
var_dump($it->getTotalCount() === $entries, count($keys) === $entries, count(array_unique($keys)) === $entries);
?>
--EXPECT--
int(1)
bool(true)
bool(true)
bool(true)
bool(true)
