--TEST--
failure: a READONLY error reply (a replica) is an error, quoted in one warning, never treated as a busy lock
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
$master = ks_redis_start();
$replica = ks_redis_start(['--replicaof', '127.0.0.1', (string)$master]);
ks_sess_use('', $replica);
$t = microtime(true);
session_id(ks_sess_new_id());
var_dump(session_start());
var_dump(microtime(true) - $t < 1.0);
var_dump(keepsake_session_stats()['errors']['reply'], ks_sess_stat('lock_waits'));
?>
--EXPECTF--
Warning: session_start(): keepsake: session read (lock acquire) failed: lock acquire script on tcp://127.0.0.1:%d replied "READONLY You can't write against a read only replica.%A" in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: %s) in %s on line %d
bool(false)
bool(true)
int(1)
int(0)
