--TEST--
APCu drop-in: extension_loaded('apcu'), phpversion('apcu'), the "apcu" module owns the apcu_* names, and the apc.* INI names act on keepsake.cache.*
--SKIPIF--
<?php if (extension_loaded('apcu')) die('skip APCu is loaded'); ?>
--INI--
keepsake.cache.apcu_compat=1
apc.enable_cli=1
apc.shm_size=16M
apc.ttl=100
apc.gc_ttl=60
apc.entries_hint=1000
apc.slam_defense=1
--FILE--
<?php
// what libraries probe
var_dump(extension_loaded('apcu'), phpversion('apcu'), ini_get('apc.enabled'), apcu_enabled());
var_dump(version_compare(phpversion('apcu'), '5.1.0', '>='));
// the "apcu" module owns its names; keepsake keeps its own
$apcu = get_extension_funcs('apcu');
sort($apcu);
echo implode(' ', $apcu), "\n";
var_dump(array_filter(get_extension_funcs('keepsake'), fn($f) => str_starts_with($f, 'apcu_')));
$r = new ReflectionExtension('apcu');
var_dump($r->getVersion(), $r->getClassNames(), count($r->getConstants()), (new ReflectionFunction('apcu_fetch'))->getExtensionName());
var_dump(get_parent_class('APCUIterator'));
// aliased settings act on their twins and both names read back the value in effect
foreach (['enabled', 'enable_cli', 'shm_size', 'ttl', 'serializer'] as $n) echo "apc.$n=", ini_get("apc.$n"), ' ';
echo "\n";
foreach (['enabled', 'enable_cli', 'size', 'ttl', 'serializer'] as $n) echo "keepsake.cache.$n=", ini_get("keepsake.cache.$n"), ' ';
echo "\n";
$sma = apcu_sma_info(true);
var_dump($sma['num_seg'] * $sma['seg_size'] <= 16 << 20, $sma['num_seg'] * $sma['seg_size'] > 15 << 20);
apcu_store('k', 1);
var_dump(apcu_key_info('k')['ttl'], apcu_cache_info(true)['ttl']);
// ignored settings are accepted and read back
var_dump(ini_get('apc.gc_ttl'), ini_get('apc.entries_hint'), ini_get('apc.slam_defense'), ini_get('apc.smart'), ini_get('apc.mmap_file_mask'));
$all = ini_get_all('apcu', false);
ksort($all);
echo implode(' ', array_keys($all)), "\n";
// scopes as in APCu: SYSTEM settings cannot change at run time, use_request_time can
var_dump(ini_set('apc.enabled', '0'), ini_set('apc.shm_size', '64M'), ini_set('apc.use_request_time', '1'), ini_get('apc.use_request_time'));
?>
--EXPECT--
bool(true)
string(6) "5.1.22"
string(1) "1"
bool(true)
bool(true)
apcu_add apcu_cache_info apcu_cas apcu_clear_cache apcu_dec apcu_delete apcu_enabled apcu_entry apcu_exists apcu_fetch apcu_inc apcu_key_info apcu_sma_info apcu_store
array(0) {
}
string(6) "5.1.22"
array(1) {
  [0]=>
  string(12) "APCUIterator"
}
int(15)
string(4) "apcu"
string(22) "Keepsake\CacheIterator"
apc.enabled=1 apc.enable_cli=1 apc.shm_size=16M apc.ttl=100 apc.serializer=php 
keepsake.cache.enabled=1 keepsake.cache.enable_cli=1 keepsake.cache.size=16M keepsake.cache.ttl=100 keepsake.cache.serializer=php 
bool(true)
bool(true)
int(100)
int(100)
string(2) "60"
string(4) "1000"
string(1) "1"
string(1) "0"
string(0) ""
apc.coredump_unmap apc.enable_cli apc.enabled apc.entries_hint apc.gc_ttl apc.mmap_file_mask apc.preload_path apc.serializer apc.shm_segments apc.shm_size apc.slam_defense apc.smart apc.ttl apc.use_request_time
bool(false)
bool(false)
string(1) "0"
string(1) "1"
