--TEST--
failure: a wrong password gives one warning quoting Redis, and the password appears nowhere
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
$port = ks_redis_start(['--requirepass', 'right-secret-42']);
ks_sess_use('', $port);
ini_set('keepsake.session.auth', 'wrong-secret-99');
session_id(ks_sess_new_id());
$r = session_start();
$out = ob_get_clean();
echo $out;
var_dump($r);
var_dump(str_contains($out, 'wrong-secret-99'), str_contains($out, 'right-secret-42'));
var_dump(keepsake_session_stats()['errors']['auth']);
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
var_dump(str_contains($info, 'wrong-secret-99'), str_contains($info, 'keepsake.session.auth => ********'));
?>
--EXPECTF--
Warning: session_start(): keepsake: session read (lock acquire) failed: AUTH on tcp://127.0.0.1:%d failed: "WRONGPASS invalid username-password pair or user is disabled." in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: tcp://127.0.0.1:%d?prefix=%s) in %s on line %d
bool(false)
bool(false)
bool(false)
int(1)
bool(false)
bool(true)
