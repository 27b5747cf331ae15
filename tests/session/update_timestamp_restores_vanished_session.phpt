--TEST--
update_timestamp: if the key expired during the request, the unchanged data is stored again
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
$k = ks_sess_key($sid);
ks_sess_request($sid, function () { $_SESSION['n'] = 7; });
session_id($sid);
session_start();
ks_redis()->cmd('DEL', $k);
session_write_close();
var_dump(ks_redis()->cmd('GET', $k));
?>
--EXPECTF--
string(6) "n|i:7;"
