--TEST--
lock_timeout_action=readonly: a read-only request that leaves the session unchanged gets the one notice of the timeout, not a second one for a TTL refresh that had nothing to save (a changed session still gets it)
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
keepsake.session.lock_wait=100
keepsake.session.lock_timeout_action=readonly
--FILE--
<?php
require __DIR__ . '/sess.inc';
ob_start();
ks_sess_use();
$sid = ks_sess_new_id();
ks_sess_request($sid, function () { $_SESSION['v'] = 1; });
ks_redis()->cmd('SET', ks_sess_key($sid, ':lock'), 'held-elsewhere', 'PX', '10000');
$notices = [];
set_error_handler(function ($no, $msg) use (&$notices) { $notices[] = $msg; return true; });
/* Unchanged: lazy_write asks for a TTL refresh, skipped silently. */
session_id($sid);
var_dump(session_start(), $_SESSION['v']);
session_write_close();
echo count($notices), " notice(s) unchanged\n";
/* Changed: the skipped write is told. */
$notices = [];
session_id($sid);
session_start();
$_SESSION['v'] = 2;
session_write_close();
echo count($notices), " notice(s) changed: ", $notices[1] ?? '', "\n";
restore_error_handler();
var_dump(ks_redis()->cmd('GET', ks_sess_key($sid)), ks_sess_stat('readonly_sessions'));
?>
--EXPECT--
bool(true)
int(1)
1 notice(s) unchanged
2 notice(s) changed: session_write_close(): keepsake: session data not written: the session is read-only in this request (its lock wait timed out)
string(6) "v|i:1;"
int(2)
