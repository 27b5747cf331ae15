--TEST--
save_path: database=N stores the session in that database (SELECT on connect)
--SKIPIF--
<?php require __DIR__ . '/sess.inc'; ks_redis_skip_if_down(); ?>
--CONFLICTS--
redis-select
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
$sid = ks_sess_new_id();
ks_sess_use('database=3');
var_dump(ks_sess_request($sid, function () { $_SESSION['db'] = 3; }));
$r = ks_redis();
var_dump($r->cmd('EXISTS', ks_sess_key($sid)));
$r->cmd('SELECT', '3');
var_dump($r->cmd('GET', ks_sess_key($sid)));
$r->cmd('DEL', ks_sess_key($sid));
$r->cmd('SELECT', '0');
?>
--EXPECTF--
bool(true)
int(0)
string(7) "db|i:3;"
