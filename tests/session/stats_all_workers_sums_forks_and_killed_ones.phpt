--TEST--
keepsake_session_stats(true): sums the counters of this process and its forks, a SIGKILLed fork included, with a wait histogram that sums to lock_waits
--SKIPIF--
<?php require __DIR__ . '/sess.inc'; ks_redis_skip_if_down(); if (!function_exists('pcntl_fork')) die('skip pcntl'); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/sess.inc';
ob_start();
ks_sess_use();
$sid = ks_sess_new_id();
$base = keepsake_session_stats(true);
/* The parent takes one lock before forking: each fork inherits that count in
 * its own (copied) worker counters, but the shared sum holds it once. */
ks_sess_request($sid, function () { $_SESSION['n'] = 0; });
$dir = sys_get_temp_dir() . '/ks-allworkers-' . getmypid();
@mkdir($dir);
$pids = [];
for ($p = 0; $p < 4; $p++) {
    $pid = pcntl_fork();
    if ($pid === 0) {
        $bad = [];
        set_error_handler(function ($no, $str) use (&$bad) { $bad[] = $str; return true; });
        $n = $p === 3 ? 40 : 100;   /* the last one is killed after 40 */
        for ($i = 0; $i < $n; $i++) {
            session_id($sid);
            if (!session_start()) { $bad[] = 'session_start failed'; continue; }
            $_SESSION['n']++;
            session_write_close();
        }
        file_put_contents("$dir/$p", json_encode(['bad' => $bad, 'own' => keepsake_session_stats()['lock_acquisitions']]));
        if ($p === 3) exec('kill -9 ' . getmypid());
        exit(0);
    }
    $pids[] = $pid;
}
$killed = 0;
foreach ($pids as $pid) { pcntl_waitpid($pid, $st); $killed += pcntl_wifsignaled($st) ? 1 : 0; }
$bad = []; $own = [];
for ($p = 0; $p < 4; $p++) {
    $r = json_decode((string)@file_get_contents("$dir/$p"), true);
    @unlink("$dir/$p");
    if (!$r) { $bad[] = "child $p left no report"; continue; }
    $bad = array_merge($bad, $r['bad']);
    $own[] = $r['own'];
}
rmdir($dir);
$all = keepsake_session_stats(true);
$mine = keepsake_session_stats();
$d = fn($k) => $all[$k] - $base[$k];
echo "killed: $killed\n";
echo "bad: ", json_encode($bad), "\n";
echo "forks' own counts (inherited 1 each): ", json_encode($own), "\n";
echo "stored: ", ks_redis()->cmd('GET', ks_sess_key($sid)), "\n";
echo "this process: {$mine['lock_acquisitions']}, all_workers flag: ", var_export($mine['all_workers'], true), "\n";
echo "all workers: {$d('lock_acquisitions')}, flag: ", var_export($all['all_workers'], true), "\n";
$hist = array_sum($all['lock_wait_histogram']) - array_sum($base['lock_wait_histogram']);
echo "waits > 0: ", var_export($d('lock_waits') > 0, true), ", histogram sums to waits: ", var_export($hist === $d('lock_waits'), true), "\n";
echo "round trips >= 2 per lock: ", var_export($d('round_trips') >= 2 * $d('lock_acquisitions'), true), "\n";
echo "connects counted in forks: ", var_export($d('connects') >= 5, true), "\n";
echo "quantiles ordered: ", var_export(0 <= $all['lock_wait_ms_p50'] && $all['lock_wait_ms_p50'] <= $all['lock_wait_ms_p95']
    && $all['lock_wait_ms_p95'] <= $all['lock_wait_ms_p99'] && $all['lock_wait_ms_p99'] <= $all['lock_wait_ms_max'], true), "\n";
echo "histogram keys: ", implode(',', array_keys($all['lock_wait_histogram'])), "\n";
echo "since: ", var_export(abs($all['since'] - time()) < 3600, true), "\n";
var_dump(keepsake_session_stats_reset());
$r = keepsake_session_stats(true);
echo "after reset: all workers {$r['lock_acquisitions']}, waits {$r['lock_waits']}, histogram ", array_sum($r['lock_wait_histogram']),
    ", round trips {$r['round_trips']}; this process still ", keepsake_session_stats()['lock_acquisitions'], "\n";
?>
--EXPECT--
killed: 1
bad: []
forks' own counts (inherited 1 each): [101,101,101,41]
stored: n|i:340;
this process: 1, all_workers flag: false
all workers: 341, flag: true
waits > 0: true, histogram sums to waits: true
round trips >= 2 per lock: true
connects counted in forks: true
quantiles ordered: true
histogram keys: 1,2,4,8,16,32,64,128,256,512,1024,2048,4096,8192,16384,32768,inf
since: true
bool(true)
after reset: all workers 0, waits 0, histogram 0, round trips 0; this process still 1
