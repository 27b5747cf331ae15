--TEST--
Zero-copy: a child started while its parent held fetched values (proc_open, or pcntl_fork then pcntl_exec) no longer keeps the retired blocks once it runs another program
--DESCRIPTION--
A worker fetches an immutable array (its request is pinned), then starts a
long-lived program: `sleep 60` through proc_open, or a pcntl_fork child that
pcntl_exec()s /bin/sleep. The fork hook hands the worker's pin over to the
child, which is right while the child runs PHP, but after exec the child no
longer maps the segment and cannot read a block. The worker then exits.
The main process overwrites the array and stores more values; the blocks it
retires must come back (retired_bytes 0, no slot pinned) within seconds,
while the sleep is still running, and new values must still take the
zero-copy form. Before the fix the exec'd child kept the handed-over pin
until it exited: nothing retired after the fork was ever freed, and once an
eighth of the shard was retired every new value was copied.
--SKIPIF--
<?php
if (PHP_ZTS) die('skip zero-copy is off under ZTS: fetch copies there');
if (!is_executable('/bin/sleep')) die('skip needs /bin/sleep');
?>
--EXTENSIONS--
pcntl
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.size=8M
keepsake.cache.shards=1
--CONFLICTS--
mp-timing
--FILE--
<?php
require __DIR__ . '/fork.inc';
function value(int $ver): array {
    static $made = [];
    return $made[$ver] ??= array_map(fn($i) => ['ver' => $ver, 'i' => $i, 'pad' => str_repeat('p', 40)], range(0, 999));
}
function zc(): array { return keepsake_cache_info(true)['zero_copy']; }
$dir = sys_get_temp_dir() . '/kszcexec' . getmypid();
@mkdir($dir);
/* this process never fetches, so it never pins: only the worker and its
 * child can hold a block */
$sleepers = [];
$unmapped_before = 0;
foreach (['proc_open', 'pcntl_exec'] as $round => $how) {
    keepsake_cache_store('big', value($round));
    $w = ks_fork(function () use ($dir, $how, $round) {
        $v = keepsake_cache_fetch('big');          /* pinned from here on */
        if ($v[999]['ver'] !== $round) {
            return 1;
        }
        if ($how === 'proc_open') {
            $p = proc_open(['/bin/sleep', '60'], [], $pipes);
            $pid = $p ? proc_get_status($p)['pid'] : 0;
        } else {
            $pid = pcntl_fork();
            if ($pid === 0) {
                pcntl_exec('/bin/sleep', ['60']);
                exit(9);
            }
        }
        file_put_contents("$dir/sleeper.tmp", (string) $pid);
        rename("$dir/sleeper.tmp", "$dir/sleeper");
        /* the worker's request ends with the sleep still running (the
         * proc_open handle is not waited for at shutdown) */
        return 0;
    });
    $st = ks_wait_all([$w]);
    $pid = ks_until(fn() => is_file("$dir/sleeper")) ? (int) file_get_contents("$dir/sleeper") : 0;
    unlink("$dir/sleeper");
    $sleepers[] = $pid;
    echo "$how: worker exit ", $st[$w], ", sleeper running: ", var_export($pid > 0 && is_dir("/proc/$pid"), true), "\n";
    /* overwrite the array the worker fetched, and keep storing: every
     * store frees the retired blocks no process can read any more */
    for ($i = 1; $i <= 20; $i++) {
        keepsake_cache_store('big', value($round * 100 + $i));
    }
    $n = 0;
    $freed = ks_until(function () use (&$n) {
        keepsake_cache_store('tick', ++$n);
        $zc = zc();
        return $zc['retired_bytes'] === 0 && $zc['pinned'] === 0;
    }, 8.0);
    $zc = zc();
    echo "$how: retired blocks freed while the sleeper runs: ", var_export($freed, true),
        " (retired_bytes ", $zc['retired_bytes'] === 0 ? '0' : '> 0', ", pinned {$zc['pinned']})\n";
    /* proc_open() may start its child with posix_spawn() (PHP 8.4 here does),
     * which runs no fork hook: that child never holds a slot, and none is
     * freed for it. pcntl_fork() always runs the hook, so its exec'd child's
     * slot is freed as unmapped: exactly one more. */
    $unmapped = $zc['unmapped_reclaimed'];
    $shown = $how === 'proc_open' ? ($unmapped <= 1 ? 'none or one' : $unmapped) : $unmapped - $unmapped_before;
    $unmapped_before = $unmapped;
    echo "$how: sleeper still running: ", var_export(is_dir("/proc/$pid"), true),
        ", slots freed as unmapped: $shown, as dead: {$zc['dead_reclaimed']}\n";
    /* the region is usable again: a new array takes the zero-copy form */
    $before = $zc['entries'];
    keepsake_cache_store("new$round", value(7));
    echo "$how: a new array is stored zero-copy: ", var_export(zc()['entries'] === $before + 1, true), "\n";
}
foreach ($sleepers as $pid) {
    if ($pid > 0) {
        ks_kill($pid);
    }
}
keepsake_cache_clear();
keepsake_cache_store('tick', 0);
var_dump(zc()['retired_bytes']);
@rmdir($dir);
?>
--EXPECT--
proc_open: worker exit 0, sleeper running: true
proc_open: retired blocks freed while the sleeper runs: true (retired_bytes 0, pinned 0)
proc_open: sleeper still running: true, slots freed as unmapped: none or one, as dead: 0
proc_open: a new array is stored zero-copy: true
pcntl_exec: worker exit 0, sleeper running: true
pcntl_exec: retired blocks freed while the sleeper runs: true (retired_bytes 0, pinned 0)
pcntl_exec: sleeper still running: true, slots freed as unmapped: 1, as dead: 0
pcntl_exec: a new array is stored zero-copy: true
int(0)
