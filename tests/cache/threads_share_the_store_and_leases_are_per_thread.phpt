--TEST--
ZTS: threads of one process share the cache store; an entry() lease belongs to one thread, so a key is computed once across threads, and 4 threads x 20000 increments end exact (C unit test with pthreads)
--SKIPIF--
<?php
if (!is_executable('/usr/bin/cc')) die('skip no C compiler');
if (getenv('USE_ZEND_ALLOC') === '0') die('skip pure C test: nothing for valgrind to check in PHP');
?>
--FILE--
<?php
$root = dirname(__DIR__, 2);
$bin = sys_get_temp_dir() . '/ks_threads_unit_' . getmypid();
$srcs = array_map(fn($f) => escapeshellarg("$root/src/cache/$f.c"),
    ['ks_cache_store', 'ks_cache_store_read', 'ks_cache_store_evict', 'ks_cache_store_info',
     'ks_cache_shard', 'ks_cache_arena', 'ks_cache_sketch', 'ks_cache_lock', 'ks_cache_epoch']);
$cmd = sprintf('cc -O1 -Wall -Wextra -Werror -I%s -o %s %s %s -lpthread 2>&1',
    escapeshellarg("$root/src"), escapeshellarg($bin),
    escapeshellarg(__DIR__ . '/threads_unit.c'), implode(' ', $srcs));
exec($cmd, $out, $rc);
if ($rc !== 0) {
    echo "compile failed:\n", implode("\n", $out), "\n";
    exit;
}
$out = [];
exec('timeout 120 ' . escapeshellarg($bin) . ' 2>&1', $out, $rc);
@unlink($bin);
echo implode("\n", $out), "\n", "exit $rc\n";
?>
--EXPECT--
ok
exit 0
