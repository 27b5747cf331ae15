--TEST--
the workload on one session (6 processes) beside 2 processes whose every new id collides with it (debug builds' hook), with half of the release and drop replies cut, once with locks that never expire (no incrementer ever finds its lock taken: a collider's drop and its resend are fenced) and once with locks that expire as they are held: each collision gives the lock back and fails with one warning, the counter is exact and no lock stays
--SKIPIF--
<?php require __DIR__ . '/faults.inc'; ks_fault_skip();
ob_start(); phpinfo(INFO_MODULES); if (!str_contains(ob_get_clean(), 'Session debug hooks')) die('skip needs --enable-keepsake-debug'); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.gc_probability=0
keepsake.session.lock_ttl=150
--FILE--
<?php
require __DIR__ . '/faults.inc';
/* No ob_start(): the forks would inherit and print its buffer. */
/*
 * A colliding request takes the session's lock whenever it is free (the
 * Lua-free SET NX, or the script after a wait, which may also mark it and
 * be woken through the queue), finds data under its "new" id and drops the
 * lock at once: the drop wakes a waiter the lock was marked for, and after
 * a cut reply it goes once more (give_back()). Both sends are fenced by the
 * collider's token, so neither may ever delete, reserve or overwrite the
 * lock of an incrementer. Two runs:
 *  - a lock TTL far beyond the run (10 s) and half of the release and drop
 *    replies cut: no lock ever expires, so an incrementer that finds its
 *    lock taken could only have lost it to a collider's drop or its resend
 *    (the counter alone would not show it: the fence refuses the robbed
 *    holder's write, which fails with its one warning);
 *  - the 150 ms TTL and workload_expiring_locks_and_resends.phpt's
 *    schedule: replies held 220 ms (over the TTL, under the 300 ms read
 *    timeout) half of the time, the other half half of the release and
 *    drop replies cut; the usual checks (faults.inc).
 */
function run(int $ttl, callable $schedule): array {
    $n = 30;
    ini_set('keepsake.session.lock_ttl', (string)$ttl);
    $port = ks_redis_start();
    $proxy = new KsFaultProxy($port);
    ks_sess_use(ks_fault_query(0.3, 0.3), $proxy->port);
    $sid = ks_sess_new_id();
    ks_sess_request($sid, function () { $_SESSION['n'] = 0; });   // in use, and the scripts loaded

    $dir = sys_get_temp_dir() . '/ks-collide-' . getmypid() . "-$ttl";
    @mkdir($dir);
    $colliders = [];
    for ($c = 0; $c < 2; $c++) {
        $pid = pcntl_fork();
        if ($pid === 0) {
            $out = [];
            $w = [];
            set_error_handler(function ($no, $s) use (&$w) { $w[] = $s; return true; });
            putenv('KEEPSAKE_DEBUG_FORCE_SID=' . $sid);
            for ($i = 0; $i < $n; $i++) {
                $w = [];
                session_id('');
                $ok = session_start();
                $active = session_status() === PHP_SESSION_ACTIVE;
                if ($active) {
                    session_write_close();
                }
                $out[] = ['ok' => $ok, 'active' => $active, 'warnings' => $w];
                file_put_contents("$dir/c$c.tmp", json_encode($out));
                rename("$dir/c$c.tmp", "$dir/c$c");
                usleep(mt_rand(0, 20000));
            }
            exit(0);
        }
        $colliders[] = $pid;
    }
    $res = ks_fault_workload($sid, 6, $n, 180, fn(callable $running) => $schedule($proxy, $running));
    $hung = 0;
    foreach ($colliders as $pid) {
        for ($t = 0; $t < 600 && pcntl_waitpid($pid, $st, WNOHANG) === 0; $t++) usleep(50000);
        if (pcntl_waitpid($pid, $st, WNOHANG) === 0) {
            exec('kill -9 ' . (int)$pid);
            pcntl_waitpid($pid, $st);
            $hung++;
        }
    }
    $proxy->set('pass');
    $stats = $proxy->stats();

    $problems = ks_fault_after($port, $sid, $ttl);
    $bound = $ttl + (int)(4000 * 0.6) + 3000;
    $unconfirmed = ks_fault_applied_unconfirmed($stats, $res['reqs']);
    $problems = array_merge($problems, ks_fault_check($res, $bound, ks_fault_final($port, $sid), $unconfirmed, $sum));
    $problems = array_merge($problems, ks_fault_one_more($port, $sid));
    if ($hung) {
        $problems[] = "$hung colliding processes did not finish";
    }
    $taken = count(array_filter($res['reqs'], fn($q) => preg_grep('/was taken by another request/', $q['warnings'])));
    $collisions = 0;
    for ($c = 0; $c < 2; $c++) {
        foreach (json_decode((string)@file_get_contents("$dir/c$c"), true) ?? [] as $i => $q) {
            $own = ks_fault_own_warnings($q['warnings']);
            if ($q['ok'] || $q['active']) {
                $problems[] = "collider $c request $i got a session: " . json_encode($q);
            } elseif (count($own) !== 1) {
                $problems[] = "collider $c request $i failed with " . count($own) . ' keepsake warnings: ' . implode(' | ', $q['warnings']);
            } elseif (str_contains($own[0], 'already in use')) {
                $collisions++;
            }
        }
        @unlink("$dir/c$c");
    }
    @rmdir($dir);
    /* Drops are the release script with no data and no receipt: the cut ones, seen by the proxy. */
    $cut_drops = count(array_filter($stats['events'], fn($e) => ks_fault_is_release($e['req'])
        && $e['mode'] === 'drop' && preg_match('/\$1\r\nr\r\n\$1\r\n0\r\n\$0\r\n/', $e['req'])));
    $proxy->stop();
    ks_redis_stop($port);
    return ['problems' => $problems, 'taken' => $taken, 'collisions' => $collisions > 0, 'cut_drops' => $cut_drops > 0];
}

$cut = function (KsFaultProxy $p, callable $running) {
    $p->set('drop', ['match' => KS_FAULT_MATCH_RELEASE, 'p' => 0.5, 'seed' => 7]);
    while ($running()) usleep(50000);
};
$expiring = function (KsFaultProxy $p, callable $running) {
    for ($i = 0; $i < 1000 && $running(); $i++) {
        $p->set('latency', ['ms' => 220, 'p' => 0.5, 'seed' => $i]);
        usleep(80000);
        $p->set('drop', ['match' => KS_FAULT_MATCH_RELEASE, 'p' => 0.5, 'seed' => 100 + $i]);
        usleep(80000);
    }
};
/* Printed at the end: output before the second run would stop its ini_set()s (headers sent). */
$report = '';
foreach (['locks that never expire' => [10000, $cut], 'locks that expire' => [150, $expiring]] as $what => [$ttl, $schedule]) {
    $r = run($ttl, $schedule);
    $report .= "$what:\n" . var_export($r['problems'], true) . "\n"
        . 'collisions reported: ' . var_export($r['collisions'], true) . ', a drop reply cut: ' . var_export($r['cut_drops'], true) . "\n";
    if ($ttl > 1000) {
        $report .= 'incrementers that found their lock taken: ' . $r['taken'] . "\n";
    }
}
echo $report;
?>
--EXPECT--
locks that never expire:
array (
)
collisions reported: true, a drop reply cut: true
incrementers that found their lock taken: 0
locks that expire:
array (
)
collisions reported: true, a drop reply cut: true
