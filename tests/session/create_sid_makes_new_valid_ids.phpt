--TEST--
create_sid: a request without an id gets a fresh, valid id whose session is new
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
session.sid_length=32
session.sid_bits_per_character=5
--FILE--
<?php
require __DIR__ . '/sess.inc';
ob_start();
ks_sess_use();
session_start();
$a = session_id();
$_SESSION['x'] = 1;
session_write_close();
session_id('');
session_start();
$b = session_id();
var_dump($a !== $b, preg_match('/^[a-v0-9]{32}$/', $a) === 1, $_SESSION);
session_write_close();
var_dump(ks_redis()->cmd('GET', ks_sess_key($a)));
?>
--EXPECTF--
bool(true)
bool(true)
array(0) {
}
string(6) "x|i:1;"
