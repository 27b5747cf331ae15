--TEST--
The store refuses sizes that would wrap before evicting, leaves the seqlock alone when a fallback read or a lease poll changes nothing, and bounds torn reads by the block (C unit test)
--SKIPIF--
<?php
if (!is_executable('/usr/bin/cc')) die('skip no C compiler');
if (getenv('USE_ZEND_ALLOC') === '0') die('skip pure C test: nothing for valgrind to check in PHP');
?>
--FILE--
<?php
$root = dirname(__DIR__, 2);
$bin = sys_get_temp_dir() . '/ks_store_unit_' . getmypid();
$srcs = [__DIR__ . '/store_unit.c'];
foreach (['arena', 'lock', 'sketch', 'epoch'] as $m) {
    $srcs[] = "$root/src/cache/ks_cache_$m.c";
}
$cmd = sprintf('cc -O1 -Wall -Wextra -Werror -I%s -o %s %s -lpthread 2>&1',
    escapeshellarg("$root/src"), escapeshellarg($bin), implode(' ', array_map('escapeshellarg', $srcs)));
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
