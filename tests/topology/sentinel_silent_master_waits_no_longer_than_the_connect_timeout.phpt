--TEST--
sentinel: a master the sentinel names that accepts and never answers costs the connect timeout, not the read timeout (its ROLE check is part of discovery, as before the topology rewrite: timeout=0.5, read_timeout=20 failed after 20 s); sentinel_auth goes to the sentinel only and auth to the master only, and no warning or statistic shows either
--SKIPIF--
<?php require __DIR__ . '/../session/sess.inc'; ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_probability=0
keepsake.session.persistent=1
--FILE--
<?php
require __DIR__ . '/../session/sess.inc';
ob_start();
function fake_sentinel(string $mode): array {
    $dir = sys_get_temp_dir() . '/ks-fake-sentinel-' . $mode . '-' . getmypid();
    @mkdir($dir, 0700, true);
    $proc = proc_open([getenv('TEST_PHP_EXECUTABLE'), '-n', __DIR__ . '/fake_sentinel_node.inc', $dir, $mode, '60'],
        [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', "$dir/stderr", 'w']], $pipes);
    register_shutdown_function(function () use ($proc, $dir) {
        proc_terminate($proc, 9);
        proc_close($proc);
        exec('rm -rf ' . escapeshellarg($dir));
    });
    if (!ks_sess_wait_file("$dir/ports")) die('the fake sentinel did not start');
    return [$dir, ...array_map('intval', explode(' ', file_get_contents("$dir/ports")))];
}
$warnings = [];
set_error_handler(function ($no, $msg) use (&$warnings) { if (str_contains($msg, 'keepsake:')) $warnings[] = $msg; return true; });
ini_set('session.save_handler', 'keepsake');

/* 1. The master is silent. */
[$dir, $s, $m] = fake_sentinel('silent');
ini_set('session.save_path', "sentinel://127.0.0.1:$s?master=mymaster&timeout=0.5&read_timeout=20&prefix=" . rawurlencode(ks_sess_prefix()));
$t = microtime(true);
var_dump(session_start());
$took = microtime(true) - $t;
echo $took < 8 ? "bounded by the connect timeout\n" : sprintf("took %.1f s\n", $took);
echo count($warnings), ' ', $warnings[0] ?? '', "\n";

/* 2. The master answers: who got which password. */
[$dir, $s, $m] = fake_sentinel('master');
$warnings = [];
ini_set('session.save_path', "sentinel://127.0.0.1:$s?master=mymaster&auth=M4STERPW&sentinel_auth=S3NTPW&prefix=" . rawurlencode(ks_sess_prefix()));
@session_start();
@session_abort();
usleep(200000);
$log = file("$dir/log", FILE_IGNORE_NEW_LINES);
echo implode("\n", array_slice($log, 0, 5)), "\n";
$stats = json_encode(keepsake_session_stats());
echo str_contains(implode(' ', $warnings) . $stats, 'PW') ? "a password shows\n" : "no password in warnings or stats\n";
?>
--EXPECTF--
bool(false)
bounded by the connect timeout
1 session_start(): keepsake: session read (lock acquire) failed: cannot connect to sentinel://127.0.0.1:%d (master 'mymaster'): master 127.0.0.1:%d: no reply from %s
S AUTH S3NTPW
S SENTINEL get-master-addr-by-name mymaster
M AUTH M4STERPW
M ROLE
M %s
no password in warnings or stats
