--TEST--
Multi-process: waiting for a shard lock held too long fails after lock_timeout with one warning, never hangs
--EXTENSIONS--
pcntl
--SKIPIF--
<?php
if (ini_get('keepsake.cache.debug_lock_pause') === false) die('skip needs --enable-keepsake-debug');
?>
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.shards=2
keepsake.cache.lock_timeout=300
--FILE--
<?php
require __DIR__ . '/fork.inc';
[$victim, $other] = ks_keys_in_shards();
keepsake_cache_store($victim, 'v');
$pid = ks_fork(function () use ($victim) {
    ini_set('keepsake.cache.debug_lock_pause', '20000');
    keepsake_cache_store($victim, 'w');
    return 0;
});
var_dump(ks_until(fn() => keepsake_cache_info(true)['debug_lock_holder'] === $pid));
$t = microtime(true);
var_dump(keepsake_cache_fetch($victim));
$el = microtime(true) - $t;
var_dump($el >= 0.25 && $el < 5.0);
var_dump(keepsake_cache_info(true)['lock_timeouts'] >= 1);
ks_kill($pid);
var_dump(array_values(ks_wait_all([$pid])));
?>
--EXPECTF--
bool(true)

Warning: keepsake_cache_fetch(): cannot fetch key 'victim': the shard lock was not obtained within keepsake.cache.lock_timeout in %s on line %d
bool(false)
bool(true)
bool(true)
array(1) {
  [0]=>
  string(6) "killed"
}
