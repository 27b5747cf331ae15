--TEST--
APCu drop-in: when Debian's APCu is loaded too (either load order), APCu keeps its names, keepsake registers none, and nothing warns
--SKIPIF--
<?php
require __DIR__ . '/apcu_dropin.inc';
if (extension_loaded('apcu')) die('skip APCu is loaded');
if (!ks_dropin_apcu_so()) die('skip php8.2-apcu is not installed');
?>
--FILE--
<?php
require __DIR__ . '/apcu_dropin.inc';
$code = escapeshellarg('
    var_dump(extension_loaded("apcu"), extension_loaded("keepsake"));
    var_dump(get_parent_class("APCUIterator"));
    var_dump(count(array_filter(get_extension_funcs("keepsake"), fn($f) => str_starts_with($f, "apcu_"))));
    var_dump(apcu_store("a", 1), apcu_fetch("a"), keepsake_cache_fetch("a"));
    var_dump(ini_get("apc.gc_ttl"));
');
foreach ([[ks_dropin_apcu_so(), ks_dropin_so()], [ks_dropin_so(), ks_dropin_apcu_so()]] as $exts) {
    echo ks_dropin_run($exts, '-d keepsake.cache.apcu_compat=1 -d keepsake.cache.enable_cli=1 -d apc.enable_cli=1 -r ' . $code);
    $m = ks_dropin_run($exts, '-d keepsake.cache.apcu_compat=1 -m');
    var_dump(substr_count($m, "\napcu\n"));
}
?>
--EXPECT--
bool(true)
bool(true)
bool(false)
int(0)
bool(true)
int(1)
bool(false)
string(4) "3600"
int(1)
bool(true)
bool(true)
bool(false)
int(0)
bool(true)
int(1)
bool(false)
string(4) "3600"
int(1)
