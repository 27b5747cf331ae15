--TEST--
scripts: after SCRIPT FLUSH, EVALSHA's NOSCRIPT reply is answered with EVAL and the request succeeds
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
ks_sess_request($sid, function () { $_SESSION['n'] = 1; });
ks_redis($port)->cmd('SCRIPT', 'FLUSH');
$rt = ks_sess_stat('round_trips');
/* 3 round trips: the acquire runs no script; the release's EVALSHA gets NOSCRIPT, then EVAL. */
var_dump(ks_sess_request($sid, function () { $_SESSION['n']++; }));
var_dump(ks_sess_stat('round_trips') - $rt);
var_dump(ks_redis($port)->cmd('GET', ks_sess_key($sid)));
$rt = ks_sess_stat('round_trips');
ks_sess_request($sid, function () { $_SESSION['n']++; });
var_dump(ks_sess_stat('round_trips') - $rt);
?>
--EXPECTF--
bool(true)
int(3)
string(6) "n|i:2;"
int(2)
