--TEST--
cluster, strict mode: a known id is kept and updated on its slot's master, an unknown one is refused and its check's lock dropped where it was taken, leaving no key of it on any master and no lock behind
--SKIPIF--
<?php require __DIR__ . '/cluster.inc'; ks_topo_skip_unless('cluster'); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=1
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
keepsake.session.connect_timeout=5
keepsake.session.read_timeout=10
--FILE--
<?php
require __DIR__ . '/cluster.inc';
ob_start();
$env = ks_topo_start('cluster');
$masters = ks_cluster_masters($env);
ini_set('session.save_handler', 'keepsake');
ini_set('session.save_path', ks_cluster_path($env));
$w = [];
set_error_handler(function ($no, $s) use (&$w) { $w[] = $s; return true; });
$known = [];
for ($i = 0; $i < 30; $i++) {
    session_id('');
    session_start();
    $_SESSION['n'] = 1;
    $known[] = session_id();
    session_write_close();
}
$kept = 0;
foreach ($known as $sid) {
    $kept += ks_sess_request($sid, function () { $_SESSION['n']++; }) && session_id() === $sid;
}
$refused = 0; $bads = [];
for ($i = 0; $i < 30; $i++) {
    $bad = ks_sess_new_id();
    session_id($bad);
    if (session_start() && session_id() !== $bad) {
        $refused++;
        $_SESSION['n'] = 5;
        $bads[] = $bad;
    }
    session_write_close();
}
restore_error_handler();
echo "warnings: ", count($w), "\nknown kept and updated: $kept\nunknown refused: $refused\n";
$lost = 0; $holders = [];
foreach ($known as $sid) {
    $h = ks_cluster_holder($masters, ks_sess_key($sid));
    $holders[(string)$h] = true;
    if ($h === null || ks_node($h)->cmd('GET', ks_sess_key($sid)) !== 'n|i:2;') $lost++;
}
echo "known sessions not 'n|i:2;' on their master: $lost\nmasters used: ", count($holders), "\n";
$left = 0; $locks = 0;
foreach ($masters as $m) {
    foreach ($bads as $bad) $left += count(ks_node($m)->cmd('KEYS', ks_sess_key($bad) . '*'));
    $locks += count(ks_node($m)->cmd('KEYS', ks_sess_prefix() . '*:lock'));
}
echo "keys of refused ids: $left\nlocks left: $locks\n";
?>
--EXPECT--
warnings: 0
known kept and updated: 30
unknown refused: 30
known sessions not 'n|i:2;' on their master: 0
masters used: 3
keys of refused ids: 0
locks left: 0
