--TEST--
sentinel: first-listed sentinels whose view is stale (one names a master that is gone, one names a replica) cost no request: in the same connect the next sentinel is asked and its master used, and from then on the stale ones are not asked first (before: every request failed with "reports the role replica")
--SKIPIF--
<?php require __DIR__ . '/sentinel.inc'; ks_topo_skip_unless('sentinel'); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.gc_probability=0
keepsake.session.connect_timeout=2
--FILE--
<?php
require __DIR__ . '/sentinel.inc';
ob_start();
$env = ks_topo_start('sentinel');
$name = $env['KEEPSAKE_TOPO_SENTINEL_NAME'];
$dir = sys_get_temp_dir() . '/ks-stale-sentinel-' . getmypid();
@mkdir($dir, 0700, true);
/* Outside the shared topology (its sentinels never learn of these): a
 * private master and its replica, and two real sentinels with a stale view
 * under the master's name: one names a master that is gone (nothing
 * listens there), one names the private replica (a demoted old master). */
/* tests/port.inc: five distinct ports that no parallel test is handed (five
 * binds to port 0, each closed at once, gave the same port twice in 22 of
 * 20,000 tries here, about 1e-3). */
[$pm, $pr, $gone, $s1, $s2] = [ks_free_port(), ks_free_port(), ks_free_port(), ks_free_port(), ks_free_port()];
$redis = "--bind 127.0.0.1 --save '' --appendonly no --daemonize yes --dir " . escapeshellarg($dir);
exec("redis-server $redis --port $pm --pidfile $dir/m.pid --logfile $dir/m.log");
exec("redis-server $redis --port $pr --replicaof 127.0.0.1 $pm --pidfile $dir/r.pid --logfile $dir/r.log");
foreach ([[$s1, $gone], [$s2, $pr]] as [$sp, $mp]) {
    file_put_contents("$dir/s$sp.conf", "port $sp\nbind 127.0.0.1\ndaemonize yes\npidfile $dir/s$sp.pid\nlogfile $dir/s$sp.log\n"
        . "dir $dir\nsentinel monitor $name 127.0.0.1 $mp 1\n");
    exec('redis-sentinel ' . escapeshellarg("$dir/s$sp.conf"));
}
register_shutdown_function(function () use ($dir) { exec("kill \$(cat $dir/*.pid) 2>/dev/null; sleep 0.2; rm -rf " . escapeshellarg($dir)); });
$names = function (int $sp) use ($name) {
    try { $r = (new KsRedis('127.0.0.1', $sp))->cmd('SENTINEL', 'get-master-addr-by-name', $name); }
    catch (RuntimeException $e) { return null; }
    return is_array($r) ? (int)$r[1] : null;
};
var_dump(ks_wait_until(fn () => $names($s1) === $gone && $names($s2) === $pr && ks_role("127.0.0.1:$pr") === 'slave', 30));
/* Connections each stale sentinel received (INFO's own not counted). */
$conns = function (int $sp) {
    preg_match('/total_connections_received:(\d+)/', (new KsRedis('127.0.0.1', $sp))->cmd('INFO', 'stats'), $m);
    return (int)$m[1];
};

ini_set('session.save_handler', 'keepsake');
/* persistent=0: every request connects, so every request asks the sentinels. */
ini_set('session.save_path', "sentinel://127.0.0.1:$s1,127.0.0.1:$s2," . $env['KEEPSAKE_TOPO_SENTINELS']
    . "?master=$name&persistent=0&prefix=" . rawurlencode(ks_sess_prefix()));
$warnings = [];
set_error_handler(function ($no, $msg) use (&$warnings) { if (str_contains($msg, 'keepsake:')) $warnings[] = $msg; return true; });
$before = [$conns($s1), $conns($s2)];
$sid = ks_sess_new_id();
$ok = 0;
for ($i = 0; $i < 4; $i++) $ok += ks_sess_request($sid, function () { $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1; });
var_dump($ok, $warnings);
/* The stale sentinels were asked by the first request only. */
var_dump($conns($s1) - $before[0] - 1, $conns($s2) - $before[1] - 1);
?>
--EXPECT--
bool(true)
int(4)
array(0) {
}
int(1)
int(1)
