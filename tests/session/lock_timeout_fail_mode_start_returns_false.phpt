--TEST--
lock_timeout_action=fail: when the wait budget runs out, session_start() returns false with one warning
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
keepsake.session.lock_wait=300
keepsake.session.lock_timeout_action=fail
--FILE--
<?php
require __DIR__ . '/sess.inc';
ob_start();
ks_sess_use();
$sid = ks_sess_new_id();
ks_sess_request($sid, function () { $_SESSION['v'] = 1; });
ks_redis()->cmd('SET', ks_sess_key($sid, ':lock'), 'held-elsewhere', 'PX', '10000');
$t = microtime(true);
session_id($sid);
var_dump(session_start());
$el = microtime(true) - $t;
echo ($el >= 0.29 && $el < 3.0) ? "waited the budget\n" : "unexpected wait: $el\n";
var_dump(session_status() === PHP_SESSION_NONE, ks_sess_stat('lock_timeouts'));
var_dump(ks_redis()->cmd('GET', ks_sess_key($sid, ':lock')));
?>
--EXPECTF--
Warning: session_start(): keepsake: session read failed: timed out after %d ms waiting for the session lock t:lock_timeout_fail_mode_start_returns_false:{%s...}:lock (keepsake.session.lock_wait) in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: %s) in %s on line %d
bool(false)
waited the budget
bool(true)
int(1)
string(14) "held-elsewhere"
