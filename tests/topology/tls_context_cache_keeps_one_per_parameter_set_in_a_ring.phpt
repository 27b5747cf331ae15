--TEST--
TLS context cache: a ring of two tls:// hosts differing only in tls_sni builds two contexts for 20 connects (one per parameter set), not one per switch of host
--SKIPIF--
<?php require __DIR__ . '/topo.inc'; ks_topo_skip_unless('tls'); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.gc_probability=0
keepsake.session.persistent=0
--FILE--
<?php
require __DIR__ . '/topo.inc';
ob_start();
$env = ks_topo_start('tls');
$p = (int)$env['KEEPSAKE_TOPO_TLS_PORT'];
$ca = rawurlencode($env['KEEPSAKE_TOPO_TLS_CA']);
ini_set('session.save_handler', 'keepsake');
/* The server's certificate names both 127.0.0.1 and localhost. */
ini_set('session.save_path', "tls://127.0.0.1:$p?tls_ca=$ca&tls_sni=localhost, tls://localhost:$p?tls_ca=$ca&tls_sni=127.0.0.1");
$nodes = [];
for ($i = 0; $i < 20; $i++) {
    ks_sess_request("thrash$i", function () { $_SESSION['x'] = 1; });
    $nodes[keepsake_session_stats()['node']] = true;
}
echo count($nodes), " nodes, ", ks_sess_stat('connects'), " connects, ", ks_sess_stat('tls_contexts_built'), " contexts built\n";
?>
--EXPECT--
2 nodes, 20 connects, 2 contexts built
