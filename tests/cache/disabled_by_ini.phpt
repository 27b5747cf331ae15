--TEST--
keepsake.cache.enabled=0 maps nothing, even with enable_cli
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.enabled=0
--FILE--
<?php
var_dump(keepsake_cache_enabled(), keepsake_cache_store('a', 1), keepsake_cache_sma_info());
?>
--EXPECT--
bool(false)
bool(false)
bool(false)
