--TEST--
keepsake.session.locking=0: reads cost one round trip and no lock key is created
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
keepsake.session.locking=0
--FILE--
<?php
require __DIR__ . '/sess.inc';
ob_start();
ks_sess_use();
$sid = ks_sess_new_id();
ks_sess_request($sid, function () { $_SESSION['n'] = 1; });
$rt = ks_sess_stat('round_trips');
session_id($sid);
session_start();
var_dump(ks_sess_stat('round_trips') - $rt);
var_dump(ks_redis()->cmd('EXISTS', ks_sess_key($sid, ':lock')));
$_SESSION['n']++;
session_write_close();
var_dump(ks_sess_stat('round_trips') - $rt);
var_dump(ks_redis()->cmd('GET', ks_sess_key($sid)), ks_sess_stat('lock_acquisitions'));
?>
--EXPECTF--
int(1)
int(0)
int(2)
string(6) "n|i:2;"
int(0)
