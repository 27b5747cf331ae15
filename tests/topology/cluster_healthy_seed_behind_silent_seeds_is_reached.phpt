--TEST--
cluster: a healthy seed listed after 6 seeds that accept connections and never answer, with a reload budget (timeout + read_timeout = 0.2 s) too small to ask them all, is reached by a later reload (each reload starts where the last one ran out), and the worker serves sessions from then on
--SKIPIF--
<?php require __DIR__ . '/cluster.inc'; ks_topo_skip_unless('cluster'); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_probability=0
keepsake.session.persistent=1
--FILE--
<?php
require __DIR__ . '/cluster.inc';
ob_start();
$env = ks_topo_start('cluster');
/* Listening sockets that are never accepted: a connect succeeds, no reply comes. */
$ctx = stream_context_create(['socket' => ['backlog' => 64]]);
$holes = $seeds = [];
for ($i = 0; $i < 6; $i++) {
    $holes[$i] = stream_socket_server('tcp://127.0.0.1:0', $e, $m, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, $ctx);
    $seeds[] = stream_socket_get_name($holes[$i], false);
}
$seeds[] = ks_cluster_nodes($env)[0];
ini_set('session.save_handler', 'keepsake');
ini_set('session.save_path', 'cluster://' . implode(',', $seeds)
    . '?timeout=0.1&read_timeout=0.1&prefix=' . rawurlencode(ks_sess_prefix()));
$warnings = [];
set_error_handler(function ($no, $msg) use (&$warnings) { if (str_contains($msg, 'keepsake:')) $warnings[] = $msg; return true; });

/* 50 ms at least per node: one reload asks about 4 of the 7. The first fails;
 * one of the next few (a reload at most once a second) reaches the healthy seed. */
$sid = ks_sess_new_id();
$first = ks_sess_request($sid, function () { $_SESSION['n'] = 1; });
var_dump($first);
echo $warnings[0] ?? 'no warning', "\n";
for ($a = 2; $a <= 8 && !($ok = ks_sess_request($sid, function () { $_SESSION['n'] = 1; })); $a++) {
    usleep(1100000);
}
var_dump($ok);
/* From then on the map is known: every request works. */
$all = true;
for ($i = 0; $i < 5; $i++) {
    $all = $all && ks_sess_request($sid, function () { $_SESSION['n']++; });
}
var_dump($all, ks_sess_request($sid, function () { echo $_SESSION['n'], "\n"; }));
?>
--EXPECTF--
bool(false)
session_start(): keepsake: session read failed: cannot route session to a cluster master: no reply from tcp://127.0.0.1:%d within the read timeout (its share of the reload: %d ms)%sthe reload's budget of 200 ms ran out before %d of 7 nodes were asked%A
bool(true)
6
bool(true)
bool(true)
