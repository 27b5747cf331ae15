--TEST--
The read-frequency sketch (ks_cache_sketch.c): halving 8 counters per word equals a per-byte halving, counters saturate, estimates never undercount (C unit test)
--SKIPIF--
<?php
if (!is_executable('/usr/bin/cc')) die('skip no C compiler');
if (getenv('USE_ZEND_ALLOC') === '0') die('skip pure C test: nothing for valgrind to check in PHP');
?>
--FILE--
<?php
$root = dirname(__DIR__, 2);
$bin = sys_get_temp_dir() . '/ks_sketch_unit_' . getmypid();
$cmd = sprintf('cc -O1 -Wall -Wextra -Werror -I%s -o %s %s %s 2>&1',
    escapeshellarg("$root/src"), escapeshellarg($bin),
    escapeshellarg(__DIR__ . '/sketch_unit.c'), escapeshellarg("$root/src/cache/ks_cache_sketch.c"));
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
