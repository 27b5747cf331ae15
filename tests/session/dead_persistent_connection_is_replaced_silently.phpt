--TEST--
connections: a persistent connection killed while idle (CLIENT KILL, server timeout) is noticed before use and replaced, with no warning
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
$port = ks_redis_start();
ks_sess_use('', $port);
$sid = ks_sess_new_id();
var_dump(ks_sess_request($sid, function () { $_SESSION['n'] = 1; }));
// kill every client but the test's own inspection connection
var_dump(ks_redis($port)->cmd('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes'));
usleep(50000);
var_dump(ks_sess_request($sid, function () { $_SESSION['n']++; }));
var_dump(ks_redis($port)->cmd('GET', ks_sess_key($sid)));
var_dump(ks_sess_stat('connects'), ks_sess_stat('reconnects'), array_sum(keepsake_session_stats()['errors']));
?>
--EXPECTF--
bool(true)
int(1)
bool(true)
string(6) "n|i:2;"
int(2)
int(1)
int(0)
