--TEST--
keepsake.cache.serializer=igbinary without igbinary loaded: one startup warning, and both names read back 'php', the serializer in effect
--SKIPIF--
<?php if (extension_loaded('igbinary')) die('skip igbinary is loaded'); ?>
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.apcu_compat=1
apc.serializer=igbinary
--FILE--
<?php
var_dump(ini_get('keepsake.cache.serializer'), ini_get('apc.serializer'));
var_dump(keepsake_cache_store('o', new ArrayObject([1, 2])), keepsake_cache_fetch('o')->count());
?>
--EXPECTF--
Warning: PHP Startup: apc.serializer=igbinary but igbinary is not loaded; using 'php' in Unknown on line 0
string(3) "php"
string(3) "php"
bool(true)
int(2)
