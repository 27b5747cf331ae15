--TEST--
save_path: unix:///path.sock connects over a unix socket
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
$sock = sys_get_temp_dir() . '/ks-sess-' . getmypid() . '.sock';
$port = ks_redis_start(['--unixsocket', $sock, '--unixsocketperm', '700']);
ini_set('session.save_handler', 'keepsake');
ini_set('session.save_path', 'unix://' . $sock . '?prefix=u:');
$sid = ks_sess_new_id();
var_dump(ks_sess_request($sid, function () { $_SESSION['u'] = 1; }));
var_dump(ks_redis($port)->cmd('GET', 'u:{' . $sid . '}'));
ini_set('session.save_path', 'unix://' . $sock . '.missing');
session_id($sid);
var_dump(session_start());
?>
--EXPECTF--
bool(true)
string(6) "u|i:1;"

Warning: session_start(): keepsake: session read (lock acquire) failed: cannot connect to unix://%s.sock.missing: No such file or directory in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: %s) in %s on line %d
bool(false)
