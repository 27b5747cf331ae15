--TEST--
TLS context cache: a CA file rewritten in place with the same inode, size and mtime (cp -p, touch -r) is still seen by its ctime; the next connect verifies with the new CA
--SKIPIF--
<?php require __DIR__ . '/topo.inc'; ks_topo_skip_unless('tls'); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.gc_probability=0
keepsake.session.persistent=0
--FILE--
<?php
require __DIR__ . '/topo.inc';
ob_start();
$env = ks_topo_start('tls');
$p = (int)$env['KEEPSAKE_TOPO_TLS_PORT'];
$dir = sys_get_temp_dir() . '/ks-tls-inplace-' . getmypid();
@mkdir($dir);
$ca = "$dir/ca.pem";
$good = file_get_contents($env['KEEPSAKE_TOPO_TLS_CA']);
$wrong = file_get_contents($env['KEEPSAKE_TOPO_TLS_WRONG_CA']);
$size = max(strlen($good), strlen($wrong)) + 16;
file_put_contents($ca, str_pad($good, $size, "\n"));
ini_set('session.save_handler', 'keepsake');
ini_set('session.save_path', "tls://127.0.0.1:$p?tls_ca=" . rawurlencode($ca));
set_error_handler(function ($no, $msg) { echo preg_replace('/\(path: .*/', '(path: ...)', $msg), "\n"; return true; });
var_dump(ks_sess_request('r05a'), ks_sess_stat('tls_contexts_built'));
$st = stat($ca);
exec('touch -r ' . escapeshellarg($ca) . ' ' . escapeshellarg("$dir/ref"));   /* remember the mtime, nanoseconds included */
$fh = fopen($ca, 'r+'); ftruncate($fh, 0); fwrite($fh, str_pad($wrong, $size, "\n")); fclose($fh);   /* same inode, same size */
exec('touch -r ' . escapeshellarg("$dir/ref") . ' ' . escapeshellarg($ca));   /* mtime put back, as cp -p or rsync -t do */
clearstatcache();
var_dump(filesize($ca) === $st['size'], fileinode($ca) === $st['ino']);
var_dump(ks_sess_request('r05b'), ks_sess_stat('tls_contexts_built'));
array_map('unlink', glob("$dir/*")); rmdir($dir);
?>
--EXPECTF--
bool(true)
int(1)
bool(true)
bool(true)
%Acertificate verify failed%A
bool(false)
int(2)
