--TEST--
gc: session_gc() returns 0 (Redis TTLs collect sessions)
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
session_id(ks_sess_new_id());
session_start();
var_dump(session_gc());
session_write_close();
?>
--EXPECTF--
int(0)
