--TEST--
cluster: migrate_from=phpredis adopts sessions written by phpredis's rediscluster handler, whose keys sit in other slots (often on other masters) than keepsake's, and deletes them
--SKIPIF--
<?php require __DIR__ . '/cluster.inc'; require __DIR__ . '/../session/migrate.inc'; ks_topo_skip_unless('cluster'); ks_mig_skip_without_phpredis(); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
keepsake.session.connect_timeout=5
keepsake.session.read_timeout=10
--FILE--
<?php
require __DIR__ . '/cluster.inc';
require __DIR__ . '/../session/migrate.inc';
ob_start();
$env = ks_topo_start('cluster');
$masters = ks_cluster_masters($env);
$nodes = ks_cluster_nodes($env);
$old_ini = ['extension' => [PHP_EXTENSION_DIR . '/igbinary.so', PHP_EXTENSION_DIR . '/redis.so'],
    'session.save_handler' => 'rediscluster',
    'session.save_path' => 'seed[]=' . $nodes[0] . '&seed[]=' . $nodes[1] . '&prefix=' . rawurlencode(ks_mig_old_prefix())
        . '&timeout=5&read_timeout=10'] + ks_mig_common_ini();
$ids = [];
for ($i = 0; $i < 12; $i++) {
    $ids[$i] = ks_sess_new_id();
    ks_mig_old_write($old_ini, $ids[$i], ['n' => $i]);
}
ini_set('session.save_handler', 'keepsake');
ini_set('session.save_path', ks_cluster_path($env));
ini_set('keepsake.session.migrate_from', 'phpredis');
ini_set('keepsake.session.migrate_prefix', ks_mig_old_prefix());
$elsewhere = 0; $bad = [];
foreach ($ids as $i => $sid) {
    $old_at = ks_cluster_holder($masters, ks_mig_old_prefix() . $sid);
    $seen = null;
    ks_sess_request($sid, function () use (&$seen) { $seen = $_SESSION['n'] ?? null; $_SESSION['n'] += 100; });
    $new_at = ks_cluster_holder($masters, ks_sess_key($sid));
    $elsewhere += $old_at !== null && $new_at !== null && $old_at !== $new_at;
    $stored = $new_at ? ks_node($new_at)->cmd('GET', ks_sess_key($sid)) : null;
    if ($old_at === null || $seen !== $i || $stored !== 'n|i:' . ($i + 100) . ';'
        || ks_cluster_holder($masters, ks_mig_old_prefix() . $sid) !== null) {
        $bad[] = "id $i: old at " . var_export($old_at, true) . ", read " . var_export($seen, true) . ", stored " . var_export($stored, true);
    }
}
echo json_encode($bad), "\n";
echo "some old keys on another master: ", json_encode($elsewhere > 0), "\n";
echo ob_get_clean();
?>
--EXPECT--
[]
some old keys on another master: true
