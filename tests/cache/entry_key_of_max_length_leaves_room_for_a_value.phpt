--TEST--
The longest key a shard accepts still has room for the smallest value: entry() with it caches null; one byte longer is refused before anything is evicted; inc() on a key too long for an int says the key is too long
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.size=2M
keepsake.cache.shards=1
--FILE--
<?php
// the longest key, from the warning a far too long key gives
set_error_handler(function ($no, $msg) use (&$max) {
    preg_match('/\((\d+) bytes;/', $msg, $m);
    $max = (int) $m[1];
    return true;
});
keepsake_cache_exists(str_repeat('k', 4 << 20));
restore_error_handler();
$key = str_repeat('k', $max);

// one byte longer: refused with the key's warning, the callback still runs, nothing is evicted
for ($i = 0; $i < 500; $i++) {
    keepsake_cache_store("small$i", $i);
}
var_dump(keepsake_cache_entry($key . 'k', fn() => 'computed'));
var_dump(count(keepsake_cache_fetch(array_map(fn($i) => "small$i", range(0, 499)))));

// the longest key holds a one-byte value (null), through entry() and store()
var_dump(keepsake_cache_entry($key, fn() => null), keepsake_cache_exists($key), keepsake_cache_info(true)['leases']);
var_dump(keepsake_cache_delete($key), keepsake_cache_store($key, true), keepsake_cache_fetch($key));
// an int needs 9 bytes: inc/dec say the key is too long for it
var_dump(keepsake_cache_inc($key), keepsake_cache_dec(substr($key, 7)));
var_dump(keepsake_cache_inc(substr($key, 8)));
?>
--EXPECTF--
Warning: keepsake_cache_entry(): cannot cache key 'kkk%s...': the key is %d bytes, longer than a shard can hold (%d bytes; raise keepsake.cache.size or lower keepsake.cache.shards) in %s on line %d
string(8) "computed"
int(500)
NULL
bool(true)
int(0)
bool(true)
bool(true)
bool(true)

Warning: keepsake_cache_inc(): cannot increment key 'kkk%s...': the key is %d bytes, longer than a shard can hold with an int (%d bytes; raise keepsake.cache.size or lower keepsake.cache.shards) in %s on line %d

Warning: keepsake_cache_dec(): cannot decrement key 'kkk%s...': the key is %d bytes, longer than a shard can hold with an int (%d bytes; raise keepsake.cache.size or lower keepsake.cache.shards) in %s on line %d
bool(false)
bool(false)
int(1)
