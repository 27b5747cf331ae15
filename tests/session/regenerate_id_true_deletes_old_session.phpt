--TEST--
session_regenerate_id(true): data moves to the new id, the old data and both locks are gone
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
ks_sess_request($old, function () { $_SESSION['v'] = 'keep'; });
session_id($old);
session_start();
var_dump(session_regenerate_id(true));
$new = session_id();
$_SESSION['w'] = 2;
session_write_close();
var_dump($new !== $old);
var_dump(ks_redis()->cmd('EXISTS', ks_sess_key($old)), ks_redis()->cmd('EXISTS', ks_sess_key($old, ':lock')));
var_dump(ks_redis()->cmd('GET', ks_sess_key($new)), ks_redis()->cmd('EXISTS', ks_sess_key($new, ':lock')));
?>
--EXPECTF--
bool(true)
bool(true)
int(0)
int(0)
string(19) "v|s:4:"keep";w|i:2;"
int(0)
