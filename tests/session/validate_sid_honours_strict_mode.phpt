--TEST--
validate_sid: with use_strict_mode=1 an unknown id is replaced, a known one is kept
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
$known = ks_sess_new_id();
ini_set('session.use_strict_mode', 0);
ks_sess_request($known, function () { $_SESSION['k'] = 1; });
ini_set('session.use_strict_mode', 1);
$unknown = ks_sess_new_id();
session_id($unknown);
session_start();
var_dump(session_id() !== $unknown, preg_match("/^[a-zA-Z0-9,-]{22,}$/", session_id()) === 1);
session_write_close();
session_id($known);
session_start();
var_dump(session_id() === $known, $_SESSION);
session_write_close();
ini_set('session.use_strict_mode', 0);
session_id($unknown);
session_start();
var_dump(session_id() === $unknown);
session_write_close();
?>
--EXPECTF--
bool(true)
bool(true)
bool(true)
array(1) {
  ["k"]=>
  int(1)
}
bool(true)
