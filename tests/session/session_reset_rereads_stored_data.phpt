--TEST--
session_reset(): unsaved changes are dropped and the stored data is read again, still under the lock
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
ks_sess_request($sid, function () { $_SESSION['v'] = 'stored'; });
session_id($sid);
session_start();
$_SESSION['v'] = 'changed';
var_dump(session_reset());
var_dump($_SESSION['v']);
var_dump(ks_redis()->cmd('EXISTS', ks_sess_key($sid, ':lock')));
session_write_close();
var_dump(ks_redis()->cmd('EXISTS', ks_sess_key($sid, ':lock')));
?>
--EXPECTF--
bool(true)
string(6) "stored"
int(1)
int(0)
