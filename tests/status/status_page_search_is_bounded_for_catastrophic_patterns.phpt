--TEST--
status/keepsake-status.php: a search whose PCRE pattern backtracks catastrophically on every key (/(a+)+$/ over 5000 keys) answers at once with the PCRE error, and one that is slow on every key without hitting pcre.backtrack_limit (raised to 1e8) stops at KEEPSAKE_STATUS_SEARCH_SECONDS; neither holds the worker for minutes
--SKIPIF--
<?php require __DIR__ . '/status.inc'; ?>
--FILE--
<?php
require __DIR__ . '/status.inc';
$dir = sys_get_temp_dir() . '/ks-status-redos-' . getmypid();
$page = var_export(realpath(KS_STATUS_PAGE), true);
$srv = ks_status_server($dir, '127.0.0.1', ['keepsake.cache.enable_cli=1', 'keepsake.cache.size=16M'], 2, <<<PHP
<?php
\$path = parse_url(\$_SERVER['REQUEST_URI'], PHP_URL_PATH);
if (\$path === '/fill') {
    for (\$i = 0; \$i < 5000; \$i++) keepsake_cache_store(str_repeat('a', 40) . "!\$i", \$i);
    keepsake_cache_store('user:42', 'a plain key that a plain search finds');
    keepsake_cache_store("user:\xff", 'a key that is not UTF-8: a /u pattern skips it');
    echo keepsake_cache_info()['num_entries'];
    return true;
}
if (\$path === '/slow.php') {
    /* /^(?:a|aa){1,25}\$/ now takes up to 1e8 steps on each key, under the limit: no PCRE error */
    ini_set('pcre.backtrack_limit', '100000000');
    define('KEEPSAKE_STATUS_SEARCH_SECONDS', 1.0);
}
require $page;
PHP);
echo "entries: ", ks_http($srv, 'GET', '/fill')[2], "\n";

/* Each request gets 60 s; the old page spent about 4 ms per key (pcre.backtrack_limit) on 5000 keys, or
 * far longer per key with the raised limit, inside the iterator where max_execution_time cannot stop it. */
$get = function (string $path) use ($srv) {
    $s = stream_socket_client("tcp://127.0.0.1:{$srv['port']}", $e, $m, 5);
    stream_set_timeout($s, 60);
    $t = microtime(true);
    fwrite($s, "GET $path HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    $r = (string)stream_get_contents($s);
    $timed_out = stream_get_meta_data($s)['timed_out'];
    fclose($s);
    [$head, $body] = explode("\r\n\r\n", $r, 2) + ['', ''];
    return [$timed_out ? 'timed out' : (int)(explode(' ', $head)[1] ?? 0), $body, microtime(true) - $t];
};
foreach (['/' => '/(a+)+$/', '/slow.php' => '/^(?:a|aa){1,25}$/'] as $path => $q) {
    [$st, $body, $took] = $get($path . '?q=' . rawurlencode($q));
    preg_match('~<p class="err">(.*?)</p>~', $body, $m);
    echo "$path $q: $st, within 30 s: ", var_export($took < 30, true), ", error: ", html_entity_decode($m[1] ?? '-'), "\n";
}
[$st, $body] = $get('/?q=' . rawurlencode('user:'));
preg_match('~<table id="top-hits".*?</table>~s', $body, $m);
echo "plain search: $st, ", preg_match_all('~<td class="key">user:42</td>~', $m[0] ?? ''), " row, ",
    preg_match('~<p>(\d+) matching entries~', $body, $n) ? $n[1] : '?', " matching\n";
[$st, $body] = $get('/?q=' . rawurlencode('/^user:\d/u'));
preg_match('~<p class="err">(.*?)</p>~', $body, $m);
echo "/u search: $st, ", preg_match('~<p>(\d+) matching entries~', $body, $n) ? $n[1] : '?', " matching, error: ", html_entity_decode($m[1] ?? '-'), "\n";
[$st, $body] = $get('/');
echo "no search: $st, ", preg_match('~<p>([\d,]+) matching entries~', $body, $n) ? $n[1] : '?', " matching\n";
ks_status_stop($srv);
echo "server log warnings: ", implode(' | ', preg_grep('/(Warning|Fatal|Notice|Deprecated)/', file("$dir/server.log") ?: [])), "\n";
exec('rm -rf ' . escapeshellarg($dir));
?>
--EXPECTF--
entries: 5002
/ /(a+)+$/: 200, within 30 s: true, error: the pattern gave up on a key (Backtrack limit exhausted); the search stopped there
/slow.php /^(?:a|aa){1,25}$/: 200, within 30 s: true, error: the search stopped after %f s (KEEPSAKE_STATUS_SEARCH_SECONDS), having looked at %d entries
plain search: 200, 1 row, 2 matching
/u search: 200, 1 matching, error: -
no search: 200, 5,002 matching
server log warnings: 
