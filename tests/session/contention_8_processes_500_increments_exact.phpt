--TEST--
locking: 8 processes x 500 increments on one session end at exactly 4000, with no warning and no lock or waiter queue left behind
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
--FILE--
<?php
require __DIR__ . '/sess.inc';
ob_start();
ks_sess_use();
$sid = ks_sess_new_id();
$dir = sys_get_temp_dir() . '/ks-contention-' . getmypid();
@mkdir($dir);
$pids = [];
for ($p = 0; $p < 8; $p++) {
    $pid = pcntl_fork();
    if ($pid === 0) {
        $msgs = [];
        set_error_handler(function ($no, $str) use (&$msgs) { $msgs[] = $str; return true; });
        for ($i = 0; $i < 500; $i++) {
            session_id($sid);
            if (!session_start()) { $msgs[] = 'session_start failed'; continue; }
            $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
            session_write_close();
        }
        file_put_contents("$dir/$p", json_encode(['msgs' => $msgs, 'stats' => keepsake_session_stats()]));
        exit(0);
    }
    $pids[] = $pid;
}
foreach ($pids as $pid) pcntl_waitpid($pid, $st);
$msgs = []; $waits = 0; $acq = 0;
for ($p = 0; $p < 8; $p++) {
    $r = json_decode((string)@file_get_contents("$dir/$p"), true);
    if (!$r) { $msgs[] = "child $p left no report"; continue; }
    $msgs = array_merge($msgs, $r['msgs']);
    $waits += $r['stats']['lock_waits'];
    $acq += $r['stats']['lock_acquisitions'];
    unlink("$dir/$p");
}
rmdir($dir);
var_dump($msgs);
var_dump($acq);
var_dump($waits > 0);
var_dump(ks_redis()->cmd('GET', ks_sess_key($sid)));
/* Every process has ended: no lock (nor reservation) and no waiter queue is left. */
var_dump(ks_redis()->cmd('EXISTS', ks_sess_key($sid, ':lock'), ks_sess_key($sid, ':queue')));
?>
--EXPECTF--
array(0) {
}
int(4000)
bool(true)
string(9) "n|i:4000;"
int(0)
