--TEST--
Random values round-trip with opcache and protect_memory=1: literal arrays are immutable and read-only (20 seeds x 500 values)
--DESCRIPTION--
The same property test as fuzz_values_round_trip.phpt with other seeds, in a
PHP process that loads opcache (-d zend_extension=opcache, enable_cli=1,
protect_memory=1): opcache keeps the compiled fuzz.inc, and so its literal
arrays, in shared memory that is read-only outside opcache's own writes, so
any write into an array the cache does not own is a crash here. (run-tests
points extension_dir at this build's modules/, where opcache is not, hence
the child process.)
--SKIPIF--
<?php
if (!is_file(PHP_EXTENSION_DIR . '/opcache.so')) die('skip opcache.so is not installed');
if (!function_exists('pcntl_fork')) die('skip pcntl is not built in');
?>
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
$child = <<<'PHP'
require getenv('KS_FUZZ_INC');
if (!opcache_is_script_cached(getenv('KS_FUZZ_INC'))) {
    echo "fuzz.inc is not in opcache\n";
}
[$seeds, $values] = ks_fuzz_plan(1001, 20, 500);
$fails = ks_fuzz_seeds($seeds, $values);
echo $fails ? implode("\n", $fails) . "\n" : "all seeds passed\n";
PHP;
$cmd = [PHP_BINARY, '-n',
    '-d', 'zend_extension=' . PHP_EXTENSION_DIR . '/opcache.so',
    '-d', 'opcache.enable_cli=1', '-d', 'opcache.protect_memory=1', '-d', 'opcache.jit=off',
    '-d', 'extension=' . ini_get('extension_dir') . '/keepsake.so',
    /* 64M as scripts/fuzz-cache: each seed's child is one long CLI request
     * that fetches every value zero-copy, so the blocks it deletes stay
     * retired (it may still hold them); they stay in each shard's zero-copy
     * region, so a multi-megabyte serialized value still finds its room
     * (docs/cache.md, "Zero-copy fetch") */
    '-d', 'keepsake.cache.enable_cli=1', '-d', 'keepsake.cache.size=64M', '-d', 'memory_limit=512M',
    '-r', $child];
$env = getenv() + ['KS_FUZZ_INC' => __DIR__ . '/fuzz.inc'];
$p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, null, $env);
echo stream_get_contents($pipes[1]);
echo 'exit ', proc_close($p), "\n";
?>
--EXPECT--
all seeds passed
exit 0
