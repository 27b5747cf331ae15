--TEST--
update_timestamp: with lazy_write and unchanged data the TTL is refreshed and the data is not rewritten
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
$k = ks_sess_key($sid);
ks_sess_request($sid, function () { $_SESSION['n'] = 1; });
ks_redis()->cmd('EXPIRE', $k, '100');
session_id($sid);
session_start();
// Data changed behind the handler's back: a rewrite would restore "n|i:1;".
ks_redis()->cmd('SET', $k, 'n|i:2;', 'KEEPTTL');
ks_redis()->cmd('EXPIRE', $k, '50');
$before = keepsake_session_stats()['round_trips'];
session_write_close();
var_dump(keepsake_session_stats()['round_trips'] - $before);
var_dump(ks_redis()->cmd('GET', $k));
$ttl = ks_redis()->cmd('TTL', $k);
var_dump($ttl > 1400 && $ttl <= 1440);
var_dump(ks_redis()->cmd('EXISTS', ks_sess_key($sid, ':lock')));
?>
--EXPECTF--
int(1)
string(6) "n|i:2;"
bool(true)
int(0)
