--TEST--
failure: a host name whose resolver never answers fails within the connect timeout (0.5 s; glibc alone waits 5 s x 2 tries), with one warning naming the host, whether the name is in save_path or comes from CLUSTER SLOTS; a name that resolves (localhost) works as before; 20 more requests in one process while the name is unanswered wait on the one pending lookup (2 threads, not 21)
--SKIPIF--
<?php
require __DIR__ . '/sess.inc';
ks_redis_skip_if_down();
/* A private network and mount namespace (root, util-linux unshare, iproute2)
 * hosts a resolver that never answers without touching the machine's own. */
exec('unshare -mn sh -c "ip link set lo up && mount --bind /etc/resolv.conf /etc/resolv.conf" 2>&1', $out, $rc);
if ($rc !== 0) die('skip needs unshare -mn with ip and mount (root): ' . implode(' ', $out));
?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/sess.inc';
ob_start();
/* A name that resolves goes through the same bounded lookup. */
ini_set('session.save_handler', 'keepsake');
ini_set('session.save_path', 'tcp://localhost:' . ks_redis_port() . '?prefix=' . rawurlencode(ks_sess_prefix()));
var_dump(ks_sess_request(ks_sess_new_id(), function () { $_SESSION['x'] = 1; }));

$dir = sys_get_temp_dir() . '/ks-dns-' . getmypid();
@mkdir($dir, 0700, true);
file_put_contents("$dir/resolv.conf", "nameserver 127.0.0.1\noptions timeout:5 attempts:2\n");
/* Takes DNS queries on 127.0.0.1:53 (UDP and TCP) and never answers. */
file_put_contents("$dir/silent.php", '<?php
$u = stream_socket_server("udp://127.0.0.1:53", $e, $m, STREAM_SERVER_BIND) or exit(1);
$t = stream_socket_server("tcp://127.0.0.1:53", $e, $m) or exit(1);
touch($argv[1]);
$end = microtime(true) + 30; $keep = [];
while (microtime(true) < $end) {
    $r = [$u, $t]; $w = $x = null;
    if (@stream_select($r, $w, $x, 0, 200000) > 0) foreach ($r as $s) {
        if ($s === $u) stream_socket_recvfrom($u, 2048); else $keep[] = @stream_socket_accept($t, 0);
    }
}');
file_put_contents("$dir/client.php", '<?php
ini_set("session.use_cookies", 0); ini_set("session.cache_limiter", "");
ini_set("session.save_handler", "keepsake");
ini_set("session.save_path", $argv[1]);
$w = [];
set_error_handler(function ($no, $msg) use (&$w) { if (str_contains($msg, "keepsake:")) $w[] = $msg; return true; });
$t = microtime(true);
session_id("abcdef0123456789");
$ok = session_start();
printf("%s %.3f %d %s\n", $ok ? "ok" : "failed", microtime(true) - $t, count($w), $w[0] ?? "");
/* More requests while the first lookup is still unanswered: they wait on it, never start more threads. */
$n = (int)($argv[2] ?? 0);
for ($i = 0; $i < $n; $i++) { session_abort(); $w = []; session_start(); }
if ($n) {
    preg_match("/^Threads:\\s+(\\d+)/m", file_get_contents("/proc/self/status"), $m);
    printf("%d more requests, %d warnings each, threads %d\n", $n, count($w), $m[1]);
    echo $w[0], "\n";
}');
/* Inside the namespace: the silent resolver, and fake cluster nodes whose
 * CLUSTER SLOTS names the slots' master by a host name. */
@mkdir("$dir/fake");
$php = escapeshellarg(getenv('TEST_PHP_EXECUTABLE'));
$client = $php . ' ' . getenv('TEST_PHP_EXTRA_ARGS') . ' ' . escapeshellarg("$dir/client.php");
$inner = 'ip link set lo up && mount --bind ' . escapeshellarg("$dir/resolv.conf") . ' /etc/resolv.conf && { '
    . "$php -n " . escapeshellarg("$dir/silent.php") . ' ' . escapeshellarg("$dir/ready") . ' & S=$!; '
    . "$php -n " . escapeshellarg(__DIR__ . '/../topology/fake_cluster_node.inc') . ' ' . escapeshellarg("$dir/fake")
    . ' 30 redis-node.example.com & F=$!; '
    . 'i=0; while { [ ! -e ' . escapeshellarg("$dir/ready") . ' ] || [ ! -e ' . escapeshellarg("$dir/fake/ports") . ' ]; }'
    . ' && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done; '
    . $client . ' "tcp://redis.example.com:6379?timeout=0.5"; echo "exit $?"; '
    . $client . ' "tcp://redis.example.com:6379?timeout=0.1" 20; echo "exit $?"; '
    . $client . ' "cluster://127.0.0.1:$(cut -d" " -f1 ' . escapeshellarg("$dir/fake/ports") . ')?timeout=0.5"; echo "exit $?"; '
    . 'kill $S $F 2>/dev/null; }';
exec('timeout -s KILL 60 unshare -mn sh -c ' . escapeshellarg($inner) . ' 2>&1', $out, $rc);
exec('rm -rf ' . escapeshellarg($dir));
foreach ($out as $line) {
    echo preg_replace('/^(\w+) [0-9.]+ /', '$1 T ', $line), "\n";
    if (preg_match('/^\w+ ([0-9.]+) /', $line, $m)) var_dump((float)$m[1] < 2.5);
}
?>
--EXPECTF--
bool(true)
failed T 1 session_start(): keepsake: session read (lock acquire) failed: cannot resolve tcp://redis.example.com:6379: the name resolver did not answer within the connect timeout
bool(true)
exit 0
failed T 1 session_start(): keepsake: session read (lock acquire) failed: cannot resolve tcp://redis.example.com:6379: the name resolver did not answer within the connect timeout
bool(true)
20 more requests, 1 warnings each, threads 2
session_start(): keepsake: session read (lock acquire) failed: cannot resolve tcp://redis.example.com:6379: the name resolver did not answer within the connect timeout (a lookup of this name started earlier is still pending)
exit 0
failed T 1 session_start(): keepsake: session read (lock acquire) failed: cannot resolve tcp://redis-node.example.com:%d: the name resolver did not answer within the connect timeout
bool(true)
exit 0
