--TEST--
failure: a server that accepts but never answers: one warning after the read timeout, nothing hangs
--SKIPIF--

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
$srv = stream_socket_server('tcp://127.0.0.1:0', $e, $m);   // the kernel accepts; nobody answers
$port = (int)substr(strrchr(stream_socket_get_name($srv, false), ':'), 1);
ks_sess_use('read_timeout=0.3', $port);
$t = microtime(true);
session_id(ks_sess_new_id());
var_dump(session_start());
$el = microtime(true) - $t;
echo ($el >= 0.25 && $el < 3.0) ? "bounded by the read timeout\n" : "unexpected: $el\n";
var_dump(keepsake_session_stats()['errors']['timeout']);
?>
--EXPECTF--
Warning: session_start(): keepsake: session read (lock acquire) failed: no reply from tcp://127.0.0.1:%d within the read timeout in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: %s) in %s on line %d
bool(false)
bounded by the read timeout
int(1)
