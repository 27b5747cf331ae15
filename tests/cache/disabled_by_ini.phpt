--TEST--
keepsake.cache.enabled=0 maps nothing, even with enable_cli
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.enabled=0
--FILE--
<?php
var_dump(keepsake_cache_enabled(), keepsake_cache_store('a', 1), keepsake_cache_sma_info());
?>
--EXPECTF--
Warning: keepsake_cache_sma_info(): cannot read the memory info: the cache is disabled (%s) in %s on line %d
bool(false)
bool(false)
bool(false)
