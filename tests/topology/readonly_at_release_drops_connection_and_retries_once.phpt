--TEST--
READONLY at release: a master demoted while the request holds its lock (no client killed, as an operator's REPLICAOF does) answers the release with READONLY; keepsake drops the socket and tries the release once more on a fresh connection, as at acquire, and the one warning quotes READONLY
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
$port = ks_redis_start();
ks_sess_use('', $port);
$warnings = [];
set_error_handler(function ($no, $msg) use (&$warnings) { if (str_contains($msg, 'keepsake:')) $warnings[] = $msg; return true; });
$sid = ks_sess_new_id();
session_id($sid);
var_dump(session_start());
$_SESSION['n'] = 1;
/* Demoted to a replica of a master that is not there: it keeps its data (our
 * lock included) and refuses writes, and our socket stays open. */
var_dump(ks_redis($port)->cmd('REPLICAOF', '127.0.0.1', (string)ks_free_port()));
$connects = ks_sess_stat('connects');
var_dump(session_write_close());   /* true: PHP reports only that the session was active */
/* One connect: the READONLY socket was dropped and the release sent again. */
var_dump(ks_sess_stat('connects') - $connects);
echo count($warnings), ' ', $warnings[0] ?? '', "\n";
/* Nothing was written, and the lock is still ours until its TTL. */
var_dump(ks_redis($port)->cmd('EXISTS', ks_sess_key($sid)), ks_redis($port)->cmd('EXISTS', ks_sess_key($sid, ':lock')));
?>
--EXPECTF--
bool(true)
string(2) "OK"
bool(true)
int(1)
1 session_write_close(): keepsake: session write failed: lock release script on tcp://127.0.0.1:%d replied "READONLY You can't write against a read only replica.%A"
int(0)
int(1)
