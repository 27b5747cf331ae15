--TEST--
errors: with strict mode too, a server without GETEX (Redis < 6.2) fails session_start() at once with one warning naming the version needed, and leaves no lock behind (the id check gives back the lock its SET took)
--SKIPIF--
<?php require __DIR__ . '/sess.inc'; ks_redis_skip_if_down(); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=1
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/sess.inc';
ob_start();
// Renaming GETEX away gives the very error an older server gives: the
// script calls a command the server does not know.
$port = ks_redis_start(['--rename-command', 'GETEX', '']);
ks_sess_use('', $port);
$sid = ks_sess_new_id();
ks_redis($port)->cmd('SET', ks_sess_key($sid), 'n|i:1;');
for ($i = 0; $i < 2; $i++) {
    $t = microtime(true);
    session_id($sid);
    var_dump(session_start());
    // The lock the script took before GETEX failed was dropped: the second
    // attempt fails just as fast instead of waiting out the lock TTL.
    var_dump(microtime(true) - $t < 2.0);
    var_dump(ks_redis($port)->cmd('EXISTS', ks_sess_key($sid, ':lock')));
}
var_dump(ks_redis($port)->cmd('GET', ks_sess_key($sid)));
?>
--EXPECTF--
Warning: session_start(): keepsake: session read (lock acquire) failed: lock acquire script on tcp://127.0.0.1:%d replied "%SUnknown Redis command%S": keepsake needs Redis 6.2 or newer (for GETEX) in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: %s) in %s on line %d
bool(false)
bool(true)
int(0)

Warning: session_start(): keepsake: session read (lock acquire) failed: lock acquire script on tcp://127.0.0.1:%d replied "%SUnknown Redis command%S": keepsake needs Redis 6.2 or newer (for GETEX) in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: %s) in %s on line %d
bool(false)
bool(true)
int(0)
string(6) "n|i:1;"
