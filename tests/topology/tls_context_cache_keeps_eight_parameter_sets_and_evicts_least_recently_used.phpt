--TEST--
TLS context cache: a worker keeps up to 8 contexts, one per set of tls_* parameters; a ninth set replaces the least recently used one, and the other seven are still reused
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
ini_set('session.save_handler', 'keepsake');
/* Nine parameter sets that differ only in tls_sni (unchecked with tls_verify=0). */
$built = 0;
$use = function (array $names) use ($p, &$built) {
    $before = ks_sess_stat('tls_contexts_built');
    $ok = true;
    foreach ($names as $n) {
        ini_set('session.save_path', "tls://127.0.0.1:$p?tls_verify=0&tls_sni=$n");
        $ok = ks_sess_request('lru' . $n, function () { $_SESSION['x'] = 1; }) && $ok;
    }
    return [$ok, ks_sess_stat('tls_contexts_built') - $before];
};
$eight = ['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7'];
echo json_encode($use($eight)), " eight sets: eight builds\n";
echo json_encode($use($eight)), " the same eight again: none\n";
echo json_encode($use(['n8'])), " a ninth: one, replacing n0 (least recently used)\n";
echo json_encode($use(array_slice($eight, 1))), " n1..n7: still cached\n";
echo json_encode($use(['n0'])), " n0 again: built again, replacing n8\n";
echo json_encode($use($eight)), " all eight: cached\n";
?>
--EXPECT--
[true,8] eight sets: eight builds
[true,0] the same eight again: none
[true,1] a ninth: one, replacing n0 (least recently used)
[true,0] n1..n7: still cached
[true,1] n0 again: built again, replacing n8
[true,0] all eight: cached
