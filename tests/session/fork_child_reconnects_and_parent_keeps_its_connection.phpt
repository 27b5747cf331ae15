--TEST--
connections: after fork() the child opens its own connection (owner pid check) and the parent's stays usable
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
ks_sess_request($sid, function () { $_SESSION['n'] = 1; });
$f = sys_get_temp_dir() . '/ks-fork-' . getmypid();
$pid = pcntl_fork();
if ($pid === 0) {
    $ok = ks_sess_request($sid, function () { $_SESSION['n']++; });
    file_put_contents($f, json_encode([$ok, keepsake_session_stats()['connects']]));
    exit(0);
}
pcntl_waitpid($pid, $st);
var_dump(json_decode(file_get_contents($f)));
unlink($f);
var_dump(ks_sess_request($sid, function () { $_SESSION['n']++; }));
var_dump(ks_sess_stat('connects'), ks_redis()->cmd('GET', ks_sess_key($sid)));
?>
--EXPECTF--
array(2) {
  [0]=>
  bool(true)
  [1]=>
  int(2)
}
bool(true)
int(1)
string(6) "n|i:3;"
