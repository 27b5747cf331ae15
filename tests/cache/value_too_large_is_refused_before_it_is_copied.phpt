--TEST--
A value larger than a shard is refused before it is copied: no memory_limit fatal, one warning, false; the limit is exact to the byte
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.size=4M
keepsake.cache.shards=4
memory_limit=48M
--FILE--
<?php
// 28 MB fits under memory_limit once, not twice: a copy of it would be fatal
$s = str_repeat('x', 28 << 20);
var_dump(keepsake_cache_store('str', $s));
var_dump(keepsake_cache_store('list', [1, $s, 2]));
var_dump(keepsake_cache_store(['nested' => ['a' => ['b' => $s]], 'ok' => 1]));
var_dump(keepsake_cache_fetch('ok'), keepsake_cache_exists(['str', 'list', 'nested']));
// past the limit the pass still finds a resource after the big part
var_dump(keepsake_cache_store('res', [$s, fopen('php://memory', 'r')]));
// many small strings that together pass the limit
var_dump(keepsake_cache_store('many', array_fill(0, 100000, 'yyyyyyyyyy')));
unset($s);

// the shard's limit, from the warning: a value of exactly that size is stored, one byte more is not
set_error_handler(function ($no, $msg) use (&$max) {
    preg_match('/\((\d+) bytes;/', $msg, $m);
    $max = (int) $m[1];
    return true;
});
keepsake_cache_store('s', str_repeat('z', 2 << 20));
restore_error_handler();
// a string is a tag, a 4-byte length and its bytes
var_dump(keepsake_cache_store('s', str_repeat('z', $max - 5)), strlen(keepsake_cache_fetch('s')) === $max - 5);
var_dump(keepsake_cache_store('s', str_repeat('z', $max - 4)));
// ['a' => str]: 6 bytes of array header, 6 of key, 5 of string header
var_dump(keepsake_cache_store('s', ['a' => str_repeat('z', $max - 17)]), strlen(keepsake_cache_fetch('s')['a']) === $max - 17);
var_dump(keepsake_cache_store('s', ['a' => str_repeat('z', $max - 16)]));
echo "done\n";
?>
--EXPECTF--
Warning: keepsake_cache_store(): cannot store key 'str': the value is larger than a shard can hold (%d bytes; raise keepsake.cache.size or lower keepsake.cache.shards) in %s on line %d
bool(false)

Warning: keepsake_cache_store(): cannot store key 'list': the value is larger than a shard can hold (%d bytes; raise keepsake.cache.size or lower keepsake.cache.shards) in %s on line %d
bool(false)

Warning: keepsake_cache_store(): cannot store key 'nested': the value is larger than a shard can hold (%d bytes; raise keepsake.cache.size or lower keepsake.cache.shards) in %s on line %d
array(1) {
  ["nested"]=>
  int(-1)
}
int(1)
array(0) {
}

Warning: keepsake_cache_store(): cannot store key 'res': resources cannot be cached in %s on line %d
bool(false)

Warning: keepsake_cache_store(): cannot store key 'many': the value is larger than a shard can hold (%d bytes; raise keepsake.cache.size or lower keepsake.cache.shards) in %s on line %d
bool(false)
bool(true)
bool(true)

Warning: keepsake_cache_store(): cannot store key 's': the value is larger than a shard can hold (%d bytes; raise keepsake.cache.size or lower keepsake.cache.shards) in %s on line %d
bool(false)
bool(true)
bool(true)

Warning: keepsake_cache_store(): cannot store key 's': the value is larger than a shard can hold (%d bytes; raise keepsake.cache.size or lower keepsake.cache.shards) in %s on line %d
bool(false)
done
