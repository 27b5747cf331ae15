--TEST--
sentinel: a sentinel with requirepass is asked with sentinel_auth= or keepsake.session.sentinel_auth (the master keeps its own auth=); a wrong or missing sentinel password fails with one warning naming the cause, never the password; phpinfo and stats hide it
--SKIPIF--
<?php require __DIR__ . '/sentinel.inc'; ks_topo_skip_unless('sentinel_auth'); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_probability=0
keepsake.session.persistent=0
keepsake.session.connect_timeout=5
--FILE--
<?php
require __DIR__ . '/sentinel.inc';
ob_start();
$env = ks_topo_start('sentinel_auth');
$spw = $env['KEEPSAKE_TOPO_SENTINEL_AUTH_PASS'];
$mpw = $env['KEEPSAKE_TOPO_SENTINEL_AUTH_MASTER_PASS'];
$path = fn(string $q) => 'sentinel://' . $env['KEEPSAKE_TOPO_SENTINEL_AUTH_SENTINEL'] . '?master='
    . $env['KEEPSAKE_TOPO_SENTINEL_AUTH_NAME'] . '&prefix=' . rawurlencode(ks_sess_prefix()) . '&' . $q;
ini_set('session.save_handler', 'keepsake');
$warnings = [];
set_error_handler(function ($no, $msg) use (&$warnings) { $warnings[] = $msg; return true; });

echo "right passwords\n";
ini_set('session.save_path', $path('sentinel_auth=' . rawurlencode($spw) . '&auth=' . rawurlencode($mpw)));
$sid = ks_sess_new_id();
var_dump(ks_sess_request($sid, function () { $_SESSION['n'] = 41; }));
var_dump(ks_sess_request($sid, function () { $_SESSION['n']++; }));
session_id($sid);
session_start(['read_and_close' => true]);
var_dump($_SESSION['n']);
/* (PHP's own "Failed to read session data: keepsake (path: ...)" warning quotes
 * session.save_path; only keepsake's warning, the first, is checked here.) */
/* The data is on the master the sentinel named, written with the master's password. */
$m = new KsRedis('127.0.0.1', (int)explode(':', $env['KEEPSAKE_TOPO_SENTINEL_AUTH_MASTER'])[1]);
$m->cmd('AUTH', $mpw);
var_dump($m->cmd('EXISTS', ks_sess_key($sid)));
$s = keepsake_session_stats();
var_dump($s['topology'], $warnings);
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
preg_match('/Session Redis sentinel auth => (.*)/', $info, $row);
var_dump($row[1]);
$rows = implode("\n", array_filter(explode("\n", $info), fn($l) => str_starts_with($l, 'Session Redis')));
var_dump(str_contains($rows, $spw), str_contains(json_encode($s), $spw));

echo "the password from keepsake.session.sentinel_auth, never in PHP's warnings\n";
ini_set('keepsake.session.sentinel_auth', $spw);
ini_set('session.save_path', $path('auth=' . rawurlencode($mpw)));
var_dump(ks_sess_request(ks_sess_new_id(), function () { $_SESSION['x'] = 1; }), $warnings);
ini_set('keepsake.session.sentinel_auth', 'not-the-Pa55word');
var_dump(ks_sess_request(ks_sess_new_id(), function () { $_SESSION['x'] = 1; }), count($warnings));
var_dump(str_contains(implode("\n", $warnings), 'Pa55word'));
ob_start();
phpinfo(INFO_MODULES);
var_dump(preg_match('/keepsake.session.sentinel_auth => \*{8} => /', ob_get_clean()));
ini_restore('keepsake.session.sentinel_auth');

echo "wrong sentinel password\n";
$warnings = [];
ini_set('session.save_path', $path('sentinel_auth=not-the-Pa55word&auth=' . rawurlencode($mpw)));
var_dump(ks_sess_request(ks_sess_new_id(), function () { $_SESSION['x'] = 1; }));
var_dump(count($warnings));
echo $warnings[0], "\n";
var_dump(str_contains($warnings[0], 'Pa55word'));

echo "ACL user that does not exist\n";
$warnings = [];
ini_set('session.save_path', $path('sentinel_user=nobody&sentinel_auth=not-the-Pa55word&auth=' . rawurlencode($mpw)));
var_dump(ks_sess_request(ks_sess_new_id(), function () { $_SESSION['x'] = 1; }));
echo $warnings[0], "\n";
var_dump(str_contains($warnings[0], 'Pa55word'));

echo "no sentinel password\n";
$warnings = [];
ini_set('session.save_path', $path('auth=' . rawurlencode($mpw)));
var_dump(ks_sess_request(ks_sess_new_id(), function () { $_SESSION['x'] = 1; }));
echo $warnings[0], "\n";

echo "the master's password is not the sentinel's\n";
$warnings = [];
ini_set('session.save_path', $path('sentinel_auth=' . rawurlencode($spw)));
var_dump(ks_sess_request(ks_sess_new_id(), function () { $_SESSION['x'] = 1; }));
echo $warnings[0], "\n";
var_dump(str_contains($warnings[0], $spw));
restore_error_handler();
?>
--EXPECTF--
right passwords
bool(true)
bool(true)
int(42)
int(1)
string(8) "sentinel"
array(0) {
}
string(12) "set (hidden)"
bool(false)
bool(false)
the password from keepsake.session.sentinel_auth, never in PHP's warnings
bool(true)
array(0) {
}
bool(false)
int(2)
bool(false)
int(1)
wrong sentinel password
bool(false)
int(2)
session_start(): keepsake: session read (lock acquire) failed: cannot connect to sentinel://127.0.0.1:%d (master 'ksmaster'): no sentinel named master 'ksmaster' (127.0.0.1:%d: refused sentinel_auth: WRONGPASS invalid username-password pair or user is disabled.)
bool(false)
ACL user that does not exist
bool(false)
session_start(): keepsake: session read (lock acquire) failed: cannot connect to sentinel://127.0.0.1:%d (master 'ksmaster'): no sentinel named master 'ksmaster' (127.0.0.1:%d: refused sentinel_auth: WRONGPASS invalid username-password pair or user is disabled.)
bool(false)
no sentinel password
bool(false)
session_start(): keepsake: session read (lock acquire) failed: cannot connect to sentinel://127.0.0.1:%d (master 'ksmaster'): no sentinel named master 'ksmaster' (127.0.0.1:%d: NOAUTH Authentication required. (set sentinel_auth=))
the master's password is not the sentinel's
bool(false)
session_start(): keepsake: session read (lock acquire) failed: cannot connect to sentinel://127.0.0.1:%d (master 'ksmaster'): master 127.0.0.1:%d replied "NOAUTH Authentication required."
bool(false)
