--TEST--
tls: a FIFO given as tls_ca, tls_cert or tls_key, or a file as tls_capath, is refused at once with a warning naming the parameter, instead of blocking session_start() in OpenSSL's fopen() (children bounded by timeout)
--SKIPIF--
<?php
require __DIR__ . '/../session/sess.inc';
foreach (['openssl', 'mkfifo', 'timeout'] as $bin) {
    exec('command -v ' . $bin . ' 2>/dev/null', $o, $rc);
    if ($rc !== 0) die("skip $bin is not installed");
}
?>
--FILE--
<?php
require __DIR__ . '/../session/sess.inc';
$dir = sys_get_temp_dir() . '/ks-tls-fifo-' . getmypid();
@mkdir($dir, 0700);
exec('openssl req -x509 -newkey rsa:2048 -nodes -keyout ' . escapeshellarg("$dir/key.pem") . ' -out ' . escapeshellarg("$dir/cert.pem")
    . ' -days 1 -subj /CN=keepsake-test 2>&1', $out, $rc);
if ($rc !== 0) die("openssl failed: " . implode("\n", $out));
exec('mkfifo ' . escapeshellarg("$dir/fifo.pem"), $out, $rc);
if ($rc !== 0) die("mkfifo failed");

function run_child(string $dir, string $savePath): array {
    $script = "$dir/child.php";
    file_put_contents($script, '<?php
ini_set("session.save_handler", "keepsake");
ini_set("session.save_path", ' . var_export($savePath, true) . ');
ini_set("session.use_cookies", "0");
ini_set("session.cache_limiter", "");
ini_set("keepsake.session.connect_timeout", "0.5");
session_id("abc");
var_dump(session_start());
');
    $cmd = 'exec timeout -s KILL 20 ' . ks_php_cmd() . ' -d display_errors=1 ' . escapeshellarg($script) . ' 2>&1 </dev/null';
    exec($cmd, $output, $rc);
    return [$rc, implode("\n", $output)];
}
$f = fn($name) => rawurlencode("$dir/$name");
foreach (['tls_ca=' . $f('fifo.pem'),
          'tls_ca=' . $f('cert.pem') . '&tls_cert=' . $f('fifo.pem') . '&tls_key=' . $f('key.pem'),
          'tls_ca=' . $f('cert.pem') . '&tls_cert=' . $f('cert.pem') . '&tls_key=' . $f('fifo.pem'),
          'tls_capath=' . $f('cert.pem')] as $q) {
    [$rc, $output] = run_child($dir, "tls://127.0.0.1:1?$q");
    /* Only keepsake's own warning: PHP's follow-up one quotes the save_path. */
    preg_match('/keepsake: .*? in /', $output, $m);
    echo "exit $rc: ", str_replace($dir, 'DIR', $m[0] ?? $output), "\n";
}
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
exit 0: keepsake: session read (lock acquire) failed: cannot connect to tls://127.0.0.1:1: TLS CA file 'DIR/fifo.pem' (tls_ca) is not a regular file in 
exit 0: keepsake: session read (lock acquire) failed: cannot connect to tls://127.0.0.1:1: TLS certificate file 'DIR/fifo.pem' (tls_cert) is not a regular file in 
exit 0: keepsake: session read (lock acquire) failed: cannot connect to tls://127.0.0.1:1: TLS key file 'DIR/fifo.pem' (tls_key) is not a regular file in 
exit 0: keepsake: session read (lock acquire) failed: cannot connect to tls://127.0.0.1:1: TLS CA directory 'DIR/cert.pem' (tls_capath) is not a directory in 
