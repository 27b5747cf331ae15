--TEST--
keepsake loaded with dl() removes the functions its parts registered when the request ends (they kept names freed with the request: an invalid read in zend_function_dtor at shutdown)
--SKIPIF--
<?php
if (getenv('USE_ZEND_ALLOC') === '0') die('skip runs valgrind itself (already under valgrind)');
if (!is_executable('/usr/bin/valgrind')) die('skip valgrind not installed');
?>
--FILE--
<?php
$dir = ini_get('extension_dir');
foreach (['-d keepsake.cache.enable_cli=1', '-d keepsake.cache.enable_cli=1 -d keepsake.cache.apcu_compat=1'] as $opts) {
    $cmd = 'USE_ZEND_ALLOC=0 valgrind -q --error-exitcode=9 ' . escapeshellarg(getenv('TEST_PHP_EXECUTABLE'))
        . ' -n -d enable_dl=1 -d extension_dir=' . escapeshellarg($dir) . " $opts"
        . ' -r ' . escapeshellarg('dl("keepsake.so"); var_dump(keepsake_cache_store("k", 1), function_exists("keepsake_session_stats"));') . ' 2>&1';
    exec($cmd, $out, $rc);
    echo implode("\n", $out), "\nexit $rc\n";
    $out = [];
}
?>
--EXPECT--
bool(true)
bool(true)
exit 0
bool(true)
bool(true)
exit 0
