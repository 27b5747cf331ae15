--TEST--
locking: three waiters queued behind one holder each get the lock in turn by hand-off, none sleeps until the 20 s lock TTL
--SKIPIF--
<?php require __DIR__ . '/sess.inc'; ks_redis_skip_if_down(); ?>
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
/*
 * Only the release of a lock that bears the waiter mark pushes a wake token.
 * The first waiter is woken by the holder; the second and third are only
 * woken if each woken waiter marks the lock it takes (others may still be
 * queued). Were that mark missing, they would sleep until their BLPOP
 * timeout (the 1 s recheck, KS_SESS_WAIT_RECHECK_MS), which a bound on the
 * time cannot tell from a loaded box: so the wake tokens pushed are
 * counted (the holder's, the first and the second waiter's releases: 3;
 * 1 without the mark). The time bound only says nobody waited out the
 * 20 s lock TTL.
 */
require __DIR__ . '/sess.inc';
ob_start();
$port = ks_redis_start();          // private: blocked_clients counts only this test's waiters
ks_sess_use('', $port);
$sid = ks_sess_new_id();
ks_sess_request($sid, function () { $_SESSION['n'] = 0; });
$dir = sys_get_temp_dir() . '/ks-chain-' . getmypid();
@mkdir($dir);
@unlink("$dir/locked");   /* left by a killed run of a process with our pid (pid_max is 32768) */
$pids = [];
for ($c = 0; $c < 3; $c++) {
    $pid = pcntl_fork();
    if ($pid === 0) {
        ks_sess_wait_file("$dir/locked");
        session_id($sid);
        $ok = session_start();
        $_SESSION['n']++;
        usleep(50000);             // holds the lock a little, while the others stay queued
        session_write_close();
        file_put_contents("$dir/child$c", json_encode([$ok, microtime(true), keepsake_session_stats()['lock_waits']]));
        exit(0);
    }
    $pids[] = $pid;
}
ks_redis($port)->cmd('CONFIG', 'RESETSTAT');
session_id($sid);
session_start();
$_SESSION['n']++;
touch("$dir/locked");
if (!ks_sess_wait_blocked(ks_redis($port), 3)) echo "not all three queued\n";
$release = microtime(true);
session_write_close();
foreach ($pids as $pid) pcntl_waitpid($pid, $st);
$last = 0; $oks = 0; $waits = 0;
for ($c = 0; $c < 3; $c++) {
    [$ok, $done, $w] = json_decode((string)file_get_contents("$dir/child$c"), true);
    $oks += $ok ? 1 : 0;
    $waits += $w;
    $last = max($last, $done);
    unlink("$dir/child$c");
}
@unlink("$dir/locked"); @rmdir($dir);
var_dump($oks, $waits);
var_dump(ks_redis($port)->cmd('GET', ks_sess_key($sid)));
preg_match('/^cmdstat_rpush:calls=(\d+),/m', ks_redis($port)->cmd('INFO', 'commandstats'), $m);
echo "wake tokens pushed: ", $m[1] ?? 0, "\n";
// 3 x 50 ms of holding; waiting out the lock would cost 20 s. 8 s leaves
// a loaded box (or valgrind, about 30x slower) room on both sides.
$bound = 8.0;
$el = $last - $release;
echo $el < $bound ? "all three handed over within the bound\n" : "too slow: " . round($el, 2) . " s\n";
?>
--EXPECT--
int(3)
int(3)
string(6) "n|i:4;"
wake tokens pushed: 3
all three handed over within the bound
