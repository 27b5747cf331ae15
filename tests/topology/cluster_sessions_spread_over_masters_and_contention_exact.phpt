--TEST--
cluster: sessions spread over the 3 masters, each on the master of its slot; 8 processes x 200 locked increments of one session end at exactly 1600
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
var_dump(count($masters));
ini_set('session.save_handler', 'keepsake');
ini_set('session.save_path', ks_cluster_path($env));
$count = array_fill_keys($masters, 0);
$ok = 0; $misplaced = 0;
/* Fixed ids: 60 random ones left a master fewer than 8 sessions in 3.3e-4
 * of runs (binomial(60, 1/3) <= 7, three masters). These fall 14, 22 and
 * 24 on the three slot ranges redis-cli --cluster create assigns (CRC16 of
 * the id, the hash tag); a key whose slot does not follow its id (one hash
 * tag for all, say) puts all 60 on one master. */
for ($i = 0; $i < 60; $i++) {
    $sid = md5("cluster-spread-$i");
    $ok += ks_sess_request($sid, function () { $_SESSION['x'] = 1; });
    $holder = ks_cluster_holder($masters, ks_sess_key($sid));
    if ($holder === null) { $misplaced++; continue; }
    $count[$holder]++;
}
var_dump($ok, $misplaced, min($count) >= 8);
var_dump(keepsake_session_stats()['topology']);
/* Contention on one session: 8 real processes. */
$sid = ks_sess_new_id();
$dir = sys_get_temp_dir() . '/ks-cluster-contention-' . getmypid();
@mkdir($dir);
$pids = [];
$base = keepsake_session_stats()['lock_acquisitions'];   /* each child starts with the parent's counters */
for ($p = 0; $p < 8; $p++) {
    $pid = pcntl_fork();
    if ($pid === 0) {
        while (ob_get_level()) ob_end_clean();   /* the parent's buffered output is not ours to print */
        $msgs = [];
        set_error_handler(function ($no, $str) use (&$msgs) { $msgs[] = $str; return true; });
        for ($i = 0; $i < 200; $i++) {
            session_id($sid);
            if (!session_start()) { $msgs[] = 'session_start failed'; continue; }
            $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
            session_write_close();
        }
        file_put_contents("$dir/$p", json_encode(['msgs' => $msgs, 'stats' => keepsake_session_stats()]));
        exit(0);
    }
    $pids[] = $pid;
}
foreach ($pids as $pid) pcntl_waitpid($pid, $st);
$msgs = []; $acq = 0;
for ($p = 0; $p < 8; $p++) {
    $r = json_decode((string)@file_get_contents("$dir/$p"), true);
    if (!$r) { $msgs[] = "child $p left no report"; continue; }
    $msgs = array_merge($msgs, $r['msgs']);
    $acq += $r['stats']['lock_acquisitions'] - $base;
    unlink("$dir/$p");
}
rmdir($dir);
var_dump($msgs, $acq);
$holder = ks_cluster_holder($masters, ks_sess_key($sid));
var_dump(ks_node($holder)->cmd('GET', ks_sess_key($sid)));
?>
--EXPECT--
int(3)
int(60)
int(0)
bool(true)
string(7) "cluster"
array(0) {
}
int(1600)
string(9) "n|i:1600;"
