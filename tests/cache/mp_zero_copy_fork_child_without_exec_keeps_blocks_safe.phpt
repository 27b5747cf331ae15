--TEST--
Zero-copy: a pcntl_fork() child that keeps running PHP (no exec) keeps the blocks it inherited, and its exit does not end its parent's pin
--DESCRIPTION--
The check that frees the slot of an owner that no longer maps the segment
(an exec'd child) must never free a PHP child's slot or its parent's.
(a) A worker fetches an immutable array and forks; the worker exits and its
child keeps reading the inherited array for 3 s while the main process
overwrites it, deletes it and stores other arrays in the same region. The
child must see its data intact; no slot may be freed; the retired blocks
stay allocated while the child lives and come back once it has exited.
(b) A worker fetches, forks a child that exits at once (its request ends:
unpin and detach of its own slot), and keeps reading for 3 s under the same
churn: intact data, and the blocks come back only after the worker exits.
Blocks freed early would be reused by the churn's stores (the region is
small), so the readers would see other values.
--SKIPIF--
<?php
if (PHP_ZTS) die('skip zero-copy is off under ZTS: fetch copies there');
?>
--EXTENSIONS--
pcntl
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.size=4M
keepsake.cache.shards=1
--CONFLICTS--
mp-timing
--FILE--
<?php
require __DIR__ . '/fork.inc';
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
/* reads $v for $secs seconds; writes "intact" or "CHANGED" to $file */
function keep_reading(array $v, int $ver, float $secs, string $file): int {
    $ok = true;
    $end = microtime(true) + $secs;
    while ($ok && microtime(true) < $end) {
        $ok = intact($v, $ver);
        usleep(20000);
    }
    file_put_contents("$file.tmp", $ok ? 'intact' : 'CHANGED');
    rename("$file.tmp", $file);
    return $ok ? 0 : 1;
}
/* overwrites, deletes and refills, then asks $running() whether to go on
 * (at most 6 s) */
function churn(callable $running): int {
    $n = 0;
    $end = microtime(true) + 6;
    do {
        keepsake_cache_store('big', value(++$n % 20 + 2));
        keepsake_cache_delete('big');
        for ($i = 0; $i < 4; $i++) {
            keepsake_cache_store("fill$i", value($n % 20 + 2));
        }
        usleep(5000);
    } while ($running() && microtime(true) < $end);
    return $n;
}
function zc(): array { return keepsake_cache_info(true)['zero_copy']; }
$dir = sys_get_temp_dir() . '/kszcfork' . getmypid();
@mkdir($dir);

/* (a) the child reads on after its parent exits */
keepsake_cache_store('big', value(0));
$w = ks_fork(function () use ($dir) {
    $v = keepsake_cache_fetch('big');
    ks_fork(fn() => keep_reading($v, 0, 3.0, "$dir/child"));
    return 0;
});
echo "(a) worker exit ", ks_wait_all([$w])[$w], "\n";
$kept = true;
$n = churn(function () use ($dir, &$kept) {
    $zc = zc();
    $kept = $kept && (is_file("$dir/child") || ($zc['pinned'] >= 1 && $zc['retired_bytes'] > 0));
    return !is_file("$dir/child");
});
echo "(a) child: ", ks_until(fn() => is_file("$dir/child")) ? file_get_contents("$dir/child") : 'no answer', "\n";
echo "(a) churn rounds > 10: ", var_export($n > 10, true), ", retired blocks kept while the child read: ", var_export($kept, true), "\n";
$freed = ks_until(function () {
    keepsake_cache_store('tick', 1);
    return zc()['retired_bytes'] === 0;
}, 8.0);
echo "(a) freed after the child exited: ", var_export($freed, true), "\n";

/* (b) the child exits at once; its parent reads on */
keepsake_cache_store('big', value(1));
$w = ks_fork(function () use ($dir) {
    $v = keepsake_cache_fetch('big');
    $c = ks_fork(fn() => 0);
    $st = ks_wait_all([$c]);
    touch("$dir/worker-ready");
    return $st[$c] === 0 ? keep_reading($v, 1, 3.0, "$dir/worker") : 2;
});
/* the churn starts once the worker holds the array and its child is gone */
echo "(b) worker ready: ", var_export(ks_until(fn() => is_file("$dir/worker-ready")), true), "\n";
$kept = true;
$n = churn(function () use ($dir, &$kept) {
    $zc = zc();
    $kept = $kept && (is_file("$dir/worker") || ($zc['pinned'] >= 1 && $zc['retired_bytes'] > 0));
    return !is_file("$dir/worker");
});
echo "(b) worker exit ", ks_wait_all([$w])[$w], ": ", is_file("$dir/worker") ? file_get_contents("$dir/worker") : 'no answer', "\n";
echo "(b) churn rounds > 10: ", var_export($n > 10, true), ", retired blocks kept while the worker read: ", var_export($kept, true), "\n";
$freed = ks_until(function () {
    keepsake_cache_store('tick', 1);
    return zc()['retired_bytes'] === 0;
}, 8.0);
echo "(b) freed after the worker exited: ", var_export($freed, true), "\n";
$zc = zc();
echo "slots freed as unmapped: {$zc['unmapped_reclaimed']}, as dead: {$zc['dead_reclaimed']}\n";
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
(a) worker exit 0
(a) child: intact
(a) churn rounds > 10: true, retired blocks kept while the child read: true
(a) freed after the child exited: true
(b) worker ready: true
(b) worker exit 0: intact
(b) churn rounds > 10: true, retired blocks kept while the worker read: true
(b) freed after the worker exited: true
slots freed as unmapped: 0, as dead: 0
