--TEST--
locking: the wake list is written only by a release that a waiter is queued for (the holder's, not the last waiter's: nobody is queued behind it), never by the uncontended requests after it
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
require __DIR__ . '/sess.inc';
ob_start();
$port = ks_redis_start();          // private: commandstats count only this test
$r = ks_redis($port);
ks_sess_use('', $port);
$sid = ks_sess_new_id();
ks_sess_request($sid, function () { $_SESSION['n'] = 0; });

function pushes(KsRedis $r): int {
    preg_match('/^cmdstat_rpush:calls=(\d+),/m', $r->cmd('INFO', 'commandstats'), $m);
    return (int)($m[1] ?? 0);
}

$dir = sys_get_temp_dir() . '/ks-spell-' . getmypid();
@mkdir($dir);
@unlink("$dir/locked");   /* left by a killed run of a process with our pid (pid_max is 32768) */
$r->cmd('CONFIG', 'RESETSTAT');
$pid = pcntl_fork();
if ($pid === 0) {
    ks_sess_wait_file("$dir/locked");
    ks_sess_request($sid, function () { $_SESSION['n']++; });   // waits, then holds, nobody queued behind it
    exit(0);
}
session_id($sid);
session_start();
$_SESSION['n']++;
touch("$dir/locked");
if (!ks_sess_wait_blocked($r, 1)) echo "the child never queued\n";   // queued, and has marked our lock
session_write_close();             // marked: wakes the child (push 1)
pcntl_waitpid($pid, $st);          // the child's release: the queue is empty, no push
@unlink("$dir/locked"); @rmdir($dir);
echo "pushes during the spell: ", pushes($r), "\n";
$r->cmd('CONFIG', 'RESETSTAT');
for ($i = 0; $i < 10; $i++) {
    ks_sess_request($sid, function () { $_SESSION['n']++; });
}
echo "pushes by 10 uncontended requests after it: ", pushes($r), "\n";
var_dump($r->cmd('GET', ks_sess_key($sid)));
var_dump($r->cmd('LLEN', ks_sess_key($sid, ':wake')) <= 1);
?>
--EXPECT--
pushes during the spell: 1
pushes by 10 uncontended requests after it: 0
string(7) "n|i:12;"
bool(true)
