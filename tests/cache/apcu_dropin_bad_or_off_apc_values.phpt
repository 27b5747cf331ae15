--TEST--
APCu drop-in: a bad apc.* value warns naming the apc.* setting and keeps the default; apc.enabled=0 disables the cache as in APCu
--SKIPIF--
<?php if (extension_loaded('apcu')) die('skip APCu is loaded'); ?>
--INI--
keepsake.cache.apcu_compat=1
apc.enable_cli=1
apc.enabled=0
apc.shm_size=lots
apc.serializer=msgpack
--FILE--
<?php
var_dump(ini_get('apc.shm_size'), ini_get('keepsake.cache.size'), ini_get('apc.serializer'), ini_get('keepsake.cache.serializer'));
var_dump(ini_get('apc.enabled'), ini_get('keepsake.cache.enabled'), apcu_enabled(), apcu_store('a', 1), apcu_clear_cache());
?>
--EXPECTF--
Warning: PHP Startup: apc.shm_size must be a size of at least 1M (suffixes K, M, G), got 'lots'; keeping the default 32M in Unknown on line 0

Warning: PHP Startup: apc.serializer must be 'php' or 'igbinary', got 'msgpack'; keeping 'php' in Unknown on line 0
string(3) "32M"
string(3) "32M"
string(3) "php"
string(3) "php"
string(1) "0"
string(1) "0"
bool(false)
bool(false)
bool(true)
