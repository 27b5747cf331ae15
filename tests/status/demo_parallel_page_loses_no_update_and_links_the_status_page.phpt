--TEST--
scripts/demo-app: parallel.php's requests on one session (sent at once, as its fetch() calls do) each report a lock wait, the counter rises by exactly their number, and the demo serves the status page
--SKIPIF--
<?php require __DIR__ . '/status.inc'; ks_redis_skip_if_down(); ?>
--FILE--
<?php
require __DIR__ . '/status.inc';
$dir = sys_get_temp_dir() . '/ks-demo-' . getmypid();
$prefix = 't:demo:' . getmypid() . ':';
@mkdir($dir, 0755, true);
/* scripts/demo's settings, with the test's Redis and a router that serves the demo's folder */
$app = realpath(__DIR__ . '/../../scripts/demo-app');
$router = '<?php $f = ' . var_export($app, true) . ' . parse_url($_SERVER["REQUEST_URI"], PHP_URL_PATH);'
    . ' if (is_file($f) && str_ends_with($f, ".php")) { chdir(dirname($f)); require $f; return true; } http_response_code(404); return true;';
$srv = ks_status_server($dir, '127.0.0.1', ['keepsake.cache.enable_cli=1', 'keepsake.cache.size=16M', 'session.save_handler=keepsake',
    'session.save_path="tcp://' . ks_redis_host() . ':' . ks_redis_port() . '?prefix=' . $prefix . '"', 'session.use_strict_mode=1'], 8, $router);

[$st, $h, $body] = ks_http($srv, 'GET', '/parallel.php');
preg_match('/PHPSESSID=([^;]+)/', implode(';', $h['set-cookie'] ?? []), $m);
$cookie = 'Cookie: PHPSESSID=' . ($m[1] ?? '');
echo "page: $st, has the button: ", var_export(str_contains($body, 'id="go"') && str_contains($body, 'href="status.php"'), true), "\n";
$start = json_decode(ks_http($srv, 'GET', '/parallel.php?count=1', [$cookie])[2], true)['count'];

/* 6 requests at once, as the page's Promise.all(fetch(...)) sends them */
$n = 6; $socks = [];
for ($i = 0; $i < $n; $i++) {
    $s = stream_socket_client("tcp://{$srv['host']}:{$srv['port']}", $e, $msg, 5);
    fwrite($s, "GET /parallel.php?hit=1&i=$i HTTP/1.0\r\nHost: x\r\n$cookie\r\n\r\n");
    $socks[$i] = $s;
}
$res = [];
foreach ($socks as $i => $s) {
    stream_set_timeout($s, 30);
    $r = explode("\r\n\r\n", (string)stream_get_contents($s), 2)[1] ?? '';
    fclose($s);
    $res[$i] = json_decode($r, true);
}
$end = json_decode(ks_http($srv, 'GET', '/parallel.php?count=1', [$cookie])[2], true)['count'];
$afters = array_column($res, 'after');
sort($afters);
echo "answers: ", count(array_filter($res, fn($r) => is_array($r) && isset($r['waited_ms']))), "\n";
echo "counter rose by: ", $end - $start, "\n";
echo "each saw a different value: ", var_export($afters === range($start + 1, $start + $n), true), "\n";
echo "someone waited for a holder (>= 90 ms): ", var_export(max(array_column($res, 'waited_ms')) >= 90, true), "\n";
echo "served by several workers: ", var_export(count(array_unique(array_column($res, 'pid'))) > 1, true), "\n";
[$st, , $body] = ks_http($srv, 'GET', '/status.php');
preg_match('~data-k="lock_acquisitions" data-v="(\d+)"~', $body, $m);
echo "status page: $st, lock acquisitions >= $n: ", var_export((int)($m[1] ?? 0) >= $n, true), "\n";
[$st, , $body] = ks_http($srv, 'GET', '/index.php');
echo "demo links both: ", var_export(str_contains($body, 'href="parallel.php"') && str_contains($body, 'href="status.php"'), true), "\n";
ks_status_stop($srv);
exec('rm -rf ' . escapeshellarg($dir));
$r = ks_redis();
foreach ($r->cmd('KEYS', $prefix . '*') ?: [] as $k) $r->cmd('DEL', $k);
?>
--EXPECT--
page: 200, has the button: true
answers: 6
counter rose by: 6
each saw a different value: true
someone waited for a holder (>= 90 ms): true
served by several workers: true
status page: 200, lock acquisitions >= 6: true
demo links both: true
