--TEST--
wait_replicas=1: WAIT rides in the release's round trip; a live replica acks it (no shortfall), a stopped one makes a counted shortfall with one notice naming the master, and the data is written all the same (locked, unlocked, destroy)
--SKIPIF--
<?php require __DIR__ . '/sess.inc'; ?>
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
$master = ks_redis_start();
$replica = ks_redis_start(['--replicaof', '127.0.0.1', (string)$master]);
$linked = false;
for ($i = 0; $i < 400 && !$linked; $i++) {
    $linked = str_contains(ks_redis($replica)->cmd('INFO', 'replication'), 'master_link_status:up');
    if (!$linked) usleep(25000);
}
var_dump($linked);
$notices = [];
set_error_handler(function ($no, $msg) use (&$notices) { if (str_contains($msg, 'keepsake:')) $notices[] = $msg; return true; });
$waits = fn() => (int)(preg_match('/cmdstat_wait:calls=(\d+)/', ks_redis($master)->cmd('INFO', 'commandstats'), $m) ? $m[1] : 0);
ks_sess_use('', $master);
ks_sess_request(ks_sess_new_id(), function () { $_SESSION['n'] = 1; });   /* loads the scripts */
ks_sess_use('wait_replicas=1&wait_timeout=3000', $master);

/* A replica that answers: acked, no shortfall, still 2 round trips. */
$sid = ks_sess_new_id();
$rt = ks_sess_stat('round_trips');
ks_sess_request($sid, function () { $_SESSION['n'] = 1; });
echo 'round trips: ', ks_sess_stat('round_trips') - $rt, ', WAITs: ', $waits(), ', shortfalls: ', ks_sess_stat('replica_shortfalls'), "\n";
var_dump(str_contains((string)ks_redis($replica)->cmd('GET', ks_sess_key($sid)), 'n|i:1;'));

/* The replica stopped: the write stands, one shortfall, one notice. */
$pid = (int)file_get_contents($GLOBALS['ks_redis_started'][$replica] . '/redis.pid');
exec("kill -STOP $pid");
register_shutdown_function(fn() => exec("kill -CONT $pid 2>/dev/null"));
ini_set('session.save_path', ks_sess_path('wait_replicas=1&wait_timeout=200', $master));
$ok = ks_sess_request($sid, function () { $_SESSION['n'] = 2; });
echo 'ok: ', json_encode($ok), ', shortfalls: ', ks_sess_stat('replica_shortfalls'), ', notices: ', count($notices), "\n";
echo $notices[0] ?? '', "\n";
var_dump(str_contains((string)ks_redis($master)->cmd('GET', ks_sess_key($sid)), 'n|i:2;'));

/* Unlocked writes and a destroy WAIT too. */
ini_set('keepsake.session.locking', '0');
ks_sess_request($sid, function () { $_SESSION['n'] = 3; });
var_dump(str_contains((string)ks_redis($master)->cmd('GET', ks_sess_key($sid)), 'n|i:3;'));
session_id($sid);
session_start();
var_dump(session_destroy());
var_dump(ks_redis($master)->cmd('EXISTS', ks_sess_key($sid)));
echo 'shortfalls: ', ks_sess_stat('replica_shortfalls'), ', notices: ', count($notices), "\n";
exec("kill -CONT $pid");

/* Without wait_replicas nothing waits. */
ini_set('keepsake.session.locking', '1');
ini_set('session.save_path', ks_sess_path('', $master));
$before = $waits();
ks_sess_request(ks_sess_new_id(), function () { $_SESSION['n'] = 1; });
echo 'WAITs without wait_replicas: ', $waits() - $before, "\n";
restore_error_handler();
?>
--EXPECTF--
bool(true)
round trips: 2, WAITs: 1, shortfalls: 0
bool(true)
ok: true, shortfalls: 1, notices: 1
session_write_close(): keepsake: session write applied on tcp://127.0.0.1:%d, but only 0 of 1 replica(s) acknowledged it within 200 ms (WAIT); the data is on the master
bool(true)
bool(true)
bool(true)
int(0)
shortfalls: 3, notices: 3
WAITs without wait_replicas: 0
