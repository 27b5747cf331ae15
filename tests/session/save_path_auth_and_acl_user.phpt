--TEST--
save_path: AUTH with a password, and with an ACL user and password (auth[] form too)
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
$port = ks_redis_start(['--requirepass', 'pw-default']);
ks_redis($port)->cmd('AUTH', 'pw-default');
ks_redis($port)->cmd('ACL', 'SETUSER', 'sessuser', 'on', '>pw-user', '~*', '+@all');
$sid = ks_sess_new_id();
ks_sess_use('auth=pw-default', $port);
var_dump(ks_sess_request($sid, function () { $_SESSION['a'] = 1; }));
ks_sess_use('user=sessuser&auth=pw-user', $port);
var_dump(ks_sess_request($sid, function () { $_SESSION['a']++; }));
ks_sess_use('auth[]=sessuser&auth[]=pw-user', $port);
var_dump(ks_sess_request($sid, function () { $_SESSION['a']++; }));
var_dump(ks_redis($port)->cmd('GET', ks_sess_key($sid)));
// the connections were made as that user
var_dump(count(array_filter(explode("\n", ks_redis($port)->cmd('CLIENT', 'LIST')), fn($l) => str_contains($l, 'user=sessuser'))) >= 1);
?>
--EXPECTF--
bool(true)
bool(true)
bool(true)
string(6) "a|i:3;"
bool(true)
