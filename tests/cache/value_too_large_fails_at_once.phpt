--TEST--
A value larger than a shard fails at once with false and one warning; nothing is evicted for it
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.size=2M
keepsake.cache.shards=4
--FILE--
<?php
keepsake_cache_store('small', 'kept');
$t = microtime(true);
var_dump(keepsake_cache_store('big', str_repeat('x', 1024 * 1024)));
var_dump(keepsake_cache_fetch('small'), keepsake_cache_info(true)['num_evictions']);
var_dump(keepsake_cache_store(['big' => str_repeat('y', 1024 * 1024), 'ok' => 1]));
?>
--EXPECTF--
Warning: keepsake_cache_store(): cannot store key 'big': the value is larger than a shard can hold (%d bytes; raise keepsake.cache.size or lower keepsake.cache.shards) in %s on line %d
bool(false)
string(4) "kept"
int(0)

Warning: keepsake_cache_store(): cannot store key 'big': the value is larger than a shard can hold (%d bytes; raise keepsake.cache.size or lower keepsake.cache.shards) in %s on line %d
array(1) {
  ["big"]=>
  int(-1)
}
