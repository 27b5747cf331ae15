--TEST--
Multi-process: while one process computes a key in entry(), other keys stay fully usable (also in its shard)
--EXTENSIONS--
pcntl
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.shards=1
--FILE--
<?php
require __DIR__ . '/fork.inc';
keepsake_cache_store('other', 'v');
$pid = ks_fork(function () {
    keepsake_cache_entry('slow', function () {
        keepsake_cache_store('computing', 1);
        // hold the lease until the parent says so (bounded)
        ks_until(fn() => keepsake_cache_fetch('release') === 1, 15);
        return 'done';
    });
    return 0;
});
var_dump(ks_until(fn() => keepsake_cache_fetch('computing') === 1));
// one shard: every key shares the lease holder's shard, yet nothing waits
$t = microtime(true);
for ($i = 0; $i < 200; $i++) {
    keepsake_cache_store("k$i", $i);
    keepsake_cache_fetch('other');
}
var_dump(keepsake_cache_fetch('k199'), keepsake_cache_fetch('slow', $ok), $ok, keepsake_cache_info(true)['leases']);
var_dump(microtime(true) - $t < 5.0);
keepsake_cache_store('release', 1);
var_dump(array_values(ks_wait_all([$pid])));
var_dump(keepsake_cache_fetch('slow'));
?>
--EXPECT--
bool(true)
int(199)
bool(false)
bool(false)
int(1)
bool(true)
array(1) {
  [0]=>
  int(0)
}
string(4) "done"
