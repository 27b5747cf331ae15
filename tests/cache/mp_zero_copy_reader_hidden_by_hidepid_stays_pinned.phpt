--TEST--
Zero-copy: a reader that /proc hides (hidepid=2, another user's process) is not taken for dead, so its blocks are not reclaimed under it
--DESCRIPTION--
With /proc mounted hidepid=2 a process sees no /proc/<pid> of another
user's processes, as php-fpm pools running under their own users do.
The collector found a blocking reader alive with kill() (EPERM), then could
not read its /proc/<pid>/stat (ENOENT) and took it for dead: it freed the
reader's slot and reused the blocks the reader was still reading.
This runs in a private pid and mount namespace with its own /proc remounted
hidepid=2 (root, util-linux unshare): a reader under uid 65534 fetches a
3000-element array and checks it for 4 s, while a writer under uid 65533
overwrites, deletes and fills the cache from the second 1.5 on. The reader
must see its data intact, and no slot may be reclaimed as dead.
--SKIPIF--
<?php
if (posix_geteuid_or_skip() !== 0) die('skip needs root');
function posix_geteuid_or_skip(): int { return (int) trim((string) shell_exec('id -u')); }
exec('unshare --pid --fork --mount --mount-proc sh -c "mount -o remount,hidepid=2 /proc" 2>&1', $out, $rc);
if ($rc !== 0) die('skip needs unshare --pid --mount with a hidepid=2 /proc (root): ' . implode(' ', $out));
if (!is_file(PHP_EXTENSION_DIR . '/posix.so') && !function_exists('posix_setuid')) die('skip needs the posix extension');
?>
--FILE--
<?php
$dir = sys_get_temp_dir() . '/ks-hidepid-' . getmypid();
@mkdir($dir, 0755);
chmod($dir, 0755);
file_put_contents("$dir/t.php", <<<'PHP'
<?php
$val = array_fill(0, 3000, str_repeat('v', 40));
keepsake_cache_store('big', $val);
$a = pcntl_fork();
if ($a === 0) {
    posix_setgid(65534); posix_setuid(65534);
    $v = keepsake_cache_fetch('big');
    $ok = true; $end = microtime(true) + 4;
    while ($ok && microtime(true) < $end) {
        foreach ($v as $x) { if ($x !== str_repeat('v', 40)) { $ok = false; break; } }
        usleep(1000);
    }
    echo $ok ? "reader: data intact\n" : "reader: data CHANGED\n";
    exit(0);
}
$b = pcntl_fork();
if ($b === 0) {
    posix_setgid(65533); posix_setuid(65533);
    usleep(1500000);
    $end = microtime(true) + 2;
    while (microtime(true) < $end) {
        keepsake_cache_store('big', array_fill(0, 3000, str_repeat('w', 40)));
        keepsake_cache_delete('big');
        for ($i = 0; $i < 20; $i++) keepsake_cache_store("f$i", array_fill(0, 100, str_repeat('z', 40)));
    }
    echo "writer: dead_reclaimed=", keepsake_cache_info(true)['zero_copy']['dead_reclaimed'], "\n";
    exit(0);
}
pcntl_waitpid($b, $s2);
pcntl_waitpid($a, $s1);
PHP);
chmod("$dir/t.php", 0644);
$posix = function_exists('posix_setuid') ? '' : ' -d extension=' . escapeshellarg(PHP_EXTENSION_DIR . '/posix.so');
$so = rtrim(ini_get('extension_dir'), '/') . '/keepsake.so';
$php = escapeshellarg(PHP_BINARY) . ' -n' . $posix . ' -d extension=' . escapeshellarg($so)
    . ' -d keepsake.cache.enable_cli=1 -d keepsake.cache.size=8M ' . escapeshellarg("$dir/t.php");
$cmd = 'unshare --pid --fork --mount --mount-proc sh -c ' . escapeshellarg("mount -o remount,hidepid=2 /proc && $php");
$lines = [];
exec("timeout 60 $cmd 2>&1", $lines, $rc);
sort($lines);
echo implode("\n", $lines), "\nrc=$rc\n";
unlink("$dir/t.php");
rmdir($dir);
?>
--EXPECT--
reader: data intact
writer: dead_reclaimed=0
rc=0
