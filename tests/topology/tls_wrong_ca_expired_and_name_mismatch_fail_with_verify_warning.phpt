--TEST--
tls: a certificate from an unknown CA, an expired certificate and a name the certificate lacks each fail session_start() with one warning naming the cause; tls_verify=0 accepts them
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
$try = function (int $port, string $query) use ($env) {
    ini_set('session.save_path', ks_topo_tls_path($env, $port, $query));
    $t = microtime(true);
    $ok = ks_sess_request(ks_sess_new_id(), function () { $_SESSION['x'] = 1; });
    var_dump($ok, microtime(true) - $t < 8.0);   /* fails on the spot, long before the 10 s connect timeout */
};
$tls = (int)$env['KEEPSAKE_TOPO_TLS_PORT'];
$ca = rawurlencode($env['KEEPSAKE_TOPO_TLS_CA']);
echo "wrong CA\n";
$try($tls, 'tls_ca=' . rawurlencode($env['KEEPSAKE_TOPO_TLS_WRONG_CA']));
echo "expired\n";
$try((int)$env['KEEPSAKE_TOPO_TLS_EXPIRED_PORT'], "tls_ca=$ca");
echo "name mismatch\n";
$try($tls, "tls_ca=$ca&tls_sni=redis.example.com");
echo "verify off\n";
$try($tls, 'tls_verify=0&tls_ca=' . rawurlencode($env['KEEPSAKE_TOPO_TLS_WRONG_CA']));
$try((int)$env['KEEPSAKE_TOPO_TLS_EXPIRED_PORT'], 'stream[verify_peer]=0');
var_dump(keepsake_session_stats()['errors']['connect']);
?>
--EXPECTF--
wrong CA

Warning: session_start(): keepsake: session read (lock acquire) failed: cannot connect to tls://127.0.0.1:%d: TLS certificate verify failed: self-signed certificate in certificate chain in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: %s) in %s on line %d
bool(false)
bool(true)
expired

Warning: session_start(): keepsake: session read (lock acquire) failed: cannot connect to tls://127.0.0.1:%d: TLS certificate verify failed: certificate has expired in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: %s) in %s on line %d
bool(false)
bool(true)
name mismatch

Warning: session_start(): keepsake: session read (lock acquire) failed: cannot connect to tls://127.0.0.1:%d: TLS certificate verify failed: hostname mismatch in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: %s) in %s on line %d
bool(false)
bool(true)
verify off
bool(true)
bool(true)
bool(true)
bool(true)
int(3)
