--TEST--
failure: an OOM error reply is quoted in one warning; the next request succeeds once memory is available
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
$port = ks_redis_start();
ks_sess_use('', $port);
$sid = ks_sess_new_id();
var_dump(ks_sess_request($sid, function () { $_SESSION['n'] = 1; }));
ks_redis($port)->cmd('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
ks_redis($port)->cmd('CONFIG', 'SET', 'maxmemory', '1');
var_dump(ks_sess_request($sid, function () { $_SESSION['n']++; }));
ks_redis($port)->cmd('CONFIG', 'SET', 'maxmemory', '0');
var_dump(ks_sess_request($sid, function () { $_SESSION['n']++; }));
var_dump(ks_redis($port)->cmd('GET', ks_sess_key($sid)));
?>
--EXPECTF--
bool(true)

Warning: session_start(): keepsake: session read (lock acquire) failed: lock acquire script on tcp://127.0.0.1:%d replied "OOM command not allowed when used memory > 'maxmemory'.%A" in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: %s) in %s on line %d
bool(false)
bool(true)
string(6) "n|i:2;"
