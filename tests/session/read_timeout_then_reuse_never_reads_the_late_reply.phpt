--TEST--
failure: after a read timeout (Redis paused), the late replies of the timed-out acquire never answer the next request: it reads its own session, on a fresh connection
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
/* tcp.c polls before the first recv after a write (t->awaiting). A timed-out
 * exec must leave nothing of its exchange behind: were the socket kept, the
 * replies to the timed-out SET NX + GETEX of session A (sent once the pause
 * ends) would be taken as the replies to the next request's acquire, which
 * would then read A's data as B's. */
require __DIR__ . '/sess.inc';
ob_start();
$port = ks_redis_start();
$r = ks_redis($port);
ks_sess_use('read_timeout=0.3&persistent=1', $port);
$a = ks_sess_new_id();
$b = ks_sess_new_id();
$r->cmd('SET', ks_sess_key($a), 'who|s:1:"A";', 'EX', '1440');
$r->cmd('SET', ks_sess_key($b), 'who|s:1:"B";', 'EX', '1440');
var_dump(ks_sess_request($a, function () { echo $_SESSION['who'], "\n"; }));
/* 3 s: the acquire below must still find Redis paused after its 0.3 s read
 * timeout, even when this process is not scheduled for a while on a loaded
 * box (900 ms left only 600 ms for that). */
$r->cmd('CLIENT', 'PAUSE', '3000', 'ALL');
$paused = microtime(true);
session_id($a);
$t = microtime(true);
var_dump(@session_start());
echo error_get_last()['message'] ?? '', "\n";
echo microtime(true) - $t < 5 ? "bounded\n" : "slow\n";
usleep((int)max(0, ($paused + 3.3 - microtime(true)) * 1e6));   /* the pause is over: Redis has answered A's acquire by now */
var_dump(ks_sess_request($b, function () { echo $_SESSION['who'] ?? 'nothing', "\n"; }));
var_dump(ks_sess_request($b, function () { echo $_SESSION['who'] ?? 'nothing', "\n"; }));
var_dump(keepsake_session_stats()['errors']['timeout']);
?>
--EXPECTF--
A
bool(true)
bool(false)
session_start(): Failed to read session data: keepsake (path: %s)
bounded
B
bool(true)
B
bool(true)
int(1)
