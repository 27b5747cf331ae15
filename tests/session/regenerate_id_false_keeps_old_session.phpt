--TEST--
session_regenerate_id(false): the old id keeps its data, the new id gets the current data, no lock is left
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
$old = ks_sess_new_id();
ks_sess_request($old, function () { $_SESSION['v'] = 1; });
session_id($old);
session_start();
$_SESSION['v'] = 2;
var_dump(session_regenerate_id(false));
$new = session_id();
$_SESSION['v'] = 3;
session_write_close();
var_dump(ks_redis()->cmd('GET', ks_sess_key($old)), ks_redis()->cmd('GET', ks_sess_key($new)));
var_dump(ks_redis()->cmd('EXISTS', ks_sess_key($old, ':lock')), ks_redis()->cmd('EXISTS', ks_sess_key($new, ':lock')));
?>
--EXPECTF--
bool(true)
string(6) "v|i:2;"
string(6) "v|i:3;"
int(0)
int(0)
