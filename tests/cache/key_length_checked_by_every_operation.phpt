--TEST--
A key longer than a shard is refused by every operation with one warning, before anything is evicted; entry() still returns the callback's result
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.size=2M
keepsake.cache.shards=4
--FILE--
<?php
for ($i = 0; $i < 200; $i++) {
    keepsake_cache_store("keep$i", $i);
}
$big = str_repeat('k', 600 * 1024);
var_dump(keepsake_cache_store($big, 1));
var_dump(keepsake_cache_add($big, 1));
var_dump(keepsake_cache_fetch($big));
var_dump(keepsake_cache_exists($big));
var_dump(keepsake_cache_delete($big));
var_dump(keepsake_cache_inc($big));
var_dump(keepsake_cache_dec($big, 1, $ok), $ok);
var_dump(keepsake_cache_cas($big, 0, 1));
var_dump(keepsake_cache_entry($big, fn() => 'computed'));
var_dump(keepsake_cache_key_info($big));
$info = keepsake_cache_info(true);
var_dump($info['num_evictions'], $info['num_entries'], $info['leases']);
$keys = array_map(fn($i) => "keep$i", range(0, 199));
var_dump(count(keepsake_cache_fetch($keys)));
?>
--EXPECTF--
Warning: keepsake_cache_store(): cannot store key 'kkk%s...': the key is 614400 bytes, longer than a shard can hold (%d bytes; raise keepsake.cache.size or lower keepsake.cache.shards) in %s on line %d
bool(false)

Warning: keepsake_cache_add(): cannot add key 'kkk%s...': the key is 614400 bytes, longer than a shard can hold (%d bytes; raise keepsake.cache.size or lower keepsake.cache.shards) in %s on line %d
bool(false)

Warning: keepsake_cache_fetch(): cannot fetch key 'kkk%s...': the key is 614400 bytes, longer than a shard can hold (%d bytes; raise keepsake.cache.size or lower keepsake.cache.shards) in %s on line %d
bool(false)

Warning: keepsake_cache_exists(): cannot check key 'kkk%s...': the key is 614400 bytes, longer than a shard can hold (%d bytes; raise keepsake.cache.size or lower keepsake.cache.shards) in %s on line %d
bool(false)

Warning: keepsake_cache_delete(): cannot delete key 'kkk%s...': the key is 614400 bytes, longer than a shard can hold (%d bytes; raise keepsake.cache.size or lower keepsake.cache.shards) in %s on line %d
bool(false)

Warning: keepsake_cache_inc(): cannot increment key 'kkk%s...': the key is 614400 bytes, longer than a shard can hold (%d bytes; raise keepsake.cache.size or lower keepsake.cache.shards) in %s on line %d
bool(false)

Warning: keepsake_cache_dec(): cannot decrement key 'kkk%s...': the key is 614400 bytes, longer than a shard can hold (%d bytes; raise keepsake.cache.size or lower keepsake.cache.shards) in %s on line %d
bool(false)
bool(false)

Warning: keepsake_cache_cas(): cannot compare-and-swap key 'kkk%s...': the key is 614400 bytes, longer than a shard can hold (%d bytes; raise keepsake.cache.size or lower keepsake.cache.shards) in %s on line %d
bool(false)

Warning: keepsake_cache_entry(): cannot cache key 'kkk%s...': the key is 614400 bytes, longer than a shard can hold (%d bytes; raise keepsake.cache.size or lower keepsake.cache.shards) in %s on line %d
string(8) "computed"

Warning: keepsake_cache_key_info(): cannot describe key 'kkk%s...': the key is 614400 bytes, longer than a shard can hold (%d bytes; raise keepsake.cache.size or lower keepsake.cache.shards) in %s on line %d
NULL
int(0)
int(200)
int(0)
int(200)
