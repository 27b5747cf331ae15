--TEST--
tls: tls:// against a plain-text port ends at the connect timeout with a hint, and tcp:// against a TLS port fails at once; neither hangs
--SKIPIF--
<?php require __DIR__ . '/topo.inc'; ks_topo_skip_unless('tls'); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_probability=0
keepsake.session.persistent=0
keepsake.session.connect_timeout=0.5
keepsake.session.read_timeout=5
--FILE--
<?php
require __DIR__ . '/topo.inc';
ob_start();
$env = ks_topo_start('tls');
ini_set('session.save_handler', 'keepsake');
ini_set('session.save_path', ks_topo_tls_path($env, (int)$env['KEEPSAKE_TOPO_TLS_PLAIN_PORT'],
    'tls_ca=' . rawurlencode($env['KEEPSAKE_TOPO_TLS_CA'])));
$t = microtime(true);
var_dump(ks_sess_request(ks_sess_new_id()));
$e = microtime(true) - $t;
var_dump($e >= 0.4 && $e < 4.0);   /* the 0.5 s connect timeout, generously bounded */
/* A plain-text client: Redis's TLS port drops it instead of answering
 * (as a close or a reset, depending on timing). */
ini_set('session.save_path', 'tcp://127.0.0.1:' . $env['KEEPSAKE_TOPO_TLS_PORT'] . '?prefix=x');
set_error_handler(function ($no, $msg) {
    if (str_contains($msg, 'keepsake:')) {
        var_dump(preg_match('~keepsake: session read \(lock acquire\) failed: (tcp://127\.0\.0\.1:\d+ closed the connection'
            . '|read from tcp://127\.0\.0\.1:\d+ failed: Connection reset by peer)$~', $msg));
    }
    return true;
});
$t = microtime(true);
var_dump(ks_sess_request(ks_sess_new_id()));
var_dump(microtime(true) - $t < 4.0);
?>
--EXPECTF--
Warning: session_start(): keepsake: session read (lock acquire) failed: cannot connect to tls://127.0.0.1:%d: no TLS handshake answer within %d ms (a plain-text port, or an overloaded server?) in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: %s) in %s on line %d
bool(false)
bool(true)
int(1)
bool(false)
bool(true)
