--TEST--
APCu drop-in: a php-fpm pool's php_admin_value[apc.enabled]=0 and [apc.ttl]=7 act on both names: apcu_enabled() is false there (as APCu; the shared segment stays usable), and apc.ttl/keepsake.cache.ttl both read 7, the TTL used
--SKIPIF--
<?php require __DIR__ . '/fpm.inc'; if ($why = ks_fpm_skip_reason()) die("skip $why"); ?>
--FILE--
<?php
require __DIR__ . '/fpm.inc';
echo ks_fpm_run("php_admin_value[apc.enabled]=0\nphp_admin_value[apc.ttl]=7", '<?php apcu_store("t", 1); $i = apcu_key_info("t");
echo json_encode(["apcu_enabled" => apcu_enabled(), "apc.enabled" => ini_get("apc.enabled"), "keepsake.cache.enabled" => ini_get("keepsake.cache.enabled"), "apc.ttl" => ini_get("apc.ttl"),
  "keepsake.cache.ttl" => ini_get("keepsake.cache.ttl"), "ttl_used" => $i["ttl"] ?? null]);'), "\n";
?>
--EXPECT--
{"apcu_enabled":false,"apc.enabled":"0","keepsake.cache.enabled":"0","apc.ttl":"7","keepsake.cache.ttl":"7","ttl_used":7}
