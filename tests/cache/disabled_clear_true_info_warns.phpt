--TEST--
A disabled cache: clear() returns true, info() and sma_info() warn and return false, entry() still runs its callback (APCu's behaviour but for entry())
--INI--
keepsake.cache.enable_cli=0
--FILE--
<?php
var_dump(keepsake_cache_enabled());
var_dump(keepsake_cache_clear());
var_dump(keepsake_cache_info());
var_dump(keepsake_cache_info(true));
var_dump(keepsake_cache_sma_info());
var_dump(keepsake_cache_sma_info(true));
var_dump(keepsake_cache_entry('k', fn($k) => "computed $k"));
var_dump(keepsake_cache_key_info('k'));
?>
--EXPECTF--
bool(false)
bool(true)

Warning: keepsake_cache_info(): cannot read the cache info: the cache is disabled (keepsake.cache.enabled=0, or the CLI without keepsake.cache.enable_cli=1, or the segment could not be mapped) in %s on line %d
bool(false)

Warning: keepsake_cache_info(): cannot read the cache info: the cache is disabled (%s) in %s on line %d
bool(false)

Warning: keepsake_cache_sma_info(): cannot read the memory info: the cache is disabled (%s) in %s on line %d
bool(false)

Warning: keepsake_cache_sma_info(): cannot read the memory info: the cache is disabled (%s) in %s on line %d
bool(false)
string(10) "computed k"
NULL
