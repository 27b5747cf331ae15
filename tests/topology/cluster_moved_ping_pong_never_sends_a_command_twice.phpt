--TEST--
cluster: two nodes that redirect a command to each other (MOVED A -> B -> A) get it once each: keepsake refuses to re-enter a connection that is still waiting on that command, so nothing is sent twice, and the request fails with one warning naming the loop
--SKIPIF--
<?php require __DIR__ . '/../session/sess.inc'; ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_probability=0
keepsake.session.persistent=1
keepsake.session.connect_timeout=1
keepsake.session.read_timeout=2
--FILE--
<?php
require __DIR__ . '/../session/sess.inc';
ob_start();
$dir = sys_get_temp_dir() . '/ks-fake-cluster-' . getmypid();
@mkdir($dir, 0700, true);
$proc = proc_open([getenv('TEST_PHP_EXECUTABLE'), '-n', __DIR__ . '/fake_cluster_node.inc', $dir, '60'],
    [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', "$dir/stderr", 'w']], $pipes);
register_shutdown_function(function () use ($proc, $dir) {
    proc_terminate($proc, 9);
    proc_close($proc);
    exec('rm -rf ' . escapeshellarg($dir));
});
if (!ks_sess_wait_file("$dir/ports")) die('the fake nodes did not start');
[$a, $b] = explode(' ', file_get_contents("$dir/ports"));
/* Read after a pause: a command sent twice has a reply nobody waits for, so
 * the fake node may still be counting when session_start() returns. */
$counts = function () use ($dir) {
    usleep(300000);
    return json_decode(@file_get_contents("$dir/counts") ?: '{"A":[],"B":[]}', true);
};

ini_set('session.save_handler', 'keepsake');
ini_set('session.save_path', "cluster://127.0.0.1:$a?prefix=" . rawurlencode(ks_sess_prefix()));
$warnings = [];
set_error_handler(function ($no, $msg) use (&$warnings) { if (str_contains($msg, 'keepsake:')) $warnings[] = $msg; return true; });

/* Request 1: the map says A; A says MOVED to B; B says MOVED back to A, which
 * is still waiting for that very command. */
var_dump(ks_sess_request(ks_sess_new_id()));
$c = $counts();
echo 'A: CLUSTER ', $c['A']['CLUSTER'] ?? 0, ', EVALSHA ', $c['A']['EVALSHA'] ?? 0,
    '; B: EVALSHA ', $c['B']['EVALSHA'] ?? 0, "\n";
echo count($warnings), ' ', $warnings[0] ?? '', "\n";

/* Request 2, same worker: MOVED put the slot on B; the same loop from the
 * other side, again one EVALSHA per node (counts are totals). */
$warnings = [];
var_dump(ks_sess_request(ks_sess_new_id()));
$c = $counts();
echo 'A: EVALSHA ', $c['A']['EVALSHA'] ?? 0, '; B: EVALSHA ', $c['B']['EVALSHA'] ?? 0, "\n";
echo count($warnings), "\n";
?>
--EXPECTF--
bool(false)
A: CLUSTER 1, EVALSHA 1; B: EVALSHA 1
1 session_start(): keepsake: session read (lock acquire) failed: cluster redirection loop: tcp://127.0.0.1:%d answered MOVED %d to tcp://127.0.0.1:%d, which is waiting for this same command (redirected from tcp://127.0.0.1:%d)
bool(false)
A: EVALSHA 2; B: EVALSHA 2
1
