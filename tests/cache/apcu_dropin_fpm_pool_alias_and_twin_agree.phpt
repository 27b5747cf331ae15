--TEST--
review: php-fpm pool with php_admin_value[apc.enabled]=0 (APCu: apcu_enabled() is false there) and php_admin_value[apc.ttl]=7 (both names should read back what is in effect)
--SKIPIF--
<?php if (!is_executable('/usr/sbin/php-fpm8.2')) die('skip php-fpm8.2 not installed'); ?>
--FILE--
<?php
require __DIR__ . '/fpm.inc';
echo review_fpm("php_admin_value[apc.enabled]=0\nphp_admin_value[apc.ttl]=7", '<?php apcu_store("t", 1); $i = apcu_key_info("t");
echo json_encode(["apcu_enabled" => apcu_enabled(), "apc.enabled" => ini_get("apc.enabled"), "apc.ttl" => ini_get("apc.ttl"),
  "keepsake.cache.ttl" => ini_get("keepsake.cache.ttl"), "ttl_used" => $i["ttl"] ?? null]);'), "\n";
?>
--EXPECT--
{"apcu_enabled":false,"apc.enabled":"0","apc.ttl":"7","keepsake.cache.ttl":"7","ttl_used":7}
