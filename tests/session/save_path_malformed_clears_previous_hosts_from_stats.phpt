--TEST--
save_path: after a malformed save_path, keepsake_session_stats() and phpinfo() no longer show the previous save_path's hosts (topology none, nodes empty); a valid save_path afterwards works again
--SKIPIF--
<?php require __DIR__ . '/sess.inc'; ks_redis_skip_if_down(); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/sess.inc';
ob_start();
$sid = ks_sess_new_id();
ks_sess_use();
var_dump(ks_sess_request($sid, function () { $_SESSION['a'] = 1; }));
$s = keepsake_session_stats();
var_dump($s['topology'], count($s['nodes']));
ini_set('session.save_path', 'tcp://127.0.0.1:6379?database=-1');
var_dump(@session_start());
$s = keepsake_session_stats();
var_dump($s['topology'], $s['nodes'], $s['node']);
ob_start(); phpinfo(INFO_MODULES); $info = ob_get_clean();
preg_match('/Session Redis topology => (.*)/', $info, $m);
var_dump($m[1]);
ks_sess_use();
var_dump(ks_sess_request($sid, function () { var_dump($_SESSION); }));
var_dump(keepsake_session_stats()['topology']);
ks_redis()->cmd('DEL', ks_sess_key($sid));
?>
--EXPECT--
bool(true)
string(3) "tcp"
int(1)
bool(false)
string(4) "none"
array(0) {
}
string(0) ""
string(8) "none yet"
array(1) {
  ["a"]=>
  int(1)
}
bool(true)
string(3) "tcp"
