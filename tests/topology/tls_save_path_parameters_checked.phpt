--TEST--
tls: tls_* parameters on a tcp:// host, tls_key without tls_cert and a bad tls_verify are save_path errors pointing at the host
--SKIPIF--
<?php require __DIR__ . '/../session/sess.inc'; ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/../session/sess.inc';
ob_start();
ini_set('session.save_handler', 'keepsake');
set_error_handler(function ($no, $msg) { if (str_contains($msg, 'keepsake:')) echo $msg, "\n"; return true; });
foreach (['tcp://127.0.0.1:6379?tls_ca=/x.pem', 'tls://127.0.0.1:6379?tls_key=/k.pem',
          'tls://127.0.0.1:6379?tls_verify=maybe'] as $p) {
    ini_set('session.save_path', $p);
    var_dump(session_start());
}
?>
--EXPECTF--
session_start(): keepsake: malformed session.save_path: tls_* parameters in host 1, which is not a tls:// host (nor cluster://)
bool(false)
session_start(): keepsake: malformed session.save_path: 'tls_key' without 'tls_cert' in host 1 (mutual TLS needs the certificate)
bool(false)
session_start(): keepsake: malformed session.save_path: bad value for 'tls_verify' in host 1 at offset %d (want 0 or 1)
bool(false)
