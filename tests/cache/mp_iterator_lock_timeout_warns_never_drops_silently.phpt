--TEST--
Keepsake\CacheIterator: a value load that cannot get the shard lock (lock_timeout, another process holds it) warns; live entries are never dropped silently
--SKIPIF--
<?php
if (!function_exists('pcntl_fork')) die('skip pcntl');
if (ini_get('keepsake.cache.debug_lock_pause') === false) die('skip needs --enable-keepsake-debug');
?>
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.shards=1
--FILE--
<?php
for ($i = 0; $i < 50; $i++) keepsake_cache_store("k$i", $i);
$it = new Keepsake\CacheIterator(null, KEEPSAKE_CACHE_ITER_VALUE, 5);
$it->rewind(); $it->valid();   // snapshot and first chunk, before the lock is held
$pid = pcntl_fork();
if ($pid === 0) {
    ini_set('keepsake.cache.debug_lock_pause', '1500');   // hold the shard lock ~1.5 s per store
    for ($j = 0; $j < 2; $j++) keepsake_cache_store("k0", 0);
    exit(0);
}
usleep(300000);
ini_set('keepsake.cache.lock_timeout', '50');
$n = 0; $warned = false;
set_error_handler(function ($no, $msg) use (&$warned) { $warned = true; return true; });
for (; $it->valid(); $it->next()) $n++;
restore_error_handler();
pcntl_waitpid($pid, $st);
// every entry is still in the cache: either all 50 are visited, or the skipped ones are reported
var_dump($n === 50 || $warned);
?>
--EXPECT--
bool(true)
