--TEST--
Without keepsake.cache.apcu_compat no apcu_* names are registered
--SKIPIF--
<?php if (extension_loaded('apcu')) die('skip APCu is loaded'); ?>
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
var_dump(function_exists('apcu_fetch'), class_exists('APCUIterator'), defined('APC_ITER_ALL'), function_exists('keepsake_cache_fetch'));
?>
--EXPECT--
bool(false)
bool(false)
bool(false)
bool(true)
