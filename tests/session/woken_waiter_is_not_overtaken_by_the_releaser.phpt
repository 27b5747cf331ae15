--TEST--
locking: the release of a lock a waiter queued for reserves it for that waiter: the releasing process, coming straight back for the same session, gets it only after the woken waiter
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
ob_start();
$port = ks_redis_start();          // private: blocked_clients counts only this test's waiter
$r = ks_redis($port);
ks_sess_use('', $port);
$dir = sys_get_temp_dir() . '/ks-barge-' . getmypid();
@mkdir($dir);
$orders = [];
for ($round = 0; $round < 20; $round++) {
    $sid = ks_sess_new_id();
    ks_sess_request($sid, function () { $_SESSION['order'] = []; });
    @unlink("$dir/locked");
    $pid = pcntl_fork();
    if ($pid === 0) {
        ks_sess_wait_file("$dir/locked");
        ks_sess_request($sid, function () { $_SESSION['order'][] = 'waiter'; });
        exit(0);
    }
    session_id($sid);
    session_start();
    $_SESSION['order'][] = 'holder';
    touch("$dir/locked");
    /* Release only once the waiter is blocked in its BLPOP (bounded wait). */
    for ($i = 0; $i < 400 && !preg_match('/^blocked_clients:[1-9]/m', $r->cmd('INFO', 'clients')); $i++) usleep(10000);
    session_write_close();
    /* Straight back: without the reservation this SET NX usually wins the
     * race against the woken waiter's wake-up and ACQUIRE. */
    ks_sess_request($sid, function () { $_SESSION['order'][] = 'holder again'; });
    pcntl_waitpid($pid, $st);
    session_id($sid);
    session_start(['read_and_close' => true]);
    $orders[] = implode(', ', $_SESSION['order']);
}
@unlink("$dir/locked"); @rmdir($dir);
print_r(array_count_values($orders));
?>
--EXPECT--
Array
(
    [holder, waiter, holder again] => 20
)
