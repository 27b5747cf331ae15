--TEST--
locking: a holder killed with SIGKILL delays the next request only until its lock TTL ends
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
keepsake.session.lock_ttl=4000
--FILE--
<?php
require __DIR__ . '/sess.inc';
ob_start();
ks_sess_use();
$sid = ks_sess_new_id();
ks_sess_request($sid, function () { $_SESSION['v'] = 'before'; });
$dir = sys_get_temp_dir() . '/ks-killed-' . getmypid();
@mkdir($dir);
$pid = pcntl_fork();
if ($pid === 0) {
    session_id($sid);
    session_start();
    $_SESSION['v'] = 'never written';
    touch("$dir/locked");
    sleep(60);
    exit(0);
}
var_dump(ks_sess_wait_file("$dir/locked"));
exec('kill -KILL ' . $pid);
pcntl_waitpid($pid, $st);
var_dump(pcntl_wifsignaled($st));
$pttl = ks_redis()->cmd('PTTL', ks_sess_key($sid, ':lock'));
var_dump($pttl > 0 && $pttl <= 4000);
$t = microtime(true);
session_id($sid);
var_dump(session_start());
$el = microtime(true) - $t;
var_dump($_SESSION['v']);
session_write_close();
echo ($el > 0.2 && $el < 10.0) ? "waited for the TTL\n" : "unexpected wait: $el\n";
var_dump(ks_sess_stat('lock_waits'), ks_sess_stat('lock_timeouts'));
@unlink("$dir/locked"); @rmdir($dir);
?>
--EXPECTF--
bool(true)
bool(true)
bool(true)
bool(true)
string(6) "before"
waited for the TTL
int(1)
int(0)
