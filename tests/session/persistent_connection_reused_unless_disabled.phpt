--TEST--
connections: persistent=1 (default) reuses one connection across requests; persistent=0 reconnects each request
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
for ($i = 0; $i < 3; $i++) ks_sess_request($sid, function () { $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1; });
var_dump(ks_sess_stat('connects'));
// With persistent=0 each request closes its socket at the end; the first
// of these three still uses the socket that is open now.
ks_sess_use('persistent=0');
for ($i = 0; $i < 3; $i++) ks_sess_request($sid, function () { $_SESSION['n']++; });
var_dump(ks_sess_stat('connects'));
var_dump(ks_redis()->cmd('GET', ks_sess_key($sid)));
?>
--EXPECTF--
int(1)
int(3)
string(6) "n|i:6;"
