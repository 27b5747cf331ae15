--TEST--
APCu drop-in: a php-fpm pool's php_admin_value[apc.serializer]=igbinary without igbinary loaded is refused (one warning at pool start), both names read "php" and objects still store
--SKIPIF--
<?php require __DIR__ . '/fpm.inc'; if ($why = ks_fpm_skip_reason()) die("skip $why");
if (extension_loaded('igbinary')) die('skip igbinary is loaded'); ?>
--FILE--
<?php
require __DIR__ . '/fpm.inc';
echo ks_fpm_run("php_admin_value[apc.serializer]=igbinary", '<?php
var_dump(ini_get("apc.serializer"), ini_get("keepsake.cache.serializer"));
try { var_dump(apcu_store("o", new ArrayObject([1, 2])), apcu_fetch("o")->count()); }
catch (Throwable $e) { echo get_class($e), ": ", $e->getMessage(), "\n"; }'), "\n";
?>
--EXPECTF--
%Astring(3) "php"
string(3) "php"
bool(true)
int(2)
