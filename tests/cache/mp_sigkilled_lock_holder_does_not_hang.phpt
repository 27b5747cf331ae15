--TEST--
Multi-process: a process SIGKILLed while holding a shard lock blocks nobody; only its shard is repaired
--EXTENSIONS--
pcntl
--SKIPIF--
<?php
if (!ini_get('keepsake.cache.debug_lock_pause') && ini_get('keepsake.cache.debug_lock_pause') === false) die('skip needs --enable-keepsake-debug');
?>
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.shards=4
keepsake.cache.lock_timeout=8000
--FILE--
<?php
require __DIR__ . '/fork.inc';
[$victim, $other, $same] = ks_keys_in_shards();
keepsake_cache_store($other, 'other shard');
keepsake_cache_store($same, 'same shard');
$pid = ks_fork(function () use ($victim) {
    ini_set('keepsake.cache.debug_lock_pause', '30000');
    keepsake_cache_store($victim, 'never finishes');
    return 0;
});
var_dump(ks_until(fn() => keepsake_cache_info(true)['debug_lock_holder'] === $pid));
// while the lock is held: the other shards work at full speed. Waiting for
// the held lock would take the 8 s lock_timeout (and warn); 3 s leaves a
// loaded box room, where 0.5 s for two calls could be overrun by a stall.
$t = microtime(true);
var_dump(keepsake_cache_fetch($other), keepsake_cache_store($other, 'other shard'));
var_dump(microtime(true) - $t < 3.0);
// the holder dies inside its critical section
ks_kill($pid);
var_dump(array_values(ks_wait_all([$pid])));
$t = microtime(true);
var_dump(keepsake_cache_store($victim, 'after'), keepsake_cache_fetch($victim));
var_dump(microtime(true) - $t < 3.0);   /* a dead holder not seen would cost the 8 s lock_timeout */
$info = keepsake_cache_info(true);
var_dump($info['recoveries'], $info['evictions']['recovery'] >= 1, $info['full_wipes']);
// only the dead holder's shard was emptied
var_dump(keepsake_cache_fetch($same), keepsake_cache_fetch($other));
?>
--EXPECT--
bool(true)
string(11) "other shard"
bool(true)
bool(true)
array(1) {
  [0]=>
  string(6) "killed"
}
bool(true)
string(5) "after"
bool(true)
int(1)
bool(true)
int(0)
bool(false)
string(11) "other shard"
