--TEST--
phpinfo() and keepsake_session_stats() show the topology, the hosts with their weights and the node in use, and never the password given in save_path
--SKIPIF--
<?php require __DIR__ . '/../session/sess.inc'; ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/ring.inc';
ob_start();
$a = ks_redis_start(['--requirepass', 's3cr3t-pw']);
$b = ks_redis_start(['--requirepass', 's3cr3t-pw']);
ini_set('session.save_handler', 'keepsake');
ini_set('session.save_path', "tcp://127.0.0.1:$a?weight=3&auth=s3cr3t-pw&prefix=x:, tcp://127.0.0.1:$b?auth=s3cr3t-pw");
$sid = ks_sess_new_id();
var_dump(ks_sess_request($sid, function () { $_SESSION['v'] = 1; }));
$s = keepsake_session_stats();
var_dump($s['topology'], $s['nodes'], in_array($s['node'], $s['nodes'], true));
$all = ob_get_contents();
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
preg_match('/Session Redis topology => (.*)/', $info, $m1);
preg_match('/Session Redis hosts => (.*)/', $info, $m2);
preg_match('/Session Redis connection => (.*)/', $info, $m3);
var_dump($m1[1], $m2[1], in_array($m3[1], $s['nodes'], true));
/* keepsake's own rows and stats never carry the password (PHP's session.save_path row is PHP's). */
$rows = implode("\n", array_filter(explode("\n", $info), fn($l) => str_starts_with($l, 'Session Redis')));
var_dump(str_contains($rows, 's3cr3t'), str_contains(json_encode($s), 's3cr3t'));
?>
--EXPECTF--
bool(true)
string(4) "ring"
array(2) {
  [0]=>
  string(%d) "tcp://127.0.0.1:%d"
  [1]=>
  string(%d) "tcp://127.0.0.1:%d"
}
bool(true)
string(4) "ring"
string(%d) "tcp://127.0.0.1:%d (weight 3), tcp://127.0.0.1:%d (weight 1)"
bool(true)
bool(false)
bool(false)
