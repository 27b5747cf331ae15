--TEST--
Zero-copy: among workers that dropped root for one user (as php-fpm's do), an exec'd child's slot is freed and a pinned worker's is kept
--DESCRIPTION--
php-fpm's master runs as root and its workers switch to the pool's user,
which makes them non-dumpable: another worker of that user cannot read
their /proc/<pid>/maps (EACCES), so the check must call them mapped. A
program a worker starts with proc_open is dumpable again after its exec, so
the same workers can read its maps and see that it no longer maps the
segment. Here every process but the main one runs as uid 65534: a reader
pins an array and checks it for 4 s; a worker pins it, starts `sleep 60`
with proc_open and exits; a writer overwrites the array and stores others.
The reader must see its data intact, the writer must free the exec'd
child's slot (unmapped_reclaimed 1) and no other (dead_reclaimed 0), and the
retired blocks come back once the reader is done, with the sleep running.
Where proc_open() starts the child with posix_spawn() (PHP 8.4 here), no
fork hook runs and the child never holds a slot, so none is freed for it:
the retired blocks must come back all the same.
--SKIPIF--
<?php
if (PHP_ZTS) die('skip zero-copy is off under ZTS: fetch copies there');
if ((int) trim((string) shell_exec('id -u')) !== 0) die('skip needs root (the workers switch to uid 65534)');
if (!is_file(PHP_EXTENSION_DIR . '/posix.so') && !function_exists('posix_setuid')) die('skip needs the posix extension');
if (!is_executable('/bin/sleep')) die('skip needs /bin/sleep');
?>
--EXTENSIONS--
pcntl
--CONFLICTS--
mp-timing
--FILE--
<?php
/* posix is not loaded under run-tests: the test runs in a PHP of its own
 * that loads it (as tests/cache/mp_zero_copy_reader_hidden_by_hidepid_stays_pinned.phpt) */
$dir = sys_get_temp_dir() . '/kszcuser' . getmypid();
@mkdir($dir);
chmod($dir, 0777);
file_put_contents("$dir/t.php", str_replace(['@FORK_INC@', '@DIR@'], [var_export(__DIR__ . '/fork.inc', true), var_export($dir, true)], <<<'PHP'
<?php
require @FORK_INC@;
$dir = @DIR@;
/* built once per version: the test's CPU goes to the cache, not to PHP
 * (it runs beside other tests, and under valgrind) */
function value(int $ver): array {
    static $made = [];
    return $made[$ver] ??= array_map(fn($i) => ['ver' => $ver, 'i' => $i, 'pad' => str_repeat(chr(97 + $ver % 26), 40)], range(0, 999));
}
function intact(array $v, int $ver): bool {
    $pad = str_repeat(chr(97 + $ver % 26), 40);
    foreach ($v as $i => $e) {
        if ($e['ver'] !== $ver || $e['i'] !== $i || $e['pad'] !== $pad) {
            return false;
        }
    }
    return count($v) === 1000;
}
function as_nobody(): void {
    if (!posix_setgid(65534) || !posix_setuid(65534)) {
        exit(7);
    }
}
function zc(): array { return keepsake_cache_info(true)['zero_copy']; }
function put(string $file, string $data): void {
    file_put_contents("$file.tmp", $data);
    rename("$file.tmp", $file);
}
keepsake_cache_store('big', value(0));
$r = ks_fork(function () use ($dir) {
    as_nobody();
    $v = keepsake_cache_fetch('big');
    put("$dir/reader-ready", '1');
    $ok = true;
    $end = microtime(true) + 4;
    while ($ok && microtime(true) < $end) {
        $ok = intact($v, 0);
        usleep(20000);
    }
    put("$dir/reader", $ok ? 'intact' : 'CHANGED');
    return 0;
});
$w = ks_fork(function () use ($dir) {
    as_nobody();
    $v = keepsake_cache_fetch('big');
    $p = proc_open(['/bin/sleep', '60'], [], $pipes);
    put("$dir/sleeper", (string) ($p ? proc_get_status($p)['pid'] : 0));
    return intact($v, 0) ? 0 : 1;
});
echo "worker exit ", ks_wait_all([$w])[$w], ", reader ready: ", var_export(ks_until(fn() => is_file("$dir/reader-ready")), true), "\n";
$sleeper = ks_until(fn() => is_file("$dir/sleeper")) ? (int) file_get_contents("$dir/sleeper") : 0;
$c = ks_fork(function () use ($dir) {
    as_nobody();
    $n = 0;
    $end = microtime(true) + 8;
    $pinned_while_reading = true;
    do {
        keepsake_cache_store('big', value(++$n % 20 + 1));
        for ($i = 0; $i < 4; $i++) {
            keepsake_cache_store("fill$i", value($n % 20 + 1));
        }
        $zc = zc();
        $reading = !is_file("$dir/reader");
        $pinned_while_reading = $pinned_while_reading && (!$reading || $zc['pinned'] >= 1);
        usleep(10000);
    } while ($reading && microtime(true) < $end);
    $freed = ks_until(function () {
        keepsake_cache_store('tick', 1);
        return zc()['retired_bytes'] === 0;
    }, 6.0);
    $zc = zc();
    put("$dir/writer", "reader pinned while reading: " . var_export($pinned_while_reading, true)
        . ", unmapped_reclaimed=" . ($zc['unmapped_reclaimed'] <= 1 ? 'none or one' : $zc['unmapped_reclaimed'])
        . ", dead_reclaimed={$zc['dead_reclaimed']}"
        . ", retired blocks freed: " . var_export($freed, true));
    return 0;
}, 40);
$st = ks_wait_all([$r, $c], 30);
echo "reader: ", @file_get_contents("$dir/reader"), " (exit {$st[$r]})\n";
echo "writer: ", @file_get_contents("$dir/writer"), " (exit {$st[$c]})\n";
echo "sleeper still running: ", var_export($sleeper > 0 && is_dir("/proc/$sleeper"), true), "\n";
if ($sleeper > 0) {
    ks_kill($sleeper);
}
PHP));
$posix = function_exists('posix_setuid') ? '' : ' -d extension=' . escapeshellarg(PHP_EXTENSION_DIR . '/posix.so');
$so = rtrim(ini_get('extension_dir'), '/') . '/keepsake.so';
$cmd = escapeshellarg(PHP_BINARY) . ' -n' . $posix . ' -d extension=' . escapeshellarg($so)
    . ' -d keepsake.cache.enable_cli=1 -d keepsake.cache.size=8M -d keepsake.cache.shards=1 ' . escapeshellarg("$dir/t.php");
passthru("timeout 90 $cmd 2>&1", $rc);
echo "rc=$rc\n";
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
worker exit 0, reader ready: true
reader: intact (exit 0)
writer: reader pinned while reading: true, unmapped_reclaimed=none or one, dead_reclaimed=0, retired blocks freed: true (exit 0)
sleeper still running: true
rc=0
