--TEST--
faults: when the replies to the write (lock release) and to its one resend are both cut, the one warning says Redis may have applied it, and it was applied once
--SKIPIF--
<?php require __DIR__ . '/faults.inc'; ks_fault_skip(); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.gc_probability=0
keepsake.session.lock_ttl=800
--FILE--
<?php
require __DIR__ . '/faults.inc';
ob_start();
$port = ks_redis_start();
$proxy = new KsFaultProxy($port);
ks_sess_use(ks_fault_query(), $proxy->port);
$sid = ks_sess_new_id();
// one clean request first, so that Redis knows the scripts: a cut NOSCRIPT reply would prove nothing
var_dump(ks_sess_request($sid, function () { $_SESSION['n'] = 1; }));
$proxy->set('drop', ['match' => KS_FAULT_MATCH_RELEASE]);   // every release reply, nothing else
session_id($sid);
var_dump(session_start());
$_SESSION['n'] = 2;
session_write_close();
$st = $proxy->stats();
// the first run applied it (1), the resend found its receipt (2: done before, nothing changed),
// and so did the drop that gives the lock back after the failed write, and its one resend (2, 2)
echo 'release replies cut: ', json_encode(array_values(array_map(fn($e) => trim($e['reply']), array_filter($st['events'], fn($e) => ks_fault_is_release($e['req']))))), "\n";
echo 'stored: ', ks_redis($port)->cmd('GET', ks_sess_key($sid)), "\n";
// a session_destroy() whose reply is cut says the same
var_dump(session_start());
session_destroy();
echo 'after destroy: ', var_export(ks_redis($port)->cmd('GET', ks_sess_key($sid)), true), "\n";
// with Redis refusing connections, nothing was sent: no such remark
$proxy->stop();
session_id($sid);
var_dump(session_start());
?>
--EXPECTF--
bool(true)
bool(true)

Warning: session_write_close(): keepsake: session write failed: tcp://127.0.0.1:%d closed the connection; Redis may have applied it all the same in %s on line %d

Warning: session_write_close(): Failed to write session data (keepsake). Please verify that the current setting of session.save_path is correct (%s) in %s on line %d
release replies cut: [":1",":2",":2",":2"]
stored: n|i:2;
bool(true)

Warning: session_destroy(): keepsake: session destroy failed: tcp://127.0.0.1:%d closed the connection; Redis may have applied it all the same in %s on line %d

Warning: session_destroy(): Session object destruction failed in %s on line %d
after destroy: NULL

Warning: session_start(): keepsake: session read (lock acquire) failed: cannot connect to tcp://127.0.0.1:%d: Connection refused in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: %s) in %s on line %d
bool(false)
