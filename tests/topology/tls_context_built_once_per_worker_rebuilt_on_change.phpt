--TEST--
tls: the TLS context (CA bundle, key) is built once per worker and reused by every connect (persistent=0, a forked child), one per set of tls_* parameters (switching back reuses the first), and built again when the CA file changes
--SKIPIF--
<?php require __DIR__ . '/topo.inc'; ks_topo_skip_unless('tls'); if (!function_exists('pcntl_fork')) die('skip pcntl'); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
keepsake.session.persistent=0
keepsake.session.connect_timeout=10
--FILE--
<?php
require __DIR__ . '/topo.inc';
ob_start();
$env = ks_topo_start('tls');
$port = (int)$env['KEEPSAKE_TOPO_TLS_PORT'];
ini_set('session.save_handler', 'keepsake');
$dir = sys_get_temp_dir() . '/ks-tls-ctx-' . getmypid();
@mkdir($dir, 0700);
$ca = "$dir/ca.pem";
copy($env['KEEPSAKE_TOPO_TLS_CA'], $ca);
$mtls = 'tls_cert=' . rawurlencode($env['KEEPSAKE_TOPO_TLS_CLIENT_CERT'])
    . '&tls_key=' . rawurlencode($env['KEEPSAKE_TOPO_TLS_CLIENT_KEY']);
$sid = ks_sess_new_id();
$built = fn() => ks_sess_stat('tls_contexts_built');
$n = 0;
$req = function () use ($sid, &$n) { return ks_sess_request($sid, function () use (&$n) { $_SESSION['n'] = ++$n; }); };

echo "five requests, five connects (persistent=0), one context\n";
ini_set('session.save_path', ks_topo_tls_path($env, $port, 'tls_ca=' . rawurlencode($ca) . "&$mtls"));
$c0 = ks_sess_stat('connects');
for ($i = 0; $i < 5; $i++) $ok[] = $req();
var_dump($ok === array_fill(0, 5, true), ks_sess_stat('connects') - $c0, $built());

echo "a forked child connects with the inherited context; the parent keeps it\n";
$f = "$dir/child";
$pid = pcntl_fork();
if ($pid === 0) {
    file_put_contents($f, json_encode([$req(), $built()]));
    while (ob_get_level()) ob_end_clean();
    exit(0);
}
pcntl_waitpid($pid, $st);
var_dump(json_decode(file_get_contents($f)), $req(), $built());

echo "another parameter: a new context; back to the first: its cached context again\n";
ini_set('session.save_path', ks_topo_tls_path($env, $port, 'tls_ca=' . rawurlencode($ca)));
var_dump($req(), $req(), $built());
ini_set('session.save_path', ks_topo_tls_path($env, $port, 'tls_ca=' . rawurlencode($ca) . "&$mtls"));
var_dump($req(), $built());

echo "the CA file is rewritten (a renewed bundle): a new context\n";
file_put_contents($ca, file_get_contents($ca));
touch($ca, time() + 10);
clearstatcache();
var_dump($req(), $req(), $built());
var_dump(ks_redis((int)$env['KEEPSAKE_TOPO_TLS_PLAIN_PORT'])->cmd('GET', ks_sess_key($sid)));
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
five requests, five connects (persistent=0), one context
bool(true)
int(5)
int(1)
a forked child connects with the inherited context; the parent keeps it
array(2) {
  [0]=>
  bool(true)
  [1]=>
  int(1)
}
bool(true)
int(1)
another parameter: a new context; back to the first: its cached context again
bool(true)
bool(true)
int(2)
bool(true)
int(2)
the CA file is rewritten (a renewed bundle): a new context
bool(true)
bool(true)
int(3)
string(7) "n|i:11;"
