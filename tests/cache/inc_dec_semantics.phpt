--TEST--
inc/dec: create a missing key at 0 with $ttl, wrap on overflow, keep the TTL, fail on non-int
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
var_dump(keepsake_cache_inc('n', 1, $ok, 100), $ok);
$info = keepsake_cache_key_info('n');
var_dump($info['ttl']);
var_dump(keepsake_cache_inc('n', 10), keepsake_cache_dec('n', 3), keepsake_cache_dec('n'));
var_dump(keepsake_cache_key_info('n')['ttl'] === 100, keepsake_cache_key_info('n')['creation_time'] === $info['creation_time']);
var_dump(keepsake_cache_dec('fresh', 5));
keepsake_cache_store('max', PHP_INT_MAX);
var_dump(keepsake_cache_inc('max') === PHP_INT_MIN);
keepsake_cache_store('min', PHP_INT_MIN);
var_dump(keepsake_cache_dec('min') === PHP_INT_MAX);
keepsake_cache_store('s', 'string');
var_dump(keepsake_cache_inc('s', 1, $ok), $ok, keepsake_cache_fetch('s'));
keepsake_cache_store('f', 1.5);
var_dump(keepsake_cache_inc('f'));
?>
--EXPECT--
int(1)
bool(true)
int(100)
int(11)
int(8)
int(7)
bool(true)
bool(true)
int(-5)
bool(true)
bool(true)
bool(false)
bool(false)
string(6) "string"
bool(false)
