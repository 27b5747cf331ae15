--TEST--
APCu drop-in: when an apc.* alias and its keepsake.cache.* twin are both set, keepsake's wins (one warning when they differ) and both read it back
--SKIPIF--
<?php if (extension_loaded('apcu')) die('skip APCu is loaded'); ?>
--INI--
keepsake.cache.apcu_compat=1
keepsake.cache.enable_cli=1
apc.enable_cli=1
keepsake.cache.size=8M
apc.shm_size=64M
keepsake.cache.ttl=7
apc.ttl=7
--FILE--
<?php
var_dump(ini_get('apc.shm_size'), ini_get('keepsake.cache.size'), ini_get('apc.ttl'), ini_get('keepsake.cache.ttl'));
$sma = apcu_sma_info(true);
var_dump($sma['num_seg'] * $sma['seg_size'] <= 8 << 20);
?>
--EXPECTF--
Warning: PHP Startup: apc.shm_size=64M is ignored: keepsake.cache.size=8M is set too and wins in Unknown on line 0
string(2) "8M"
string(2) "8M"
string(1) "7"
string(1) "7"
bool(true)
