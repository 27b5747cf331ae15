--TEST--
sentinel: sessions go to the master the sentinels name; after the master is killed and the replica promoted they work again in the same PHP process, and each session written before reads back whole or is missing, never half-written
--SKIPIF--
<?php require __DIR__ . '/sentinel.inc'; ks_topo_skip_unless('sentinel'); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
keepsake.session.persistent=1
keepsake.session.connect_timeout=2
--FILE--
<?php
require __DIR__ . '/sentinel.inc';
ob_start();
$env = ks_topo_start('sentinel');
$master = $env['KEEPSAKE_TOPO_SENTINEL_MASTER'];
$replica = $env['KEEPSAKE_TOPO_SENTINEL_REPLICA'];
ini_set('session.save_handler', 'keepsake');
ini_set('session.save_path', ks_sentinel_path($env));
$sids = [];
$ok = 0;
for ($i = 0; $i < 40; $i++) {
    $sids[$i] = ks_sess_new_id();
    $ok += ks_sess_request($sids[$i], function () use ($i) {
        $_SESSION['i'] = $i;
        $_SESSION['blob'] = str_repeat(chr(65 + $i % 26), 5000);
        $_SESSION['sum'] = md5($_SESSION['blob'] . $i);
    });
}
var_dump($ok);
$s = keepsake_session_stats();
var_dump($s['topology'], $s['node'] === "tcp://$master (master '" . $env['KEEPSAKE_TOPO_SENTINEL_NAME'] . "')");
/* The data is on the master. */
var_dump(ks_redis((int)explode(':', $master)[1])->cmd('EXISTS', ks_sess_key($sids[0])));
/* Kill the master; the sentinels promote the replica. */
$pid = (int)file_get_contents($env['KEEPSAKE_TOPO_DIR'] . '/sentinel-master/redis.pid');
exec('kill -9 ' . $pid);
var_dump(ks_wait_until(fn() => ks_sentinel_master($env) === $replica && ks_role($replica) === 'master', 60));
/* Same process, same (now dead) persistent connection: no restart needed. */
$whole = 0; $missing = 0; $bad = 0; $failed = 0;
foreach ($sids as $i => $sid) {
    $r = ks_sess_request($sid, function () use ($i, &$whole, &$missing, &$bad) {
        if ($_SESSION === []) { $missing++; $_SESSION['i'] = $i; return; }
        if (($_SESSION['i'] ?? null) === $i && md5(($_SESSION['blob'] ?? '') . $i) === ($_SESSION['sum'] ?? '')) $whole++;
        else $bad++;
    });
    $failed += !$r;
}
var_dump($failed, $bad, $whole + $missing);
echo "whole $whole, missing $missing\n";
$s = keepsake_session_stats();
var_dump($s['node'] === "tcp://$replica (master '" . $env['KEEPSAKE_TOPO_SENTINEL_NAME'] . "')");
/* New sessions are written to the new master. */
$sid = ks_sess_new_id();
var_dump(ks_sess_request($sid, function () { $_SESSION['after'] = 1; }));
var_dump(ks_redis((int)explode(':', $replica)[1])->cmd('EXISTS', ks_sess_key($sid)));
?>
--EXPECTF--
int(40)
string(8) "sentinel"
bool(true)
int(1)
bool(true)
int(0)
int(0)
int(40)
whole %d, missing %d
bool(true)
bool(true)
int(1)
