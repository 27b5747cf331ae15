--TEST--
The shard allocator (ks_cache_arena.c) keeps its invariants under 200k random allocations and frees (C unit test)
--SKIPIF--
<?php
if (!is_executable('/usr/bin/cc')) die('skip no C compiler');
if (getenv('USE_ZEND_ALLOC') === '0') die('skip pure C test: nothing for valgrind to check in PHP');
?>
--FILE--
<?php
$root = dirname(__DIR__, 2);
$bin = sys_get_temp_dir() . '/ks_arena_unit_' . getmypid();
$cmd = sprintf('cc -O1 -Wall -Wextra -Werror -I%s -o %s %s %s 2>&1',
    escapeshellarg("$root/src"), escapeshellarg($bin),
    escapeshellarg(__DIR__ . '/arena_unit.c'), escapeshellarg("$root/src/cache/ks_cache_arena.c"));
exec($cmd, $out, $rc);
if ($rc !== 0) {
    echo "compile failed:\n", implode("\n", $out), "\n";
    exit;
}
$out = [];
exec(escapeshellarg($bin) . ' 2>&1', $out, $rc);
@unlink($bin);
echo implode("\n", $out), "\n", "exit $rc\n";
?>
--EXPECT--
ok
exit 0
