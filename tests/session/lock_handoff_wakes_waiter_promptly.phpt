--TEST--
locking: a waiter blocked on the lock gets it at once when it is released (hand-off), not at its next recheck (1 s) or when the 20 s lock TTL runs out
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
 * Without the hand-off, a waiter blocked in BLPOP gets the lock at its next
 * look, KS_SESS_WAIT_RECHECK_MS (1 s) after it blocked: here about 1 s after
 * the release, as the release follows the moment the waiter is seen blocked
 * (a bounded poll of blocked_clients on a private server, not a sleep). A
 * hand-off takes about 1 ms (bench/session measures it), but on a shared
 * 2-core VM with load 10 a few scheduling delays can add hundreds of ms to
 * one of them; so the best of 3 hand-offs must be under 400 ms: a box slow
 * enough to fail that three times in a row would fail far more than this.
 */
require __DIR__ . '/sess.inc';
ob_start();
$port = ks_redis_start();          // private: blocked_clients counts only this test's waiter
ks_sess_use('', $port);
$dir = sys_get_temp_dir() . '/ks-handoff-' . getmypid();
@mkdir($dir);
$seen = [];
$best = INF;
for ($trial = 0; $trial < 3; $trial++) {
    $sid = ks_sess_new_id();
    @unlink("$dir/locked");
    $pid = pcntl_fork();
    if ($pid === 0) {
        ks_sess_wait_file("$dir/locked");
        session_id($sid);
        $ok = session_start();
        $t1 = microtime(true);
        $n = $_SESSION['n'] ?? null;
        session_write_close();
        file_put_contents("$dir/child", json_encode([$ok, $t1, $n, keepsake_session_stats()['lock_waits']]));
        exit(0);
    }
    session_id($sid);
    session_start();
    $_SESSION['n'] = 41;
    touch("$dir/locked");
    if (!ks_sess_wait_blocked(ks_redis($port), 1)) echo "the child never queued\n";
    $release = microtime(true);
    session_write_close();
    pcntl_waitpid($pid, $st);
    [$ok, $t1, $n, $waits] = json_decode(file_get_contents("$dir/child"), true);
    @unlink("$dir/child");
    $seen[] = json_encode([$ok, $n, $waits, $t1 >= $release]);
    $best = min($best, $t1 - $release);
}
@unlink("$dir/locked"); @rmdir($dir);
print_r(array_count_values($seen));
/* Valgrind (run-tests -m sets USE_ZEND_ALLOC=0) is about 30x slower. */
$bound = getenv('USE_ZEND_ALLOC') === '0' ? 0.8 : 0.4;
echo $best < $bound ? "handed over within the bound\n" : "too slow: best of 3 " . round($best * 1000) . " ms\n";
?>
--EXPECT--
Array
(
    [[true,41,1,true]] => 3
)
handed over within the bound
