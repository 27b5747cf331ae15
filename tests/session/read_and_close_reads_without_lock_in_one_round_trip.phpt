--TEST--
session_start(['read_and_close' => true]): one round trip, takes no lock, does not wait for a holder, writes nothing
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
ks_sess_request($sid, function () { $_SESSION['v'] = 1; });
// another request holds the lock
ks_redis()->cmd('SET', ks_sess_key($sid, ':lock'), 'someone-else', 'PX', '20000');
$rt = ks_sess_stat('round_trips');
$t = microtime(true);
var_dump(session_start(['read_and_close' => true]));
var_dump(microtime(true) - $t < 2.0);
var_dump(ks_sess_stat('round_trips') - $rt);
var_dump($_SESSION, session_status() === PHP_SESSION_NONE);
var_dump(ks_redis()->cmd('GET', ks_sess_key($sid, ':lock')));
?>
--EXPECTF--
bool(true)
bool(true)
int(1)
array(1) {
  ["v"]=>
  int(1)
}
bool(true)
string(12) "someone-else"
