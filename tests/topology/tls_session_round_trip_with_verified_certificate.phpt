--TEST--
tls: a session over tls:// with the CA verified is written, locked, read back and stored on the server; persistent connections are reused
--SKIPIF--
<?php require __DIR__ . '/topo.inc'; ks_topo_skip_unless('tls'); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
keepsake.session.persistent=1
keepsake.session.connect_timeout=10
--FILE--
<?php
require __DIR__ . '/topo.inc';
ob_start();
$env = ks_topo_start('tls');
ini_set('session.save_handler', 'keepsake');
ini_set('session.save_path', ks_topo_tls_path($env, (int)$env['KEEPSAKE_TOPO_TLS_PORT'],
    'tls_ca=' . rawurlencode($env['KEEPSAKE_TOPO_TLS_CA'])));
$sid = ks_sess_new_id();
$connects = ks_sess_stat('connects');
var_dump(ks_sess_request($sid, function () { $_SESSION['n'] = 41; $_SESSION['blob'] = str_repeat('x', 100000); }));
var_dump(ks_sess_request($sid, function () { $_SESSION['n']++; }));
session_id($sid);
session_start(['read_and_close' => true]);
var_dump($_SESSION['n'], strlen($_SESSION['blob']));
/* Three requests, one TLS connection. */
var_dump(ks_sess_stat('connects') - $connects);
/* The data is really on that server: read it over its plain-text port. */
$raw = ks_redis((int)$env['KEEPSAKE_TOPO_TLS_PLAIN_PORT'])->cmd('GET', ks_sess_key($sid));
var_dump(str_contains($raw, 'n|i:42;'));
/* No lock is left behind. */
var_dump(ks_redis((int)$env['KEEPSAKE_TOPO_TLS_PLAIN_PORT'])->cmd('EXISTS', ks_sess_key($sid, ':lock')));
?>
--EXPECT--
bool(true)
bool(true)
int(42)
int(100000)
int(1)
bool(true)
int(0)
