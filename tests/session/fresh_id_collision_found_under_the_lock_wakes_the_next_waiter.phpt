--TEST--
locking: a new id that turns out to be in use only once its request was woken and took the lock gives the lock back as a release does, so the waiter queued behind it is woken at once (not left blocked until its next look, up to 1 s later), and its update is not lost
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
keepsake.session.lock_wait=10000
--FILE--
<?php
require __DIR__ . '/sess.inc';
/* No ob_start(): the forks would inherit and print its buffer. */
$port = ks_redis_start();          // private: blocked_clients counts only this test's waiters
$r = ks_redis($port);
ks_sess_use('', $port);
$dir = sys_get_temp_dir() . '/ks-collide-wake-' . getmypid();
@mkdir($dir);
foreach (['c-go', 'w-go', 'c-out'] as $f) @unlink("$dir/$f");

function blocked(KsRedis $r, int $n): bool {
    for ($i = 0; $i < 500; $i++) {
        if (preg_match('/^blocked_clients:(\d+)/m', $r->cmd('INFO', 'clients'), $m) && (int)$m[1] >= $n) return true;
        usleep(10000);
    }
    return false;
}

/* The session does not exist yet: this process creates it under its lock. */
$sid = ks_sess_new_id();

/* C: a request without an id whose "new" id (debug builds' hook) is $sid.
 * Its Lua-free try finds the lock held and no data yet, so it queues first;
 * woken first, it takes the lock, and only then finds the data. Right
 * after, it counts the clients still blocked on the wake list. */
$c = pcntl_fork();
if ($c === 0) {
    $in_use = false;
    set_error_handler(function ($no, $msg) use (&$in_use) { $in_use = $in_use || str_contains($msg, 'already in use'); return true; });
    putenv('KEEPSAKE_DEBUG_FORCE_SID=' . $sid);
    ks_sess_wait_file("$dir/c-go");
    session_id('');
    $ok = session_start();
    preg_match('/^blocked_clients:(\d+)/m', (new KsRedis('127.0.0.1', $GLOBALS['port']))->cmd('INFO', 'clients'), $m);
    file_put_contents("$dir/c-out", json_encode(['started' => $ok, 'id in use' => $in_use,
        'waiters still blocked' => (int)$m[1]]));
    exit(0);
}
/* W: an ordinary request for $sid, queued behind C. */
$w = pcntl_fork();
if ($w === 0) {
    set_error_handler(fn() => true);
    ks_sess_wait_file("$dir/w-go");
    exit(ks_sess_request($sid, function () { $_SESSION['n']++; }) ? 0 : 3);
}
session_id($sid);
session_start();
touch("$dir/c-go");
if (!blocked($r, 1)) echo "C never queued\n";
touch("$dir/w-go");
if (!blocked($r, 2)) echo "W never queued\n";
$_SESSION['n'] = 1;
session_write_close();             // reserves the lock for C and wakes it
pcntl_waitpid($c, $st);
echo "C: ", file_get_contents("$dir/c-out"), "\n";
pcntl_waitpid($w, $st);
echo "W: exit ", pcntl_wexitstatus($st), "\n";
var_dump($r->cmd('GET', ks_sess_key($sid)));
for ($i = 0; $i < 100 && $r->cmd('EXISTS', ks_sess_key($sid, ':lock'), ks_sess_key($sid, ':queue')) > 0; $i++) usleep(50000);
var_dump($r->cmd('EXISTS', ks_sess_key($sid, ':lock'), ks_sess_key($sid, ':queue')));
foreach (['c-go', 'w-go', 'c-out'] as $f) @unlink("$dir/$f");
@rmdir($dir);
?>
--EXPECT--
C: {"started":false,"id in use":true,"waiters still blocked":0}
W: exit 0
string(6) "n|i:2;"
int(0)
