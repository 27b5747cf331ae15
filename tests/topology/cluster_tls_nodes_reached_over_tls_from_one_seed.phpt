--TEST--
cluster over TLS: with tls_ca= on a cluster:// save_path and one TLS seed, sessions reach all 3 masters at the TLS ports CLUSTER SLOTS reports; 4 processes x 50 locked increments end at exactly 200; no tls_* (plain text to TLS ports) or the wrong CA fail with one warning
--SKIPIF--
<?php require __DIR__ . '/cluster.inc'; ks_topo_skip_unless('cluster_tls'); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.gc_probability=0
keepsake.session.connect_timeout=5
keepsake.session.read_timeout=10
--FILE--
<?php
require __DIR__ . '/cluster.inc';
ob_start();
$env = ks_topo_start('cluster_tls');
$seed = explode(',', $env['KEEPSAKE_TOPO_CLUSTER_TLS'])[0];
/* The tests' own client speaks plain text: it checks the data on the plain ports. */
$plain = array_map(fn($p) => "127.0.0.1:$p", explode(',', $env['KEEPSAKE_TOPO_CLUSTER_TLS_PLAIN']));
$path = fn(string $q) => "cluster://$seed?prefix=" . rawurlencode(ks_sess_prefix()) . ($q !== '' ? "&$q" : '');
ini_set('session.save_handler', 'keepsake');
$warnings = [];
set_error_handler(function ($no, $msg) use (&$warnings) { $warnings[] = $msg; return true; });

ini_set('session.save_path', $path('tls_ca=' . rawurlencode($env['KEEPSAKE_TOPO_CLUSTER_TLS_CA'])));
$count = array_fill_keys($plain, 0);
$ok = 0; $missing = 0;
/* Fixed ids: 30 random ones left a master fewer than 3 sessions in 2.0e-3
 * of runs (3 x P[binomial(30, 1/3) <= 2]). These fall 6, 12 and 12 on the
 * three slot ranges redis-cli --cluster create assigns (CRC16 of the id). */
for ($i = 0; $i < 30; $i++) {
    $sid = md5("cluster-tls-$i");
    $ok += ks_sess_request($sid, function () { $_SESSION['x'] = 1; });
    $holder = ks_cluster_holder($plain, ks_sess_key($sid));
    if ($holder === null) { $missing++; continue; }
    $count[$holder]++;
}
$s = keepsake_session_stats();
var_dump($ok, $missing, min($count) >= 3, $s['topology'], str_starts_with($s['node'], 'tls://127.0.0.1:'),
    in_array(substr($s['node'], 6), explode(',', $env['KEEPSAKE_TOPO_CLUSTER_TLS']), true), $warnings);
/* One TLS context (CA loaded once) for the seed and every master's connection. */
var_dump($s['tls_contexts_built']);

/* Contention on one session over TLS: 4 real processes. */
$sid = ks_sess_new_id();
$dir = sys_get_temp_dir() . '/ks-cluster-tls-' . getmypid();
@mkdir($dir);
$pids = [];
for ($p = 0; $p < 4; $p++) {
    $pid = pcntl_fork();
    if ($pid === 0) {
        while (ob_get_level()) ob_end_clean();
        $msgs = [];
        set_error_handler(function ($no, $str) use (&$msgs) { $msgs[] = $str; return true; });
        for ($i = 0; $i < 50; $i++) {
            session_id($sid);
            if (!session_start()) { $msgs[] = 'session_start failed'; continue; }
            $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
            session_write_close();
        }
        file_put_contents("$dir/$p", json_encode($msgs));
        exit(0);
    }
    $pids[] = $pid;
}
foreach ($pids as $pid) pcntl_waitpid($pid, $st);
$msgs = [];
for ($p = 0; $p < 4; $p++) {
    $msgs = array_merge($msgs, json_decode((string)@file_get_contents("$dir/$p"), true) ?? ['no result file']);
    @unlink("$dir/$p");
}
@rmdir($dir);
session_id($sid);
session_start(['read_and_close' => true]);
var_dump($_SESSION['n'], $msgs);

echo "no tls_*: plain text to the TLS ports\n";
$warnings = [];
ini_set('session.save_path', $path('timeout=2&read_timeout=2'));
$t = microtime(true);
var_dump(ks_sess_request(ks_sess_new_id(), function () { $_SESSION['x'] = 1; }), microtime(true) - $t < 8.0);
var_dump(count($warnings));
echo $warnings[0], "\n";

echo "wrong CA\n";
$warnings = [];
ini_set('session.save_path', $path('tls_ca=' . rawurlencode(dirname($env['KEEPSAKE_TOPO_CLUSTER_TLS_CA']) . '/wrong-ca.crt')));
var_dump(ks_sess_request(ks_sess_new_id(), function () { $_SESSION['x'] = 1; }));
echo $warnings[0], "\n";
restore_error_handler();
?>
--EXPECTF--
int(30)
int(0)
bool(true)
string(7) "cluster"
bool(true)
bool(true)
array(0) {
}
int(1)
int(200)
array(0) {
}
no tls_*: plain text to the TLS ports
bool(false)
bool(true)
int(2)
session_start(): keepsake: session read failed: cannot route session to a cluster master: %stcp://127.0.0.1:%d%s
wrong CA
bool(false)
session_start(): keepsake: session read failed: cannot route session to a cluster master: cannot connect to tls://127.0.0.1:%d: TLS certificate verify failed: self-signed certificate in certificate chain
