--TEST--
A build with --disable-keepsake-session loads, has the cache and no session handler
--SKIPIF--
<?php require __DIR__ . '/skipif_variant.inc'; ks_variant_so('nosession'); ?>
--FILE--
<?php
require __DIR__ . '/skipif_variant.inc';
echo ks_run_with_so(ks_variant_so('nosession'), '
    var_dump(extension_loaded("keepsake"));
    var_dump(function_exists("keepsake_session_stats"));
    var_dump(function_exists("keepsake_cache_store"));
    var_dump(class_exists("Keepsake\\CacheIterator"));
    ob_start(); phpinfo(INFO_MODULES); $i = ob_get_clean();
    var_dump(str_contains($i, "Session handler => not compiled in"));
    var_dump(str_contains($i, "hiredis"));
    var_dump(ini_get("keepsake.session.prefix"));
');
?>
--EXPECT--
bool(true)
bool(false)
bool(true)
bool(true)
bool(true)
bool(false)
bool(false)
