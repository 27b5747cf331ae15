--TEST--
session_abort(): nothing is written and the lock is released
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
ks_sess_request($sid, function () { $_SESSION['v'] = 1; });
session_id($sid);
session_start();
var_dump(ks_redis()->cmd('EXISTS', ks_sess_key($sid, ':lock')));
$_SESSION['v'] = 2;
var_dump(session_abort());
var_dump(ks_redis()->cmd('GET', ks_sess_key($sid)), ks_redis()->cmd('EXISTS', ks_sess_key($sid, ':lock')));
?>
--EXPECTF--
int(1)
bool(true)
string(6) "v|i:1;"
int(0)
