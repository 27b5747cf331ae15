--TEST--
Random values through the immutable layout with opcache and protect_memory=1: opcache's read-only literal arrays as sources (20 seeds x 500 values)
--DESCRIPTION--
The property test of immutable_fuzz_values_round_trip.phpt with other seeds,
in a PHP that loads opcache with protect_memory=1 (as
fuzz_values_round_trip_opcache.phpt does): fuzz.inc's literal arrays are then
opcache's immutable arrays in read-only memory, so persisting them proves the
writer never writes its source, and the blocks of immutable_fuzz.inc are
read-only as well.
--SKIPIF--
<?php
if (!function_exists('keepsake_debug_immutable')) die('skip needs a --enable-keepsake-debug build');
if (!is_file(PHP_EXTENSION_DIR . '/opcache.so')) die('skip opcache.so is not installed');
if (!function_exists('pcntl_fork')) die('skip pcntl is not built in');
?>
--FILE--
<?php
$child = <<<'PHP'
require getenv('KS_IMM_FUZZ_INC');
if (!opcache_is_script_cached(dirname(getenv('KS_IMM_FUZZ_INC')) . '/fuzz.inc')) {
    echo "fuzz.inc is not in opcache\n";
}
[$seeds, $values] = ks_fuzz_plan(3001, 20, 500);
$fails = ks_fuzz_seeds($seeds, $values, 300, 'ks_imm_fuzz_seed');
echo $fails ? implode("\n", $fails) . "\n" : "all seeds passed\n";
PHP;
$cmd = [PHP_BINARY, '-n',
    '-d', 'zend_extension=' . PHP_EXTENSION_DIR . '/opcache.so',
    '-d', 'opcache.enable_cli=1', '-d', 'opcache.protect_memory=1', '-d', 'opcache.jit=off',
    '-d', 'extension=' . ini_get('extension_dir') . '/keepsake.so',
    '-d', 'memory_limit=512M',
    '-r', $child];
$env = getenv() + ['KS_IMM_FUZZ_INC' => __DIR__ . '/immutable_fuzz.inc'];
$p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, null, $env);
echo stream_get_contents($pipes[1]);
echo 'exit ', proc_close($p), "\n";
?>
--EXPECT--
all seeds passed
exit 0
