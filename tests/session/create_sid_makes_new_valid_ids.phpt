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
--FILE--
<?php
/* The id must have the format PHP is configured for: the handler uses PHP's
 * own generator. The test reads the format rather than setting it: PHP 8.4
 * deprecates session.sid_length and session.sid_bits_per_character, and
 * setting either prints a deprecation at startup there. */
$len = (int) ini_get('session.sid_length');
$chars = [4 => '0-9a-f', 5 => '0-9a-v', 6 => '0-9a-zA-Z,-'][(int) ini_get('session.sid_bits_per_character')];
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
var_dump($a !== $b, preg_match("/^[$chars]{{$len}}$/", $a) === 1, $_SESSION);
session_write_close();
var_dump(ks_redis()->cmd('GET', ks_sess_key($a)));
?>
--EXPECTF--
bool(true)
bool(true)
array(0) {
}
string(6) "x|i:1;"
