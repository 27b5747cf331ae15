--TEST--
locking: a locked request costs 2 round trips (acquire+read, fenced write+release), whether data changed or not
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
ks_sess_use();
$sid = ks_sess_new_id();
ks_sess_request($sid, function () { $_SESSION['n'] = 0; });   // warms scripts and the connection
$rt = ks_sess_stat('round_trips');
$acq = ks_sess_stat('lock_acquisitions');
ks_sess_request($sid, function () { $_SESSION['n']++; });      // write
var_dump(ks_sess_stat('round_trips') - $rt);
$rt = ks_sess_stat('round_trips');
ks_sess_request($sid);                                          // unchanged: TTL refresh
var_dump(ks_sess_stat('round_trips') - $rt);
var_dump(ks_sess_stat('lock_acquisitions') - $acq);
var_dump(ks_sess_stat('connects'));
var_dump(ks_redis()->cmd('GET', ks_sess_key($sid)));
?>
--EXPECTF--
int(2)
int(2)
int(2)
int(1)
string(6) "n|i:1;"
