--TEST--
locking: a woken waiter that dies between its wake-up and taking the lock reserved for it delays the waiter queued behind it by about a second, not by the lock TTL (20 s), and no lock or queue is left within seconds
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
$dir = sys_get_temp_dir() . '/ks-wokendies-' . getmypid();
@mkdir($dir);
@unlink("$dir/held");
@unlink("$dir/b-go");

function blocked(KsRedis $r, int $n): bool {
    for ($i = 0; $i < 500; $i++) {
        if (preg_match('/^blocked_clients:(\d+)/m', $r->cmd('INFO', 'clients'), $m) && (int)$m[1] >= $n) return true;
        usleep(10000);
    }
    return false;
}

$sid = ks_sess_new_id();
ks_sess_request($sid, function () { $_SESSION['n'] = 0; });

/* A: the first in the queue, so the first woken; it dies (debug builds'
 * hook) right after its BLPOP popped the wake token. */
$a = pcntl_fork();
if ($a === 0) {
    putenv('KEEPSAKE_DEBUG_DIE_AFTER_WAKE=1');
    ks_sess_wait_file("$dir/held");
    ks_sess_request($sid, function () { $_SESSION['n'] += 100; });
    exit(0);
}
/* B: queued behind A (started now, so that it does not inherit our session). */
$b = pcntl_fork();
if ($b === 0) {
    set_error_handler(fn() => true);
    ks_sess_wait_file("$dir/b-go");
    exit(ks_sess_request($sid, function () { $_SESSION['n']++; }) ? 0 : 3);
}
session_id($sid);
session_start();
touch("$dir/held");
if (!blocked($r, 1)) echo "A never queued\n";
touch("$dir/b-go");
if (!blocked($r, 2)) echo "B never queued\n";
$_SESSION['n']++;
$t = microtime(true);
session_write_close();             // reserves the lock for A and wakes it; A dies
pcntl_waitpid($a, $st);
echo "A: exit ", pcntl_wexitstatus($st), "\n";
pcntl_waitpid($b, $st);
$el = microtime(true) - $t;
echo "B: exit ", pcntl_wexitstatus($st), ', ', $el < 5.0 ? 'got the lock within 5 s' : "took $el s", "\n";
var_dump($r->cmd('GET', ks_sess_key($sid)));
/* A's place in the queue outlives it by at most about 2 s (its next look
 * and a grace), during which a release still reserves the lock for 500 ms;
 * then neither the lock nor the queue is left. */
for ($i = 0; $i < 100 && $r->cmd('EXISTS', ks_sess_key($sid, ':lock'), ks_sess_key($sid, ':queue')) > 0; $i++) usleep(50000);
var_dump($r->cmd('EXISTS', ks_sess_key($sid, ':lock'), ks_sess_key($sid, ':queue')));
@unlink("$dir/held");
@unlink("$dir/b-go");
@rmdir($dir);
?>
--EXPECT--
A: exit 9
B: exit 0, got the lock within 5 s
string(6) "n|i:2;"
int(0)
