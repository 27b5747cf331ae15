--TEST--
write: data is stored with SET and a TTL of session.gc_maxlifetime, and reads back
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
session.gc_maxlifetime=1800
--FILE--
<?php
require __DIR__ . '/sess.inc';
ob_start();
ks_sess_use();
$sid = ks_sess_new_id();
ks_sess_request($sid, function () { $_SESSION['a'] = 'x'; $_SESSION['b'] = [1, 2]; });
var_dump(ks_redis()->cmd('GET', ks_sess_key($sid)));
$ttl = ks_redis()->cmd('TTL', ks_sess_key($sid));
var_dump($ttl > 1700 && $ttl <= 1800);
var_dump(ks_redis()->cmd('EXISTS', ks_sess_key($sid, ':lock')));
ks_sess_request($sid, function () { var_dump($_SESSION); });
?>
--EXPECTF--
string(34) "a|s:1:"x";b|a:2:{i:0;i:1;i:1;i:2;}"
bool(true)
int(0)
array(2) {
  ["a"]=>
  string(1) "x"
  ["b"]=>
  array(2) {
    [0]=>
    int(1)
    [1]=>
    int(2)
  }
}
