--TEST--
Zero-copy: a pcntl_fork() child keeps the blocks it inherited when every reader slot is taken and its parent exits (the fork reserve, then the sticky slot's heirs)
--DESCRIPTION--
1024 reader slots per segment, plus 64 only the fork hook takes. Every
ordinary slot is owned by a live process here (about 1090 processes at the
peak), all of them pinned after the values below were retired, so none of
them protects those values.
(a) A worker that fetched v1 (since deleted) forks a child and exits; the
child reads what it inherited for 3 s while the main process stores arrays
over the freed room. The child took a slot of the reserve: intact. (Without
the reserve it had none, read under its parent's slot, and that slot was
freed at the parent's death: CHANGED.)
(b) The reserve is owned too (64 children of another process). A worker
that fetched v2 (since deleted) forks a child that finds no slot at all, so
the worker's slot turns sticky and the child holds its heir lock; the worker
exits. The slot must stay while the child reads (intact), and be freed once
it has exited.
--SKIPIF--
<?php
if (PHP_ZTS) die('skip zero-copy is off under ZTS: fetch copies there');
if (getenv('USE_ZEND_ALLOC') === '0') die('skip 1100 processes under valgrind');
$procs = count(glob('/proc/[0-9]*') ?: []);
$max = (int) @file_get_contents('/proc/sys/kernel/pid_max');
if ($procs === 0 || $max - $procs < 1600) die("skip needs room for 1100 more processes ($procs of $max)");
$nproc = trim((string) shell_exec('ulimit -u 2>/dev/null'));
if ($nproc !== 'unlimited' && (int) $nproc < $procs + 1200 && trim((string) shell_exec('id -u')) !== '0') die("skip ulimit -u is $nproc");
/* a cgroup's pids.max (docker --pids-limit, systemd's TasksMax) binds root too */
foreach (file('/proc/self/cgroup', FILE_IGNORE_NEW_LINES) ?: [] as $line) {
    [, $ctl, $path] = explode(':', $line, 3) + [2 => ''];
    $base = $ctl === '' ? '/sys/fs/cgroup' : (in_array('pids', explode(',', $ctl), true) ? '/sys/fs/cgroup/pids' : null);
    for ($d = $path; $base !== null && $d !== ''; $d = $d === '/' ? '' : dirname($d)) {
        $lim = trim((string) @file_get_contents("$base$d/pids.max"));
        $cur = (int) @file_get_contents("$base$d/pids.current");
        if (preg_match('/^\d+$/', $lim) && (int) $lim - $cur < 1200) die("skip the cgroup $d allows $lim tasks, $cur in use");
    }
}
if (preg_match('/MemAvailable:\s+(\d+)/', (string) @file_get_contents('/proc/meminfo'), $m) && (int) $m[1] < 4 << 20) die('skip needs 4 GB of free memory');
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
/* stores arrays over the room of what was freed until $file appears (at
 * most 8 s) */
function churn(string $file): int {
    $n = 0;
    $end = microtime(true) + 8;
    do {
        keepsake_cache_store('big', value(++$n % 20 + 2));
        keepsake_cache_delete('big');
        usleep(5000);
    } while (!is_file($file) && microtime(true) < $end);
    return $n;
}
function zc(): array { return keepsake_cache_info(true)['zero_copy']; }

$dir = sys_get_temp_dir() . '/kszcsticky' . getmypid();
@mkdir($dir);
/* every child blocks on $r until the main process closes $w (EOF): each
 * closes its inherited copy of $w first */
[$r, $w] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, STREAM_IPPROTO_IP);
function child(callable $fn): int {
    global $w;
    return ks_fork(function () use ($fn) {
        global $w;
        fclose($w);
        return $fn();
    }, 120);
}
/* a process that owns a slot pinned now (after the retires) until released */
function holder(): int {
    global $r;
    $v = keepsake_cache_fetch('pin');
    fread($r, 1);
    return is_array($v) ? 0 : 1;
}
/* a worker: fetches $key, then on $dir/go-$key forks a reader of it and exits */
function worker(string $key, int $ver): int {
    global $dir;
    $v = keepsake_cache_fetch($key);
    touch("$dir/fetched-$key");
    if (!ks_until(fn() => is_file("$dir/go-$key"), 60.0)) {
        return 2;
    }
    $c = ks_fork(fn() => keep_reading($v, $ver, 3.0, "$dir/read-$key"), 30);
    return $c > 0 ? 0 : 3;
}
/* forks holders until every ordinary slot is owned */
function fill(array &$pids): bool {
    for ($round = 0; $round < 5 && zc()['processes'] < 1024; $round++) {
        for ($i = 1024 - zc()['processes']; $i > 0; $i--) {
            $pids[] = child('holder');
        }
        ks_until(fn() => zc()['processes'] >= 1024, 20.0);
    }
    return zc()['processes'] === 1024;
}

keepsake_cache_store('pin', ['pin' => 1]);
keepsake_cache_store('v1', value(0));
keepsake_cache_store('v2', value(1));
$f1 = child(fn() => worker('v1', 0));
$ok = ks_until(fn() => is_file("$dir/fetched-v1"), 20.0);
keepsake_cache_delete('v1');                 /* retired: only f1's pin holds it */
$f2 = child(fn() => worker('v2', 1));
$ok = $ok && ks_until(fn() => is_file("$dir/fetched-v2"), 20.0);
keepsake_cache_delete('v2');                 /* retired: only f2's pin holds it */
$res = child(function () {                   /* owns a slot, then forks 64 holders */
    global $r, $dir;
    $v = keepsake_cache_fetch('pin');
    if (!ks_until(fn() => is_file("$dir/go-reserve"), 60.0)) {
        return 2;
    }
    $kids = [];
    for ($i = 0; $i < 64; $i++) {
        $kids[] = ks_fork(function () use ($r) { fread($r, 1); return 0; }, 120);
    }
    fread($r, 1);
    $st = ks_wait_all($kids, 30.0);
    return is_array($v) && count(array_filter($st, fn($s) => $s !== 0)) === 0 ? 0 : 1;
});
$holders = [];
echo "ordinary slots all owned: ", var_export($ok && fill($holders), true), "\n";

/* (a) */
touch("$dir/go-v1");
echo "(a) worker exit ", ks_wait_all([$f1])[$f1], "\n";
$n = churn("$dir/read-v1");
echo "(a) child: ", ks_until(fn() => is_file("$dir/read-v1")) ? file_get_contents("$dir/read-v1") : 'no answer', "\n";
echo "(a) churn rounds > 10: ", var_export($n > 10, true), ", fork_reserved: ", zc()['fork_reserved'] ?? 'none', "\n";

/* the child frees its reserve slot when it exits, just after its answer:
 * until then the count below includes it, and the refill would take it for
 * an ordinary one and leave an ordinary slot free for the reserve's takers */
echo "(a) the child's reserve slot freed at its exit: ", var_export(ks_until(fn() => zc()['processes'] === 1023, 20.0), true), "\n";

/* (b) */
$refill = fill($holders);
touch("$dir/go-reserve");
$full = ks_until(fn() => zc()['processes'] === 1088, 30.0);
echo "ordinary slots and reserve all owned: ", var_export($refill && $full, true), "\n";
touch("$dir/go-v2");
echo "(b) worker exit ", ks_wait_all([$f2])[$f2], "\n";
$sticky = zc()['sticky'] ?? 'none';
$n = churn("$dir/read-v2");
echo "(b) child: ", ks_until(fn() => is_file("$dir/read-v2")) ? file_get_contents("$dir/read-v2") : 'no answer', "\n";
$zc = zc();
echo "(b) churn rounds > 10: ", var_export($n > 10, true), ", sticky after the worker's exit: $sticky, fork_shared: ", $zc['fork_shared'] ?? 'none', "\n";
$freed = ks_until(function () {
    keepsake_cache_store('tick', 1);
    return (zc()['sticky'] ?? 1) === 0;
}, 10.0);
echo "(b) the worker's slot freed after the child exited: ", var_export($freed, true), "\n";

fclose($w);
$st = ks_wait_all(array_merge($holders, [$res]), 30.0);
echo "holders exit 0: ", var_export(count(array_filter($st, fn($s) => $s !== 0)) === 0, true), "\n";
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
ordinary slots all owned: true
(a) worker exit 0
(a) child: intact
(a) churn rounds > 10: true, fork_reserved: 1
(a) the child's reserve slot freed at its exit: true
ordinary slots and reserve all owned: true
(b) worker exit 0
(b) child: intact
(b) churn rounds > 10: true, sticky after the worker's exit: 1, fork_shared: 1
(b) the worker's slot freed after the child exited: true
holders exit 0: true
