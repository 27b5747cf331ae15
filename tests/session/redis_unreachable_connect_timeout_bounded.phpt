--TEST--
failure: an unreachable server (SYNs dropped) gives one warning within the connect timeout
--SKIPIF--

--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
keepsake.session.connect_timeout=0.3
--FILE--
<?php
require __DIR__ . '/sess.inc';
ob_start();
// A listener with a full accept queue drops new SYNs: a connect to it hangs
// exactly like one to a host that is down behind a firewall.
$ctx = stream_context_create(['socket' => ['backlog' => 0]]);
$srv = stream_socket_server('tcp://127.0.0.1:0', $e, $m, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, $ctx);
$port = (int)substr(strrchr(stream_socket_get_name($srv, false), ':'), 1);
$fill = [];
for ($i = 0; $i < 4; $i++) {
    $fill[] = @stream_socket_client("tcp://127.0.0.1:$port", $e, $m, 0.2, STREAM_CLIENT_CONNECT | STREAM_CLIENT_ASYNC_CONNECT);
}
usleep(100000);
ks_sess_use('', $port);
$t = microtime(true);
session_id(ks_sess_new_id());
var_dump(session_start());
$el = microtime(true) - $t;
echo ($el >= 0.25 && $el < 2.0) ? "within the connect timeout\n" : "unexpected: $el\n";
?>
--EXPECTF--
Warning: session_start(): keepsake: session read (lock acquire) failed: cannot connect to tcp://127.0.0.1:%d: connect timed out in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: %s) in %s on line %d
bool(false)
within the connect timeout
