--TEST--
pure helpers: save_path parser, session id checks, key names and lock TTL rule (C unit tests, no server)
--SKIPIF--
<?php
exec('command -v cc', $o, $rc);
if ($rc !== 0) die('skip no C compiler');
?>
--FILE--
<?php
$root = dirname(__DIR__, 2);
$bin = sys_get_temp_dir() . '/ks-pure-unit-' . getmypid();
$cmd = 'cc -std=c99 -D_GNU_SOURCE -Wall -Wextra -Werror -I' . escapeshellarg("$root/src") . ' -I/usr/include/hiredis '
    . escapeshellarg("$root/tests/session/unit/pure_unit.c") . ' '
    . escapeshellarg("$root/src/redis/path.c") . ' ' . escapeshellarg("$root/src/redis/endpoint.c")
    . ' ' . escapeshellarg("$root/src/session/keys.c")
    . ' -lm -o ' . escapeshellarg($bin) . ' 2>&1';
exec($cmd, $out, $rc);
if ($rc !== 0) { echo "build failed:\n", implode("\n", $out), "\n"; exit; }
exec(escapeshellarg($bin), $out2, $rc2);
echo implode("\n", $out2), "\n";
var_dump($rc2);
@unlink($bin);
?>
--EXPECTF--
ok %d/%d
int(0)
