--TEST--
sentinel: a master that refuses SELECT (database= beyond its databases) fails the connect as an auth error, as the same refusal does on tcp:// (and did on sentinel:// before the topology rewrite, which counted it as a connect error); the warning names the master, the reply and SELECT
--SKIPIF--
<?php require __DIR__ . '/../session/sess.inc'; ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_probability=0
keepsake.session.persistent=1
keepsake.session.connect_timeout=2
--FILE--
<?php
require __DIR__ . '/../session/sess.inc';
ob_start();
$dir = sys_get_temp_dir() . '/ks-fake-sentinel-noselect-' . getmypid();
@mkdir($dir, 0700, true);
$proc = proc_open([getenv('TEST_PHP_EXECUTABLE'), '-n', __DIR__ . '/fake_sentinel_node.inc', $dir, 'noselect', '60'],
    [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', "$dir/stderr", 'w']], $pipes);
register_shutdown_function(function () use ($proc, $dir) {
    proc_terminate($proc, 9);
    proc_close($proc);
    exec('rm -rf ' . escapeshellarg($dir));
});
if (!ks_sess_wait_file("$dir/ports")) die('the fake sentinel did not start');
[$s, $m] = array_map('intval', explode(' ', file_get_contents("$dir/ports")));
$warnings = [];
set_error_handler(function ($no, $msg) use (&$warnings) { if (str_contains($msg, 'keepsake:')) $warnings[] = $msg; return true; });
ini_set('session.save_handler', 'keepsake');
ini_set('session.save_path', "sentinel://127.0.0.1:$s?master=mymaster&database=20&prefix=" . rawurlencode(ks_sess_prefix()));
var_dump(session_start());
echo count($warnings), ' ', $warnings[0] ?? '', "\n";
echo json_encode(array_filter(keepsake_session_stats()['errors'])), "\n";
?>
--EXPECTF--
bool(false)
1 session_start(): keepsake: session read (lock acquire) failed: cannot connect to sentinel://127.0.0.1:%d (master 'mymaster'): master 127.0.0.1:%d replied "ERR DB index is out of range" to SELECT
{"auth":1}
