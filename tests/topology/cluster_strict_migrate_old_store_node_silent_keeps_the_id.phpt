--TEST--
cluster, strict mode, migrate_from=phpredis: when the master holding an id's phpredis key does not answer the strict check's EXISTS, the id is not silently replaced by a new, empty session (the user logged out without a word): it is kept, the read asks the old store again and fails with one warning, and PHP hands out no new id; the old copy is adopted once that master answers again
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
keepsake.session.connect_timeout=2
keepsake.session.read_timeout=0.5
keepsake.session.migrate_from=phpredis
keepsake.session.migrate_prefix=OLDSESS:
--FILE--
<?php
require __DIR__ . '/cluster.inc';
ob_start();
$env = ks_topo_start('cluster');
$masters = ks_cluster_masters($env);
/* An id whose phpredis key (no hash tag: its own slot) is on another master
 * than keepsake's keys; the old copy is written straight to its master. */
for ($i = 0; $i < 200; $i++) {
    $sid = ks_sess_new_id();
    $old_at = $new_at = null;
    foreach ($masters as $m) {
        $n = ks_node($m);
        if ($n->cmd('SET', 'OLDSESS:' . $sid, 'n|i:41;', 'EX', '600') === 'OK') $old_at = $m;     // else MOVED
        if (!($n->cmd('EXISTS', ks_sess_key($sid)) instanceof RedisErrorReply)) $new_at = $m;
    }
    if ($old_at !== null && $new_at !== null && $old_at !== $new_at) break;
    if ($old_at !== null) ks_node($old_at)->cmd('DEL', 'OLDSESS:' . $sid);
}
echo 'old copy on another master: ', var_export($old_at !== null && $new_at !== null && $old_at !== $new_at, true), "\n";
ini_set('session.save_handler', 'keepsake');
ini_set('session.save_path', ks_cluster_path($env));
ks_sess_request(ks_sess_new_id());   // loads the slot map (from a seed that may be the node paused below) and the scripts
/* The old copy's master stops answering clients for 3 s (the cluster keeps
 * it a master): longer than the check's and the read's two read timeouts of
 * 0.5 s, with room for a loaded box. */
ks_node($old_at)->cmd('CLIENT', 'PAUSE', '3000', 'ALL');
$w = [];
set_error_handler(function ($no, $s) use (&$w) { if (str_contains($s, 'keepsake:')) $w[] = $s; return true; });
session_id($sid);
$ok = session_start();
/* Kept: the read asks the old store again and fails with one warning, and
 * PHP hands out no new id (refused, the user got a new, empty session). */
echo 'started: ', var_export($ok, true), ', id now: ', var_export(session_id() === $sid ? 'the same' : session_id(), true),
    ', keepsake warnings: ', count($w), "\n";
foreach ($w as $x) echo '  ', preg_replace('/tcp:\/\/\S+/', 'HOST', $x), "\n";
if ($ok) {
    echo 'started with: ', json_encode($_SESSION), "\n";
    session_write_close();
}
restore_error_handler();
ks_node($old_at)->cmd('PING');   // answered once the pause is over
/* Once it answers again, the same id is adopted. */
var_dump(ks_sess_request($sid, function () { $_SESSION['n']++; }) && session_id() === $sid);
echo ks_node($new_at)->cmd('GET', ks_sess_key($sid)), "\n";
?>
--EXPECT--
old copy on another master: true
started: false, id now: '', keepsake warnings: 1
  session_start(): keepsake: session read (the old phpredis session) failed: no reply from HOST within the read timeout
bool(true)
n|i:42;
