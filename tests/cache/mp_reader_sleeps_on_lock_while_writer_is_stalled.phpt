--TEST--
Multi-process: a lock-free reader that meets a writer stalled inside its change stops spinning and sleeps on the shard lock, then reads the new value
--EXTENSIONS--
pcntl
--SKIPIF--
<?php
if (ini_get('keepsake.cache.debug_lock_pause') === false) die('skip needs --enable-keepsake-debug');
?>
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.shards=2
keepsake.cache.lock_timeout=10000
--FILE--
<?php
require __DIR__ . '/fork.inc';
[$victim, $other] = ks_keys_in_shards();
keepsake_cache_store($victim, 'old');
keepsake_cache_store($other, 'other');
// no writer inside: reads stay lock-free
for ($i = 0; $i < 1000; $i++) keepsake_cache_fetch($victim);
var_dump(keepsake_cache_info(true)['read_fallbacks']);

// the child holds the lock of $victim's shard with the shard's sequence number
// odd (inside its change) for 1.5 s, as a preempted writer would
$pid = ks_fork(function () use ($victim) {
    ini_set('keepsake.cache.debug_lock_pause', '1500');
    return keepsake_cache_store($victim, 'new') ? 0 : 1;
});
var_dump(ks_until(fn() => keepsake_cache_info(true)['debug_lock_holder'] === $pid));
// another shard is not affected
var_dump(keepsake_cache_fetch($other));
var_dump(keepsake_cache_info(true)['read_fallbacks']);
// this read waits on the lock (no lock timeout, no warning) and sees the finished store
var_dump(keepsake_cache_fetch($victim));
$i = keepsake_cache_info(true);
var_dump($i['read_fallbacks'], $i['lock_timeouts']);
var_dump(array_values(ks_wait_all([$pid])));
// the writer is done: reads are lock-free again
for ($i = 0; $i < 1000; $i++) keepsake_cache_fetch($victim);
var_dump(keepsake_cache_info(true)['read_fallbacks']);
?>
--EXPECT--
int(0)
bool(true)
string(5) "other"
int(0)
string(3) "new"
int(1)
int(0)
array(1) {
  [0]=>
  int(0)
}
int(1)
