--TEST--
locking: with a lock TTL below the 500 ms reservation (lock_ttl=200), the lock a release reserves for the waiter it woke ("wake:<token>") lives at most the lock TTL, so a woken waiter that dies before taking it holds the others back no longer than a lock would; the next request then gets the lock
--SKIPIF--
<?php require __DIR__ . '/sess.inc'; if (!function_exists('pcntl_fork')) die('skip pcntl');
ob_start(); phpinfo(INFO_MODULES); if (!str_contains(ob_get_clean(), 'Session debug hooks')) die('skip needs --enable-keepsake-debug'); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
keepsake.session.lock_ttl=200
keepsake.session.lock_wait=10000
--FILE--
<?php
require __DIR__ . '/sess.inc';
/* No ob_start(): the forks would inherit and print its buffer. */
$port = ks_redis_start();          // private: blocked_clients counts only this test's waiters
$r = ks_redis($port);
ks_sess_use('', $port);
$dir = sys_get_temp_dir() . '/ks-shortreserve-' . getmypid();
@mkdir($dir);

/*
 * One try: we hold the lock (200 ms), A queues behind it and is woken by our
 * release, which reserves the lock for it; A dies (debug builds' hook) right
 * after its BLPOP popped the wake token. Our lock must still be ours when we
 * release it (A has to queue within its 200 ms): on a box so loaded that it
 * was not, the try is done again. Returns the lock's value and PTTL seen
 * right after A died, or null when the try did not get that far.
 */
function attempt(KsRedis $r, string $dir, int $i): ?array {
    $sid = ks_sess_new_id();
    ks_sess_request($sid, function () { $_SESSION['n'] = 0; });
    @unlink("$dir/held");
    $a = pcntl_fork();
    if ($a === 0) {
        putenv('KEEPSAKE_DEBUG_DIE_AFTER_WAKE=1');
        set_error_handler(fn() => true);
        ks_sess_wait_file("$dir/held");
        ks_sess_request($sid, function () { $_SESSION['n'] += 100; });
        exit(0);
    }
    $w = [];
    set_error_handler(function ($no, $s) use (&$w) { $w[] = $s; return true; });
    session_id($sid);
    session_start();
    touch("$dir/held");
    $queued = ks_sess_wait_blocked($r, 1, 10.0);
    $_SESSION['n']++;
    session_write_close();
    restore_error_handler();
    pcntl_waitpid($a, $st);
    $died = pcntl_wifexited($st) && pcntl_wexitstatus($st) === 9;
    /* A is dead: only expiry changes the lock now. */
    $val = $r->cmd('GET', ks_sess_key($sid, ':lock'));
    $pttl = $r->cmd('PTTL', ks_sess_key($sid, ':lock'));
    if (!$queued || $w || !$died) {
        return null;   // our lock expired before A queued, or A was not woken: try again
    }
    /* The next request gets the lock (once the reservation is gone) and adds one. */
    $ok = ks_sess_request($sid, function () { $_SESSION['n']++; });
    return ['val' => $val, 'pttl' => $pttl, 'next' => $ok, 'data' => $r->cmd('GET', ks_sess_key($sid)), 'sid' => $sid];
}

$got = null;
for ($i = 0; $i < 8 && $got === null; $i++) {
    $got = attempt($r, $dir, $i);
}
if ($got === null) {
    echo "no try saw a woken waiter die (the box too loaded for a 200 ms lock)\n";
} else {
    echo 'reserved for the dead waiter: ', var_export(is_string($got['val']) && str_starts_with($got['val'], 'wake:'), true), "\n";
    echo 'its PTTL within the 200 ms lock TTL: ', $got['pttl'] <= 200 ? 'yes' : "no ({$got['pttl']} ms)", "\n";
    echo 'next request: ', var_export($got['next'], true), ', data ', $got['data'], "\n";
    for ($i = 0; $i < 200 && $r->cmd('EXISTS', ks_sess_key($got['sid'], ':lock')) > 0; $i++) usleep(20000);
    echo 'lock left: ', $r->cmd('EXISTS', ks_sess_key($got['sid'], ':lock')), "\n";
}
@unlink("$dir/held");
@rmdir($dir);
?>
--EXPECT--
reserved for the dead waiter: true
its PTTL within the 200 ms lock TTL: yes
next request: true, data n|i:2;
lock left: 0
