--TEST--
failure: Redis not listening: session_start() returns false within the connect timeout, one warning naming host and cause
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
keepsake.session.connect_timeout=1
--FILE--
<?php
require __DIR__ . '/sess.inc';
ob_start();
$port = ks_free_port();
ks_sess_use('', $port);
$t = microtime(true);
session_id(ks_sess_new_id());
var_dump(session_start());
var_dump(microtime(true) - $t < 1.5);
var_dump(keepsake_session_stats()['errors']['connect']);
?>
--EXPECTF--
Warning: session_start(): keepsake: session read (lock acquire) failed: cannot connect to tcp://127.0.0.1:%d: Connection refused in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: %s) in %s on line %d
bool(false)
bool(true)
int(1)
