--TEST--
APCu drop-in: php -m lists apcu once, phpinfo has an apcu section with every apc.* name (aliased or ignored), and nothing warns
--SKIPIF--
<?php if (extension_loaded('apcu')) die('skip APCu is loaded'); ?>
--FILE--
<?php
require __DIR__ . '/apcu_dropin.inc';
$ks = [ks_dropin_so()];
$m = ks_dropin_run($ks, '-d keepsake.cache.apcu_compat=1 -m');
var_dump(substr_count($m, "\napcu\n"), substr_count($m, "\nkeepsake\n"), strpos($m, 'Warning'));
// off by default: no apcu module
var_dump(substr_count(ks_dropin_run($ks, '-m'), "\napcu\n"));
$info = ks_dropin_run($ks, '-d keepsake.cache.apcu_compat=1 -d apc.gc_ttl=77 --ri apcu');
echo $info;
// the whole phpinfo() page renders, with the section among the others
$page = ks_dropin_run($ks, '-d keepsake.cache.apcu_compat=1 -r ' . escapeshellarg('phpinfo(INFO_MODULES);'));
var_dump(substr_count($page, "\napcu\n"), str_contains($page, 'apc.gc_ttl => 3600 (ignored by keepsake)'), strpos($page, 'Warning'));
// HTML output escapes values
$html = ks_dropin_run($ks, '-d keepsake.cache.apcu_compat=1 -d "apc.preload_path=<b>" -r ' . escapeshellarg('
    ob_start(); phpinfo(INFO_MODULES); ob_end_clean();
    echo ini_get("apc.preload_path"), "\n";'));
echo $html;
?>
--EXPECT--
int(1)
int(1)
bool(false)
int(0)

apcu

APCu Support => Disabled
Version => 5.1.22
Provided by => keepsake 0.1.0 (keepsake.cache.apcu_compat=1): apcu_* are keepsake_cache_*

Directive => Local Value => Master Value
apc.enabled => 1 (sets keepsake.cache.enabled) => 1 (sets keepsake.cache.enabled)
apc.enable_cli => 0 (sets keepsake.cache.enable_cli) => 0 (sets keepsake.cache.enable_cli)
apc.shm_size => 32M (sets keepsake.cache.size) => 32M (sets keepsake.cache.size)
apc.ttl => 0 (sets keepsake.cache.ttl) => 0 (sets keepsake.cache.ttl)
apc.serializer => php (sets keepsake.cache.serializer) => php (sets keepsake.cache.serializer)
apc.entries_hint => 4096 (ignored by keepsake) => 4096 (ignored by keepsake)
apc.gc_ttl => 77 (ignored by keepsake) => 77 (ignored by keepsake)
apc.use_request_time => 0 (ignored by keepsake) => 0 (ignored by keepsake)
apc.slam_defense => 0 (ignored by keepsake) => 0 (ignored by keepsake)
apc.smart => 0 (ignored by keepsake) => 0 (ignored by keepsake)
apc.mmap_file_mask => no value (ignored by keepsake) => no value (ignored by keepsake)
apc.preload_path => no value (ignored by keepsake) => no value (ignored by keepsake)
apc.coredump_unmap => 0 (ignored by keepsake) => 0 (ignored by keepsake)
apc.shm_segments => 1 (ignored by keepsake) => 1 (ignored by keepsake)
int(1)
bool(true)
bool(false)
<b>
