--TEST--
migrate_from=files: sessions written by PHP's files handler (flat and with 2 levels of subdirectories) are read and updated by keepsake, then live under keepsake's key only
--SKIPIF--
<?php require __DIR__ . '/migrate.inc'; ks_redis_skip_if_down(); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/migrate.inc';
ob_start();
$r = ks_redis();
foreach (['flat' => '', 'deep' => '2;'] as $tag => $levels) {
    $dir = ks_mig_tmpdir("files-$tag");
    $path = $levels . $dir;
    [$a, $b, $c, $d] = [ks_sess_new_id(), ks_sess_new_id(), ks_sess_new_id(), ks_sess_new_id()];
    if ($levels !== '') {   // mod_files does not create the levels itself
        foreach ([$a, $b, $c, $d] as $sid) @mkdir("$dir/{$sid[0]}/{$sid[1]}", 0700, true);
    }
    $file = fn($sid) => $dir . '/' . ($levels !== '' ? "{$sid[0]}/{$sid[1]}/" : '') . "sess_$sid";
    foreach ([$a, $b, $c, $d] as $i => $sid) {
        ks_mig_old_write(ks_mig_files_ini($path), $sid, ['user' => "u$i", 'n' => 10 * $i]);
    }
    echo "$tag: files wrote: ", file_get_contents($file($a)), "\n";

    ks_mig_use('files', $path);
    ks_sess_request($a, function () { echo 'a read: ', json_encode($_SESSION), "\n"; $_SESSION['n']++; });
    echo "a: file gone: ", json_encode(!file_exists($file($a))), ', keys: ', json_encode(ks_mig_keys_of($a) === [ks_sess_key($a)]),
        ' ', $r->cmd('GET', ks_sess_key($a)), "\n";
    ks_sess_request($b, function () { echo 'b read: ', json_encode($_SESSION), "\n"; });
    echo "b: file gone: ", json_encode(!file_exists($file($b))), ', stored: ', $r->cmd('GET', ks_sess_key($b)), "\n";
    ini_set('session.use_strict_mode', 1);
    session_id($c);
    session_start();
    echo "c id kept: ", json_encode(session_id() === $c), ' ', json_encode($_SESSION), "\n";
    session_write_close();
    ini_set('session.use_strict_mode', 0);
    session_id($d);
    session_start();
    session_destroy();
    echo "d: file gone: ", json_encode(!file_exists($file($d))), ', keys: ', json_encode(ks_mig_keys_of($d)), "\n";
    // The files handler, asked again, has nothing: the session moved.
    [$out, $err, $rc] = ks_mig_run(ks_mig_files_ini($path), 'session_id($argv[1]); session_start(); echo json_encode($_SESSION);', [$a]);
    echo "files on a: $out$err rc=$rc\n";
    ks_mig_rmtree($dir);
}
echo ob_get_clean();
?>
--EXPECT--
flat: files wrote: user|s:2:"u0";n|i:0;
a read: {"user":"u0","n":0}
a: file gone: true, keys: true user|s:2:"u0";n|i:1;
b read: {"user":"u1","n":10}
b: file gone: true, stored: user|s:2:"u1";n|i:10;
c id kept: true {"user":"u2","n":20}
d: file gone: true, keys: []
files on a: [] rc=0
deep: files wrote: user|s:2:"u0";n|i:0;
a read: {"user":"u0","n":0}
a: file gone: true, keys: true user|s:2:"u0";n|i:1;
b read: {"user":"u1","n":10}
b: file gone: true, stored: user|s:2:"u1";n|i:10;
c id kept: true {"user":"u2","n":20}
d: file gone: true, keys: []
files on a: [] rc=0
