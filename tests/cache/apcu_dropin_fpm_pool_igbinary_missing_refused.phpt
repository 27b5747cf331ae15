--TEST--
review: php-fpm pool with php_admin_value[apc.serializer]=igbinary while igbinary is not loaded: storing an object must not throw "Invalid callback igbinary_serialize" (MINIT's igbinary check is bypassed)
--SKIPIF--
<?php if (!is_executable('/usr/sbin/php-fpm8.2')) die('skip php-fpm8.2 not installed'); ?>
--FILE--
<?php
require __DIR__ . '/fpm.inc';
echo review_fpm("php_admin_value[apc.serializer]=igbinary", '<?php
try { var_dump(apcu_store("o", new ArrayObject([1, 2])), apcu_fetch("o")->count()); }
catch (Throwable $e) { echo get_class($e), ": ", $e->getMessage(), "\n"; }'), "\n";
?>
--EXPECTF--
%Abool(true)
int(2)
