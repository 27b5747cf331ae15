--TEST--
tls: a server that requires client certificates accepts tls_cert/tls_key, and without them the warning quotes the server's reason; a bad key or CA file is named
--SKIPIF--
<?php require __DIR__ . '/topo.inc'; ks_topo_skip_unless('tls'); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_probability=0
keepsake.session.persistent=0
keepsake.session.connect_timeout=10
--FILE--
<?php
require __DIR__ . '/topo.inc';
ob_start();
$env = ks_topo_start('tls');
ini_set('session.save_handler', 'keepsake');
$m = (int)$env['KEEPSAKE_TOPO_TLS_MTLS_PORT'];
$ca = 'tls_ca=' . rawurlencode($env['KEEPSAKE_TOPO_TLS_CA']);
$cert = '&tls_cert=' . rawurlencode($env['KEEPSAKE_TOPO_TLS_CLIENT_CERT'])
    . '&tls_key=' . rawurlencode($env['KEEPSAKE_TOPO_TLS_CLIENT_KEY']);
echo "with the client certificate\n";
ini_set('session.save_path', ks_topo_tls_path($env, $m, $ca . $cert));
$sid = ks_sess_new_id();
var_dump(ks_sess_request($sid, function () { $_SESSION['who'] = 'mtls'; }));
var_dump(ks_sess_request($sid, function () { echo $_SESSION['who'], "\n"; }));
echo "without\n";
ini_set('session.save_path', ks_topo_tls_path($env, $m, $ca));
var_dump(ks_sess_request(ks_sess_new_id()));
echo "key of another certificate\n";
ini_set('session.save_path', ks_topo_tls_path($env, $m, $ca . '&tls_cert='
    . rawurlencode($env['KEEPSAKE_TOPO_TLS_CLIENT_CERT']) . '&tls_key=' . rawurlencode($env['KEEPSAKE_TOPO_TLS_ROGUE_KEY'])));
var_dump(ks_sess_request(ks_sess_new_id()));
echo "missing CA file\n";
ini_set('session.save_path', ks_topo_tls_path($env, $m, 'tls_ca=/nonexistent/ca.pem'));
var_dump(ks_sess_request(ks_sess_new_id()));
?>
--EXPECTF--
with the client certificate
bool(true)
mtls
bool(true)
without

Warning: session_start(): keepsake: session read (lock acquire) failed: tls://127.0.0.1:%d: TLS %s: the server ended the TLS connection: tlsv13 alert certificate required in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: %s) in %s on line %d
bool(false)
key of another certificate

Warning: session_start(): keepsake: session read (lock acquire) failed: cannot connect to tls://127.0.0.1:%d: TLS key file '%s/rogue.key' does not match certificate '%s/client.crt'%S in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: %s) in %s on line %d
bool(false)
missing CA file

Warning: session_start(): keepsake: session read (lock acquire) failed: cannot connect to tls://127.0.0.1:%d: cannot load TLS CA file '/nonexistent/ca.pem': No such file or directory in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: %s) in %s on line %d
bool(false)
