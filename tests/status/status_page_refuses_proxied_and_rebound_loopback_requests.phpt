--TEST--
status/keepsake-status.php without a password: a loopback request that came through a reverse proxy (nginx with Debian's proxy_params; X-Forwarded-For, Forwarded, X-Real-IP, Via) or names a foreign host (DNS rebinding) is refused; with a password it is asked for it; direct loopback requests to localhost, 127.0.0.1 or [::1] are served
--SKIPIF--
<?php require __DIR__ . '/status.inc'; if (!is_executable('/usr/sbin/nginx') || !is_file('/etc/nginx/proxy_params')) die('skip nginx (with /etc/nginx/proxy_params) not installed'); ?>
--FILE--
<?php
require __DIR__ . '/status.inc';
$dir = sys_get_temp_dir() . '/ks-status-proxy-' . getmypid();
$srv = ks_status_server($dir, '127.0.0.1', ['keepsake.cache.enable_cli=1', 'keepsake.cache.size=4M'], 1);
keepsake_cache_store('x', 1);

/* A reverse proxy on the same host, as configured on Debian: every request
 * it relays reaches the page from 127.0.0.1. */
$nport = ks_free_port();
@mkdir("$dir/nginx", 0755, true);
file_put_contents("$dir/nginx/nginx.conf", "daemon off;\nworker_processes 1;\npid $dir/nginx/nginx.pid;\n"
    . "error_log $dir/nginx/error.log warn;\nevents { worker_connections 64; }\nhttp {\n access_log off;\n"
    . " client_body_temp_path $dir/nginx/body;\n proxy_temp_path $dir/nginx/proxy;\n fastcgi_temp_path $dir/nginx/fcgi;\n"
    . " uwsgi_temp_path $dir/nginx/uwsgi;\n scgi_temp_path $dir/nginx/scgi;\n"
    . " server {\n  listen 127.0.0.1:$nport;\n  location / {\n   include /etc/nginx/proxy_params;\n"
    . "   proxy_pass http://127.0.0.1:{$srv['port']};\n  }\n }\n}\n");
$nginx = proc_open(['/usr/sbin/nginx', '-p', "$dir/nginx", '-c', "$dir/nginx/nginx.conf", '-e', "$dir/nginx/error.log"],
    [0 => ['file', '/dev/null', 'r'], 1 => ['file', "$dir/nginx/out", 'a'], 2 => ['file', "$dir/nginx/out", 'a']], $pipes);
register_shutdown_function(function () use ($nginx) {
    proc_terminate($nginx, 15);
    for ($i = 0; $i < 100 && proc_get_status($nginx)['running']; $i++) usleep(50000);
    proc_close($nginx);
});
for ($i = 0; $i < 100 && !($s = @stream_socket_client("tcp://127.0.0.1:$nport", $e, $m, 0.2)); $i++) usleep(50000);
$proxy = ['host' => '127.0.0.1', 'port' => $nport];

$show = function (string $what, array $r) {
    [$st, , $body] = $r;
    echo str_pad($what, 48), $st, str_contains($body, 'id="chart-shards"') ? ' page' : '', "\n";
};
/* ks_http() sends Host: 127.0.0.1; a second Host line is not sent by it */
$raw = function (array $to, array $headers, string $host) {
    $s = stream_socket_client("tcp://127.0.0.1:{$to['port']}", $e, $m, 5);
    stream_set_timeout($s, 30);
    fwrite($s, "GET / HTTP/1.0\r\nHost: $host\r\n" . implode('', array_map(fn($h) => "$h\r\n", $headers)) . "\r\n");
    $r = (string)stream_get_contents($s);
    fclose($s);
    [$head, $body] = explode("\r\n\r\n", $r, 2) + ['', ''];
    return [(int)(explode(' ', $head)[1] ?? 0), [], $body];
};
$show('direct, Host 127.0.0.1', ks_http($srv, 'GET', '/'));
$show('direct, Host localhost:port', $raw($srv, [], "localhost:{$srv['port']}"));
$show('direct, Host [::1]:port', $raw($srv, [], "[::1]:{$srv['port']}"));
$show('through nginx, Host status.example.com', $raw($proxy, [], 'status.example.com'));
$show('through nginx, Host 127.0.0.1', $raw($proxy, [], '127.0.0.1'));
foreach (['X-Forwarded-For: 203.0.113.9', 'Forwarded: for=203.0.113.9', 'X-Real-IP: 203.0.113.9', 'Via: 1.1 cache',
    'CF-Connecting-IP: 203.0.113.9'] as $h) {
    $show("direct, $h", $raw($srv, [$h], '127.0.0.1'));
}
$show('direct, Host rebound.example (DNS rebinding)', $raw($srv, [], 'rebound.example'));
$show('direct, Host 127.0.0.1.nip.io', $raw($srv, [], '127.0.0.1.nip.io:80'));
/* with a password: the same requests are asked for it, and let in with it */
$s = stream_socket_client("tcp://127.0.0.1:$nport", $e, $m, 5);
fwrite($s, "GET /remote-pw.php HTTP/1.0\r\nHost: status.example.com\r\n\r\n");
echo "through nginx, password set, none sent: ", explode(' ', (string)stream_get_contents($s))[1] ?? '?', "\n";
$s = stream_socket_client("tcp://127.0.0.1:$nport", $e, $m, 5);
fwrite($s, "GET /remote-pw.php HTTP/1.0\r\nHost: status.example.com\r\nAuthorization: Basic " . base64_encode('keepsake:open sesame') . "\r\n\r\n");
$r = (string)stream_get_contents($s);
echo "through nginx, password set and sent: ", explode(' ', $r)[1] ?? '?', str_contains($r, 'id="chart-shards"') ? ' page' : '', "\n";
ks_status_stop($srv);
exec('rm -rf ' . escapeshellarg($dir));
?>
--EXPECT--
direct, Host 127.0.0.1                          200 page
direct, Host localhost:port                     200 page
direct, Host [::1]:port                         200 page
through nginx, Host status.example.com          403
through nginx, Host 127.0.0.1                   403
direct, X-Forwarded-For: 203.0.113.9            403
direct, Forwarded: for=203.0.113.9              403
direct, X-Real-IP: 203.0.113.9                  403
direct, Via: 1.1 cache                          403
direct, CF-Connecting-IP: 203.0.113.9           403
direct, Host rebound.example (DNS rebinding)    403
direct, Host 127.0.0.1.nip.io                   403
through nginx, password set, none sent: 401
through nginx, password set and sent: 200 page
