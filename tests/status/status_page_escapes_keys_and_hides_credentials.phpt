--TEST--
status/keepsake-status.php: keys like <script>, "><svg onload=...> and binary bytes are shown escaped (tables, forms, SVG) and can be deleted from their form; a save_path host with user:password@ never shows the password; ?done= shows only the page's own messages; the answer carries nosniff, no-store and the CSP; "//host" paths do not become links to another site
--SKIPIF--
<?php require __DIR__ . '/status.inc'; ?>
--FILE--
<?php
require __DIR__ . '/status.inc';
$dir = sys_get_temp_dir() . '/ks-status-xss-' . getmypid();
$page = var_export(realpath(KS_STATUS_PAGE), true);
$keys = ['<script>alert(1)</script>', '"><svg onload=alert(2)>', "'onmouseover='alert(3)", "bin\x00\xff\xfe</td><b>"];
$srv = ks_status_server($dir, '127.0.0.1', ['keepsake.cache.enable_cli=1', 'keepsake.cache.size=4M', 'session.save_handler=keepsake',
    'session.save_path="tcp://default:s3cr3t-pw@127.0.0.1:1?timeout=0.2"'], 1, <<<PHP
<?php
if (parse_url(\$_SERVER['REQUEST_URI'], PHP_URL_PATH) === '/fill') {
    foreach (unserialize(base64_decode(\$_GET['k'])) as \$i => \$k) {
        keepsake_cache_store(\$k, str_repeat('v', 100 * (\$i + 1)));
        for (\$j = 0; \$j < 3 + \$i; \$j++) keepsake_cache_fetch(\$k);
    }
    echo keepsake_cache_info()['num_entries'];
    return true;
}
if (parse_url(\$_SERVER['REQUEST_URI'], PHP_URL_PATH) === '/has') {
    echo keepsake_cache_exists(base64_decode(\$_GET['k'])) ? 'yes' : 'no';
    return true;
}
define('KEEPSAKE_STATUS_PING_TIMEOUT', 0.5);
require $page;
PHP);
echo "stored: ", ks_http($srv, 'GET', '/fill?k=' . rawurlencode(base64_encode(serialize($keys))))[2], "\n";
[$st, $h, $body] = ks_http($srv, 'GET', '/?q=' . rawurlencode('"><svg onload=alert(5)>|.') . '&done=' . rawurlencode('<img src=x onerror=alert(6)> Your session expired, log in at evil.example'));
echo "status: $st\n";
foreach (['<script', '<svg onload', '<img', "onmouseover='", '<b>', 'evil.example'] as $raw) {
    echo "raw ", str_pad(json_encode($raw), 16), substr_count($body, $raw), "\n";
}
echo "keys listed escaped: ", preg_match_all('~<td class="key">&lt;script&gt;alert\(1\)&lt;/script&gt;</td>~', $body), "\n";
echo "password shown: ", substr_count($body, 's3cr3t'), ", node: ", preg_match('~<table id="nodes">.*?<td>([^<]*)</td>~s', $body, $m) ? $m[1] : '-', "\n";
foreach (['x-content-type-options', 'cache-control', 'content-security-policy'] as $k) echo "$k: ", $h[$k][0] ?? '-', "\n";
/* delete the binary key through its own form */
preg_match('/kss_csrf=([0-9a-f]{32})/', implode(';', $h['set-cookie'] ?? []), $m);
$token = $m[1] ?? '';
$forms = [];
preg_match_all('~<input type="hidden" name="key64" value="([^"]*)">~', $body, $f);
foreach ($f[1] as $v) $forms[base64_decode(html_entity_decode($v, ENT_QUOTES))] = html_entity_decode($v, ENT_QUOTES);
echo "a delete form for the binary key: ", var_export(isset($forms[$keys[3]]), true), "\n";
[$st, $h] = ks_http($srv, 'POST', '/', ["Cookie: kss_csrf=$token"], http_build_query(['action' => 'delete_key', 'csrf' => $token, 'key64' => $forms[$keys[3]] ?? '']));
echo "delete: $st ", $h['location'][0] ?? '-', "\n";
echo "binary key still there: ", ks_http($srv, 'GET', '/has?k=' . rawurlencode(base64_encode($keys[3])))[2], "\n";
/* a path that starts with two slashes stays on this site */
[$st, $h] = ks_http($srv, 'POST', '//evil.example/', ["Cookie: kss_csrf=$token"], http_build_query(['action' => 'none', 'csrf' => $token]));
echo "POST //evil.example/: $st ", $h['location'][0] ?? '-', "\n";
ks_status_stop($srv);
echo "server log warnings: ", implode(' | ', preg_grep('/(Warning|Fatal|Notice|Deprecated)/', file("$dir/server.log") ?: [])), "\n";
exec('rm -rf ' . escapeshellarg($dir));
?>
--EXPECT--
stored: 4
status: 200
raw "<script"       0
raw "<svg onload"   0
raw "<img"          0
raw "onmouseover='" 0
raw "<b>"           0
raw "evil.example"  0
keys listed escaped: 2
password shown: 0, node: tcp://127.0.0.1:1
x-content-type-options: nosniff
cache-control: no-store
content-security-policy: default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'
a delete form for the binary key: true
delete: 303 /?done=deleted+one+key
binary key still there: no
POST //evil.example/: 303 /evil.example/?done=nothing+done
server log warnings: 
