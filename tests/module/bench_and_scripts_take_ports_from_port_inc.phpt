--TEST--
bench/ and scripts/ take every server's port from tests/port.inc's ks_free_port() (below the ephemeral range, never handed out twice): none binds port 0 and closes it again, and no helper of their own picks ports
--SKIPIF--
<?php if (!is_dir(__DIR__ . '/../../bench') || !is_dir(__DIR__ . '/../../scripts')) die('skip no bench/ or scripts/ (a package build)'); ?>
--FILE--
<?php
$root = realpath(__DIR__ . '/../..');
$files = [];
$walk = function (string $dir) use (&$walk, &$files) {
    foreach (scandir($dir) as $f) {
        if ($f[0] === '.') continue;
        $p = "$dir/$f";
        if (is_dir($p)) {
            $walk($p);
        } elseif (preg_match('/\.(php|inc|sh)$/', $f) || !str_contains($f, '.')) {
            $files[] = $p;   // PHP, and the shell scripts (no extension)
        }
    }
};
$walk("$root/bench");
$walk("$root/scripts");
$bad = [];
foreach ($files as $p) {
    $src = (string)file_get_contents($p);
    $rel = substr($p, strlen($root) + 1);
    /* Asking the kernel for port 0 and closing the listener leaves the port to anyone meanwhile. */
    if (preg_match('/stream_socket_server\(\s*[\'"][a-z]+:\/\/[^\'"]*:0[\'"]/', $src)) {
        $bad[] = "$rel binds port 0";
    }
    /* A picker of its own (free_port(), ksb_free_port(), ...) instead of ks_free_port(). */
    if (preg_match_all('/\b(?!ks_free_port\b)\w*free_port\s*\(/', $src, $m)) {
        $bad[] = "$rel: " . implode(', ', array_unique($m[0]));
    }
}
echo count($files) > 20 ? "files read\n" : "only " . count($files) . " files found\n";
echo $bad ? implode("\n", $bad) . "\n" : "none picks a port of its own\n";
?>
--EXPECT--
files read
none picks a port of its own
