--TEST--
READONLY: a node that answers READONLY (a replica, or a demoted master) makes keepsake drop the socket and try once more on a fresh connection; the one warning quotes READONLY and never says the session is busy
--SKIPIF--
<?php require __DIR__ . '/../session/sess.inc'; ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.gc_probability=0
keepsake.session.persistent=1
--FILE--
<?php
require __DIR__ . '/../session/sess.inc';
ob_start();
$master = ks_redis_start();
$replica = ks_redis_start(['--replicaof', '127.0.0.1', (string)$master]);
ks_sess_use('', $replica);
$connects = ks_sess_stat('connects');
set_error_handler(function ($no, $msg) { if (str_contains($msg, 'keepsake:')) echo $msg, "\n"; return true; });
var_dump(ks_sess_request(ks_sess_new_id()));
/* The first socket answered READONLY and was dropped; the retry connected again. */
var_dump(ks_sess_stat('connects') - $connects);
var_dump(keepsake_session_stats()['lock_timeouts']);
?>
--EXPECTF--
session_start(): keepsake: session read (lock acquire) failed: lock acquire script on tcp://127.0.0.1:%d replied "READONLY You can't write against a read only replica.%s"
bool(false)
int(2)
int(0)
