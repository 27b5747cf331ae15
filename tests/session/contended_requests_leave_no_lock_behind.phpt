--TEST--
locking: once contended requests have ended (a woken waiter that wrote, a waiter that gave up, a waiter killed in its wait, 8 processes on 2 sessions), no lock and no waiter queue is left, and the next request takes the lock without a script
--SKIPIF--
<?php require __DIR__ . '/sess.inc'; if (!function_exists('pcntl_fork')) die('skip pcntl'); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
keepsake.session.lock_ttl=20000
--FILE--
<?php
require __DIR__ . '/sess.inc';
/* No ob_start(): the forks would inherit and print its buffer. */
$port = ks_redis_start();          // private: blocked_clients counts only this test's waiters
$r = ks_redis($port);
ks_sess_use('', $port);
$dir = sys_get_temp_dir() . '/ks-noleft-' . getmypid();
@mkdir($dir);

/* What is left of $sid's lock protocol: its lock and its waiter queue (the
 * wake list and the receipts are left out: they hold no lock and expire
 * within seconds). Checked at once, well inside the 500 ms a leftover
 * reservation would live. */
function left_over(KsRedis $r, string $sid): string {
    $left = [];
    foreach ([':lock', ':queue'] as $suffix) {
        if ($r->cmd('EXISTS', ks_sess_key($sid, $suffix)) === 1) {
            $left[] = $suffix . ($suffix === ':lock' ? '=' . $r->cmd('GET', ks_sess_key($sid, $suffix)) : '');
        }
    }
    return $left ? 'left ' . implode(', ', $left) : 'nothing left';
}

/* Waits (bounded) until $n clients are blocked in BLPOP. */
function blocked(KsRedis $r, int $n): bool {
    for ($i = 0; $i < 500; $i++) {
        if (preg_match('/^blocked_clients:(\d+)/m', $r->cmd('INFO', 'clients'), $m) && (int)$m[1] >= $n) return true;
        usleep(10000);
    }
    return false;
}

/* The round trips of one uncontended request of this process. */
function next_request_round_trips(string $sid): int {
    $rt = ks_sess_stat('round_trips');
    ks_sess_request($sid, function () { $_SESSION['n']++; });
    return ks_sess_stat('round_trips') - $rt;
}

/* A child that, once this process holds the lock of $sid (lock_held()),
 * waits for it (with $ini), then adds 1. */
function waiter(string $dir, string $sid, array $ini = []): int {
    @unlink("$dir/held");
    $pid = pcntl_fork();
    if ($pid === 0) {
        foreach ($ini as $k => $v) ini_set($k, $v);
        ks_sess_wait_file("$dir/held");
        set_error_handler(fn() => true);
        if (ks_sess_request($sid, function () { $_SESSION['n']++; })) exit(0);
        exit(3);
    }
    return $pid;
}

/* 1. The holder's release wakes the one queued waiter, which takes the
 *    lock, writes and ends: the last release of the spell, nobody behind it. */
for ($round = 0; $round < 5; $round++) {
    $sid = ks_sess_new_id();
    ks_sess_request($sid, function () { $_SESSION['n'] = 0; });
    $pid = waiter($dir, $sid);
    session_id($sid);
    session_start();
    touch("$dir/held");
    if (!blocked($r, 1)) echo "round $round: the waiter never queued\n";
    $_SESSION['n']++;
    session_write_close();
    pcntl_waitpid($pid, $st);
    echo "woken waiter, round $round: exit ", pcntl_wexitstatus($st), ', ', left_over($r, $sid),
        ', next request ', next_request_round_trips($sid), " round trips, n=",
        $r->cmd('GET', ks_sess_key($sid)), "\n";
}

/* 2. A waiter gives up (lock_wait 300 ms) while the lock is held; then the
 *    holder releases. */
$sid = ks_sess_new_id();
ks_sess_request($sid, function () { $_SESSION['n'] = 0; });
$pid = waiter($dir, $sid, ['keepsake.session.lock_wait' => '300']);
session_id($sid);
session_start();
touch("$dir/held");
pcntl_waitpid($pid, $st);
$_SESSION['n']++;
session_write_close();
echo "waiter that gave up: exit ", pcntl_wexitstatus($st), ', ', left_over($r, $sid), "\n";

/* 3. A waiter (whose budget, the lock TTL, is 20 s) is killed in its wait;
 *    the holder releases 2.5 s later: a queued waiter's place lasts its next
 *    look (at most 1 s away) and 1 s more, so the dead one is no longer
 *    waited for. */
$sid = ks_sess_new_id();
ks_sess_request($sid, function () { $_SESSION['n'] = 0; });
$pid = waiter($dir, $sid);
session_id($sid);
session_start();
touch("$dir/held");
if (!blocked($r, 1)) echo "the waiter to kill never queued\n";
exec('kill -KILL ' . (int)$pid);
pcntl_waitpid($pid, $st);
usleep(2500000);
$_SESSION['n']++;
session_write_close();
echo "waiter killed in its wait: ", pcntl_wifsignaled($st) ? 'killed' : 'not killed', ', ', left_over($r, $sid), "\n";

/* 4. 8 processes, 25 increments each, round robin over 2 sessions. */
$ids = [ks_sess_new_id(), ks_sess_new_id()];
$pids = [];
for ($w = 0; $w < 8; $w++) {
    $pid = pcntl_fork();
    if ($pid === 0) {
        $bad = 0;
        for ($i = 0; $i < 25; $i++) {
            $bad += !ks_sess_request($ids[($w + $i) % 2], function () { $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1; });
        }
        exit($bad ? 3 : 0);
    }
    $pids[] = $pid;
}
$rcs = [];
foreach ($pids as $pid) { pcntl_waitpid($pid, $st); $rcs[] = pcntl_wexitstatus($st); }
echo "8 processes: exits ", implode('', $rcs), "\n";
foreach ($ids as $i => $sid) {
    echo "  session $i: ", left_over($r, $sid), ', n=', $r->cmd('GET', ks_sess_key($sid)), "\n";
}
@unlink("$dir/held");
@rmdir($dir);
?>
--EXPECT--
woken waiter, round 0: exit 0, nothing left, next request 2 round trips, n=n|i:3;
woken waiter, round 1: exit 0, nothing left, next request 2 round trips, n=n|i:3;
woken waiter, round 2: exit 0, nothing left, next request 2 round trips, n=n|i:3;
woken waiter, round 3: exit 0, nothing left, next request 2 round trips, n=n|i:3;
woken waiter, round 4: exit 0, nothing left, next request 2 round trips, n=n|i:3;
waiter that gave up: exit 3, nothing left
waiter killed in its wait: killed, nothing left
8 processes: exits 00000000
  session 0: nothing left, n=n|i:100;
  session 1: nothing left, n=n|i:100;
