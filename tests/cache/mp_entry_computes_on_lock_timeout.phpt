--TEST--
Multi-process: entry() whose shard lock is held too long returns the callback's result with one warning, never false
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
$pid = ks_fork(function () use ($victim) {
    ini_set('keepsake.cache.debug_lock_pause', '20000');
    keepsake_cache_store($victim, 'w');
    return 0;
});
var_dump(ks_until(fn() => keepsake_cache_info(true)['debug_lock_holder'] === $pid));
$runs = 0;
$t = microtime(true);
var_dump(keepsake_cache_entry($victim, function () use (&$runs) { $runs++; return 'computed'; }));
var_dump($runs, microtime(true) - $t < 5.0);
/* another shard is not held: entry() caches there as usual */
var_dump(keepsake_cache_entry($other, fn() => 'cached'), keepsake_cache_fetch($other));
ks_kill($pid);
var_dump(array_values(ks_wait_all([$pid])));
?>
--EXPECTF--
bool(true)

Warning: keepsake_cache_entry(): cannot cache key 'victim': the shard lock was not obtained within keepsake.cache.lock_timeout in %s on line %d
string(8) "computed"
int(1)
bool(true)
string(6) "cached"
string(6) "cached"
array(1) {
  [0]=>
  string(6) "killed"
}
