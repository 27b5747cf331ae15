--TEST--
save_path: a password with an unencoded '&', ',' or '@' is never quoted by keepsake's warning, never becomes a host (nor shows in keepsake_session_stats()['nodes']), and the same password %-encoded logs in
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
$pw = 'Sup3r&S3cret,Pw%41@x y+z';
$port = ks_redis_start(['--requirepass', $pw]);
$host = '127.0.0.1';
ini_set('session.save_handler', 'keepsake');
/* keepsake's own warnings only: PHP's follow-up line prints save_path verbatim (docs/session.md). */
set_error_handler(function ($no, $msg) {
    if (str_contains($msg, 'keepsake:')) {
        echo $msg, "\n";
        foreach (['S3cret', 'Sup3r', 'Pw', 'S3cretPw', 'default'] as $piece) {
            if (str_contains($msg, $piece)) echo "LEAK: $piece\n";
        }
    }
    return true;
});
foreach (["tcp://$host:$port?auth=Sup3r&S3cret",
          "tcp://$host:$port?auth=Sup3r&S3cret=1",
          "redis://default:S3cretPw@$host:$port",
          "tcp://$host:$port?auth=Sup3r,S3cret",
          "tcp://$host:$port?prefix=p&auth=Sup3r S3cret:6379",
          "tcp://$host:$port?auth=Sup3r%S3cret"] as $p) {
    ini_set('session.save_path', $p);
    session_id('abc');
    var_dump(session_start());
    var_dump(keepsake_session_stats()['nodes']);
}
/* Written %-encoded (PHP's rawurlencode), the password logs in. */
ks_sess_use('auth=' . rawurlencode($pw), $port);
$sid = ks_sess_new_id();
var_dump(ks_sess_request($sid, function () { $_SESSION['n'] = 1; }));
var_dump(keepsake_session_stats()['nodes']);
$r = ks_redis($port);
$r->cmd('AUTH', $pw);
var_dump($r->cmd('GET', ks_sess_key($sid)));
?>
--EXPECTF--
session_start(): keepsake: malformed session.save_path: parameter without '=' in host 1 at offset %d (if a value holds '&', write it as %26)
bool(false)
array(0) {
}
session_start(): keepsake: malformed session.save_path: unknown parameter in host 1 at offset %d (if a value holds '&', write it as %26)
bool(false)
array(0) {
}
session_start(): keepsake: malformed session.save_path: credentials before '@' in host 1 at offset 9 are not supported: give the password as auth= (and user=), or in keepsake.session.auth
bool(false)
array(0) {
}
session_start(): keepsake: malformed session.save_path: host 2 at offset %d has no scheme and follows a host with parameters: write a ',' or space inside a parameter value as %2C or %20, and start each further host with its scheme (tcp://...)
bool(false)
array(0) {
}
session_start(): keepsake: malformed session.save_path: host 2 at offset %d has no scheme and follows a host with parameters: write a ',' or space inside a parameter value as %2C or %20, and start each further host with its scheme (tcp://...)
bool(false)
array(0) {
}
session_start(): keepsake: malformed session.save_path: bad %-escape in the value of 'auth' in host 1 at offset %d (want %XX; write '%' as %25)
bool(false)
array(0) {
}
bool(true)
array(1) {
  [0]=>
  string(%d) "tcp://127.0.0.1:%d"
}
string(6) "n|i:1;"
