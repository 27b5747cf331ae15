--TEST--
failure: a server that stops gives one warning per request; once it is back the next request recovers on its own
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
ks_redis_stop($port);
var_dump(ks_sess_request($sid, function () { $_SESSION['n']++; }));
var_dump(ks_sess_request($sid, function () { $_SESSION['n']++; }));
ks_sess_redis_on($port);
var_dump(ks_sess_request($sid, function () { $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 10; }));
var_dump(ks_redis($port)->cmd('GET', ks_sess_key($sid)));
$s = keepsake_session_stats();
var_dump($s['connects'], $s['reconnects'] >= 1, $s['errors']['connect']);
ks_redis_stop($port);
?>
--EXPECTF--
bool(true)

Warning: session_start(): keepsake: session read (lock acquire) failed: cannot connect to tcp://127.0.0.1:%d: Connection refused in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: %s) in %s on line %d
bool(false)

Warning: session_start(): keepsake: session read (lock acquire) failed: cannot connect to tcp://127.0.0.1:%d: Connection refused in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: %s) in %s on line %d
bool(false)
bool(true)
string(7) "n|i:10;"
int(2)
bool(true)
int(2)
