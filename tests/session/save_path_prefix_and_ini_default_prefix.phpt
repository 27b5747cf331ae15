--TEST--
save_path: prefix= sets the key prefix; without it keepsake.session.prefix (default ks:sess:) is used
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
$sid = ks_sess_new_id();
ini_set('session.save_handler', 'keepsake');
ini_set('session.save_path', ks_redis_save_path('prefix=' . rawurlencode('my app:')));
ks_sess_request($sid, function () { $_SESSION['p'] = 1; });
var_dump(ks_redis()->cmd('GET', 'my app:{' . $sid . '}'));
ini_set('session.save_path', ks_redis_save_path());
ks_sess_request($sid, function () { $_SESSION['p'] = 2; });
var_dump(ini_get('keepsake.session.prefix'), ks_redis()->cmd('GET', 'ks:sess:{' . $sid . '}'));
ini_set('keepsake.session.prefix', 'other:');
ks_sess_request($sid, function () { $_SESSION['p'] = 3; });
var_dump(ks_redis()->cmd('GET', 'other:{' . $sid . '}'));
ks_redis()->cmd('DEL', 'my app:{' . $sid . '}', 'ks:sess:{' . $sid . '}', 'other:{' . $sid . '}');
?>
--EXPECTF--
string(6) "p|i:1;"
string(8) "ks:sess:"
string(6) "p|i:2;"
string(6) "p|i:3;"
