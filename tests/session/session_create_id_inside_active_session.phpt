--TEST--
session_create_id(): works inside an active session, with a prefix, without disturbing the session's lock
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
session_id($sid);
session_start();
$a = session_create_id('pfx-');
$b = session_create_id();
var_dump(str_starts_with($a, 'pfx-'), $a !== $b, $b !== $sid);
var_dump(ks_redis()->cmd('EXISTS', ks_sess_key($sid, ':lock')));
$_SESSION['ok'] = 1;
session_write_close();
var_dump(ks_redis()->cmd('GET', ks_sess_key($sid)), ks_redis()->cmd('EXISTS', ks_sess_key($sid, ':lock')));
// use a created id as a new session
ks_sess_request($a, function () { $_SESSION['n'] = 1; });
var_dump(ks_redis()->cmd('GET', ks_sess_key($a)));
?>
--EXPECTF--
bool(true)
bool(true)
bool(true)
int(1)
string(7) "ok|i:1;"
int(0)
string(6) "n|i:1;"
