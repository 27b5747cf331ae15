--TEST--
destroy: session_destroy() deletes the data, and succeeds when the session does not exist
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
ks_sess_request($sid, function () { $_SESSION['a'] = 1; });
var_dump(ks_redis()->cmd('EXISTS', ks_sess_key($sid)));
session_id($sid);
session_start();
var_dump(session_destroy());
var_dump(ks_redis()->cmd('EXISTS', ks_sess_key($sid)), ks_redis()->cmd('EXISTS', ks_sess_key($sid, ':lock')));
// a session that never existed
session_id(ks_sess_new_id());
session_start();
var_dump(session_destroy());
?>
--EXPECTF--
int(1)
bool(true)
int(0)
int(0)
bool(true)
