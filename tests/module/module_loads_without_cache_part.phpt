--TEST--
A build with --disable-keepsake-cache loads, has the session handler and no cache
--SKIPIF--
<?php require __DIR__ . '/skipif_variant.inc'; ks_variant_so('nocache'); ?>
--FILE--
<?php
require __DIR__ . '/skipif_variant.inc';
echo ks_run_with_so(ks_variant_so('nocache'), '
    $previous = session_module_name("keepsake");
    var_dump(extension_loaded("keepsake"));
    var_dump(function_exists("keepsake_session_stats"));
    var_dump(function_exists("keepsake_cache_store"));
    var_dump(class_exists("Keepsake\\CacheIterator"));
    ob_start(); phpinfo(INFO_MODULES); $i = ob_get_clean();
    var_dump(str_contains($i, "Shared-memory cache => not compiled in"));
    var_dump(ini_get("keepsake.cache.size"));
    var_dump($previous, session_module_name());
');
?>
--EXPECT--
bool(true)
bool(true)
bool(false)
bool(false)
bool(true)
bool(false)
string(5) "files"
string(8) "keepsake"
