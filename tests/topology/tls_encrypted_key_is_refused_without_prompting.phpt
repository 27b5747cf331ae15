--TEST--
tls: a tls_key protected by a passphrase fails at once with a warning that says so, instead of blocking on OpenSSL's terminal prompt (run with no terminal and a stdin that never answers, bounded by timeout)
--SKIPIF--
<?php
require __DIR__ . '/../session/sess.inc';
foreach (['openssl', 'setsid', 'timeout'] as $bin) {
    exec('command -v ' . $bin . ' 2>/dev/null', $o, $rc);
    if ($rc !== 0) die("skip $bin is not installed");
}
?>
--FILE--
<?php
require __DIR__ . '/../session/sess.inc';
$dir = sys_get_temp_dir() . '/ks-enc-key-' . getmypid();
@mkdir($dir, 0700);
exec('openssl req -x509 -newkey rsa:2048 -keyout ' . escapeshellarg("$dir/key.pem") . ' -out ' . escapeshellarg("$dir/cert.pem")
    . ' -days 1 -subj /CN=keepsake-test -passout pass:s3cret 2>&1', $out, $rc);
if ($rc !== 0) die("openssl failed: " . implode("\n", $out));
file_put_contents("$dir/both.pem", file_get_contents("$dir/cert.pem") . file_get_contents("$dir/key.pem"));
var_dump(str_contains(file_get_contents("$dir/key.pem"), 'ENCRYPTED'));

/* Each save_path in a child with no controlling terminal and a stdin pipe
 * that stays open: OpenSSL's default prompt would read it forever. */
function run_child(string $dir, string $savePath): array {
    $script = "$dir/child.php";
    file_put_contents($script, '<?php
ini_set("session.save_handler", "keepsake");
ini_set("session.save_path", ' . var_export($savePath, true) . ');
ini_set("session.use_cookies", "0");
ini_set("session.cache_limiter", "");
session_id("abc");
$t = microtime(true);
var_dump(session_start());
echo microtime(true) - $t < 5 ? "fast\n" : "slow\n";
');
    $cmd = 'exec setsid timeout -s KILL 20 ' . ks_php_cmd() . ' -d display_errors=1 ' . escapeshellarg($script) . ' 2>&1';
    $p = proc_open($cmd, [0 => ['pipe', 'r'], 1 => ['pipe', 'w']], $pipes);
    $output = stream_get_contents($pipes[1]);   /* stdin stays open until the child is gone */
    fclose($pipes[1]);
    fclose($pipes[0]);
    return [proc_close($p), $output];
}
$ca = 'tls_ca=' . rawurlencode("$dir/cert.pem");
foreach (['tls_cert=' . rawurlencode("$dir/cert.pem") . '&tls_key=' . rawurlencode("$dir/key.pem"),
          'tls_cert=' . rawurlencode("$dir/both.pem")] as $q) {
    [$rc, $output] = run_child($dir, "tls://127.0.0.1:1?$ca&$q");
    echo "exit $rc\n", str_replace($dir, 'DIR', $output);
}
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECTF--
bool(true)
exit 0

Warning: session_start(): keepsake: session read (lock acquire) failed: cannot connect to tls://127.0.0.1:1: TLS key file 'DIR/key.pem' is encrypted; keepsake cannot prompt for its passphrase (decrypt it, e.g. openssl pkey -in KEY -out PLAIN, and keep it readable only by PHP) in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: %s) in %s on line %d
bool(false)
fast
exit 0

Warning: session_start(): keepsake: session read (lock acquire) failed: cannot connect to tls://127.0.0.1:1: TLS key file 'DIR/both.pem' is encrypted; keepsake cannot prompt for its passphrase (decrypt it, e.g. openssl pkey -in KEY -out PLAIN, and keep it readable only by PHP) in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: %s) in %s on line %d
bool(false)
fast
