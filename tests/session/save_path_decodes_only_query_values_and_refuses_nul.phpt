--TEST--
save_path: only query values are %-decoded (unix:///…/a+b.sock is that file), and a %00 in prefix or auth is refused instead of cutting the value short
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
$dir = sys_get_temp_dir() . '/ks-plus-' . getmypid();
@mkdir($dir, 0700);
$sock = "$dir/a+b.sock";
$port = ks_redis_start(['--unixsocket', $sock, '--unixsocketperm', '700']);
ini_set('session.save_handler', 'keepsake');
set_error_handler(function ($no, $msg) { if (str_contains($msg, 'keepsake:')) echo $msg, "\n"; return true; });
ini_set('session.save_path', "unix://$sock?prefix=u+1:");
$sid = ks_sess_new_id();
var_dump(ks_sess_request($sid, function () { $_SESSION['u'] = 1; }));
var_dump(ks_redis($port)->cmd('GET', 'u 1:{' . $sid . '}'));
foreach (['prefix=app%00:', 'auth=%00secret'] as $q) {
    ks_sess_use($q, $port);
    session_id($sid);
    var_dump(session_start());
}
@rmdir($dir);
?>
--EXPECTF--
bool(true)
string(6) "u|i:1;"
session_start(): keepsake: malformed session.save_path: %c00 (a NUL byte) in the value of 'prefix' in host 1 at offset %d
bool(false)
session_start(): keepsake: malformed session.save_path: %c00 (a NUL byte) in the value of 'auth' in host 1 at offset %d
bool(false)
