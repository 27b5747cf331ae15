--TEST--
read: a session that does not exist reads as empty and session_start() succeeds
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
var_dump(session_start());
var_dump($_SESSION);
var_dump(session_status() === PHP_SESSION_ACTIVE);
session_write_close();
?>
--EXPECTF--
bool(true)
array(0) {
}
bool(true)
