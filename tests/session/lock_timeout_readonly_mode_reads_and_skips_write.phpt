--TEST--
lock_timeout_action=readonly: on a lock timeout the data is read, and the write is skipped with a notice
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
keepsake.session.lock_wait=200
keepsake.session.lock_timeout_action=readonly
--FILE--
<?php
require __DIR__ . '/sess.inc';
ob_start();
ks_sess_use();
$sid = ks_sess_new_id();
ks_sess_request($sid, function () { $_SESSION['v'] = 1; });
ks_redis()->cmd('SET', ks_sess_key($sid, ':lock'), 'held-elsewhere', 'PX', '10000');
session_id($sid);
var_dump(session_start());
var_dump($_SESSION);
$_SESSION['v'] = 2;
session_write_close();
var_dump(ks_redis()->cmd('GET', ks_sess_key($sid)));
var_dump(ks_redis()->cmd('GET', ks_sess_key($sid, ':lock')));
var_dump(ks_sess_stat('lock_timeouts'), ks_sess_stat('readonly_sessions'));
?>
--EXPECTF--
Notice: session_start(): keepsake: the session lock was not free after %d ms; the session is read-only in this request in %s on line %d
bool(true)
array(1) {
  ["v"]=>
  int(1)
}

Notice: session_write_close(): keepsake: session data not written: the session is read-only in this request (its lock wait timed out) in %s on line %d
string(6) "v|i:1;"
string(14) "held-elsewhere"
int(1)
int(1)
