--TEST--
cluster: after a master is killed and its replica promoted, sessions on the other masters never fail (with cluster-require-full-coverage no, as scripts/topology sets it), and the sessions of the dead master work again (whole or missing) once the cluster has healed, in the same PHP process
--SKIPIF--
<?php require __DIR__ . '/cluster.inc'; ks_topo_skip_unless('cluster'); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
keepsake.session.connect_timeout=2
keepsake.session.read_timeout=5
--FILE--
<?php
require __DIR__ . '/cluster.inc';
ob_start();
$env = ks_topo_start('cluster');
$masters = ks_cluster_masters($env);
ini_set('session.save_handler', 'keepsake');
ini_set('session.save_path', ks_cluster_path($env));
$home = [];
for ($i = 0; $i < 45; $i++) {
    $sid = ks_sess_new_id();
    ks_sess_request($sid, function () use ($i) { $_SESSION['i'] = $i; $_SESSION['pad'] = str_repeat('p', 3000); });
    $home[$sid] = ks_cluster_holder($masters, ks_sess_key($sid));
}
/* Kill a master that is not the first seed. */
$nodes = ks_cluster_nodes($env);
$victim = array_values(array_diff($masters, [$nodes[0]]))[0];
$idx = array_search($victim, $nodes, true);
exec('kill -9 ' . (int)file_get_contents($env['KEEPSAKE_TOPO_DIR'] . "/cluster$idx/redis.pid"));
$affected = array_keys(array_filter($home, fn($m) => $m === $victim));
$others = array_keys(array_filter($home, fn($m) => $m !== $victim));
/* While the cluster fails over (and after), the other masters' sessions keep working. */
$other_failures = 0; $warnings = [];
set_error_handler(function ($no, $msg) use (&$warnings) { $warnings[] = $msg; return true; });
$healed = false;
$end = microtime(true) + 60;
while (microtime(true) < $end) {
    foreach ($others as $sid) $other_failures += !ks_sess_request($sid, function () { $_SESSION['seen'] = ($_SESSION['seen'] ?? 0) + 1; });
    /* Healed: every live master's slot table names a live owner for every slot
     * (cluster_state says ok all along when full coverage is not required). */
    $ms = ks_cluster_masters($env);
    if (count($ms) === 3 && !in_array($victim, $ms, true)) {
        $ok = true;
        foreach ($ms as $m) {
            foreach (ks_node($m)->cmd('CLUSTER', 'SLOTS') as $r) $ok = $ok && "127.0.0.1:{$r[2][1]}" !== $victim;
        }
        if ($ok) { $healed = true; break; }
    }
}
var_dump(count($affected) > 0, $healed, $other_failures);
/* The affected sessions recover: at most one failed request per worker while
 * the map is reloaded, then every one works, whole or missing. */
$whole = 0; $missing = 0; $bad = 0; $failed_twice = 0;
foreach ($affected as $sid) {
    $i = array_search($sid, array_keys($home), true);
    $check = function () use ($i, &$whole, &$missing, &$bad) {
        if ($_SESSION === []) { $missing++; return; }
        if (($_SESSION['i'] ?? null) === $i && strlen($_SESSION['pad'] ?? '') === 3000) $whole++; else $bad++;
    };
    if (!ks_sess_request($sid, $check) && !ks_sess_request($sid, $check)) $failed_twice++;
}
restore_error_handler();
var_dump($failed_twice, $bad, $whole + $missing === count($affected));
echo "affected ", count($affected), ": whole $whole, missing $missing\n";
?>
--EXPECTF--
bool(true)
bool(true)
int(0)
int(0)
int(0)
bool(true)
affected %d: whole %d, missing %d
