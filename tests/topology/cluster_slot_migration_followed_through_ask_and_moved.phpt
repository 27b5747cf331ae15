--TEST--
cluster: a session's slot migrated while in use is followed: during the migration reads follow ASK to the target and a locked request waits out TRYAGAIN, after it requests follow MOVED and the map is updated; no warning, no lost update
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
set_error_handler(function ($no, $msg) { echo "warning: $msg\n"; return true; });
$sid = ks_sess_new_id();
var_dump(ks_sess_request($sid, function () { $_SESSION['n'] = 1; }));
$key = ks_sess_key($sid);
$src = ks_cluster_holder($masters, $key);
$dst = array_values(array_diff($masters, [$src]))[0];
$slot = ks_node($src)->cmd('CLUSTER', 'KEYSLOT', $key);
$src_id = ks_node($src)->cmd('CLUSTER', 'MYID');
$dst_id = ks_node($dst)->cmd('CLUSTER', 'MYID');
/* Start migrating the slot and move the session's keys (data, wake list) now. */
var_dump(ks_node($dst)->cmd('CLUSTER', 'SETSLOT', (string)$slot, 'IMPORTING', $src_id));
var_dump(ks_node($src)->cmd('CLUSTER', 'SETSLOT', (string)$slot, 'MIGRATING', $dst_id));
$keys = array_values(array_filter([$key, ks_sess_key($sid, ':wake')], fn($k) => ks_node($src)->cmd('EXISTS', $k) === 1));
$dh = explode(':', $dst);
var_dump(ks_node($src)->cmd('MIGRATE', $dh[0], $dh[1], '', '0', '5000', 'KEYS', ...$keys));
/* The source now answers ASK for this session: an unlocked read follows it to the target. */
session_id($sid);
var_dump(session_start(['read_and_close' => true]), $_SESSION['n']);
var_dump(ks_node($src)->cmd('GET', $key)->message === "ASK $slot $dst");
/* A locked request touches the data and the lock key: on the importing node
 * that is TRYAGAIN until the migration ends. A second process ends it after
 * half a second; the request waits it out and then follows MOVED. */
$t = microtime(true);   /* before the fork: the migration ends at least 0.5 s after it, however late this process runs on */
$pid = pcntl_fork();
if ($pid === 0) {
    while (ob_get_level()) ob_end_clean();
    usleep(500000);
    foreach (ks_cluster_nodes($env) as $n) ks_node($n)->cmd('CLUSTER', 'SETSLOT', (string)$slot, 'NODE', $dst_id);
    exit(0);
}
var_dump(ks_sess_request($sid, function () { $_SESSION['n']++; }));
$e = microtime(true) - $t;
pcntl_waitpid($pid, $st);
var_dump($e > 0.3 && $e < 5.0);
var_dump(ks_node($src)->cmd('GET', $key)->message === "MOVED $slot $dst");
/* After MOVED the map points at the target: this request needs no redirection. */
$rt = keepsake_session_stats()['round_trips'];
var_dump(ks_sess_request($sid, function () { $_SESSION['n']++; }));
var_dump(keepsake_session_stats()['round_trips'] - $rt);
var_dump(ks_node($dst)->cmd('GET', $key));
$s = keepsake_session_stats();
var_dump($s['node'] === "tcp://$dst");
?>
--EXPECT--
bool(true)
string(2) "OK"
string(2) "OK"
string(2) "OK"
bool(true)
int(1)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
int(2)
string(6) "n|i:3;"
bool(true)
