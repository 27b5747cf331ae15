--TEST--
status/keepsake-status.php in chromium (headless; the page allows no script) while 4 clients load php -S: its charts have bars, its numbers are keepsake_cache_info()'s and keepsake_session_stats(true)'s, remote requests need the password, actions need POST and the CSRF token; the screenshot goes to the test's own dir (docs/status.png with KS_STATUS_SCREENSHOT=docs)
--SKIPIF--
<?php require __DIR__ . '/status.inc'; ks_redis_skip_if_down(); if (!ks_chromium()) die('skip chromium not installed'); ?>
--FILE--
<?php
require __DIR__ . '/status.inc';
$dir = sys_get_temp_dir() . '/ks-status-' . getmypid();
$prefix = 't:status:' . getmypid() . ':';
$srv = ks_status_server($dir, '127.0.0.1', ['keepsake.cache.enable_cli=1', 'keepsake.cache.size=4M', 'session.save_handler=keepsake',
    'session.save_path="tcp://' . ks_redis_host() . ':' . ks_redis_port() . '?prefix=' . $prefix . '"',
    'session.use_strict_mode=0', 'session.use_cookies=0', 'session.cache_limiter=', 'keepsake.session.lock_wait=20000']);

/* 4 clients x 50 requests, two sessions shared by all (so locks are waited for). */
$clients = 4; $each = 50;
$loaders = [];
for ($c = 0; $c < $clients; $c++) {
    $code = 'for ($i = 0; $i < ' . $each . '; $i++) { $r = @file_get_contents("' . $srv['url'] . '/load?sid=s' . getmypid() . 'x" . ($i % 2)); if ($r !== "ok") { fwrite(STDERR, "load failed: " . var_export($r, true) . "\n"); } }';
    $loaders[] = proc_open([PHP_BINARY, '-n', '-r', $code], [0 => ['file', '/dev/null', 'r'], 1 => ['file', "$dir/load.log", 'a'], 2 => ['file', "$dir/load.log", 'a']], $pipes);
}
usleep(1500000);
/* A run leaves the source tree as it found it; the docs' screenshot is
 * refreshed on request only. */
$png = getenv('KS_STATUS_SCREENSHOT') === 'docs' ? __DIR__ . '/../../docs/status.png' : "$dir/status.png";
ks_chromium_run($dir, $srv['url'] . '/', $png);   /* under load */
foreach ($loaders as $l) proc_close($l);
echo "screenshot: ", var_export(is_file($png) && filemtime($png) >= time() - 300 && getimagesize($png)[0] === 1280, true), "\n";
echo "load errors: ", trim((string)@file_get_contents("$dir/load.log")), "\n";

/* Load stopped: the page's numbers must be exactly the info functions'
 * (once every worker has flushed the hits it buffers). */
ks_status_settle($srv, 4);
$dom = ks_chromium_run($dir, $srv['url'] . '/', null);
$info = json_decode(ks_http($srv, 'GET', '/info')[2], true);
/* chromium's DOM (no ext/dom here): sections, bars and data-k/data-v cells by pattern */
$section = fn(string $id) => preg_match('~<section id="' . $id . '".*?</section>~s', $dom, $m) ? $m[0] : '';
$bars = [];
foreach (['chart-shards', 'chart-free', 'chart-waits'] as $id) {
    preg_match('~<svg id="' . $id . '".*?</svg>~s', $dom, $m);
    preg_match_all('~<rect class="bar[^"]*"[^>]*height="([\d.]+)"~', $m[0] ?? '', $r);
    $bars[$id] = count(array_filter($r[1], fn($h) => (float)$h > 0));
}
echo "bars drawn: shards ", var_export($bars['chart-shards'] >= 8, true), ", free blocks ", var_export($bars['chart-free'] >= 1, true),
    ", waits ", var_export($bars['chart-waits'] >= 1, true), "\n";
$shown = [];
foreach (['cache', 'sessions'] as $sec) {
    preg_match_all('~data-k="([^"]+)" data-v="([^"]*)"~', $section($sec), $m, PREG_SET_ORDER);
    foreach ($m as [, $k, $v]) $shown[$sec][$k] = html_entity_decode($v);
}
$bad = [];
$cmp = function (string $sec, string $k, $want) use ($shown, &$bad) {
    $got = $shown[$sec][$k] ?? null;
    if ((string)$got !== (string)$want) $bad[] = "$sec $k: page " . var_export($got, true) . ", info " . var_export($want, true);
};
foreach (['num_hits', 'num_misses', 'num_entries', 'num_inserts', 'num_deletes', 'expunges', 'store_failures', 'lock_waits',
    'lock_timeouts', 'recoveries', 'read_fallbacks', 'leases', 'shards'] as $k) $cmp('cache', $k, $info['cache'][$k]);
foreach ($info['cache']['evictions'] as $cause => $n) $cmp('cache', "evictions.$cause", $n);
foreach (['lock_acquisitions', 'lock_waits', 'lock_timeouts', 'lost_locks', 'round_trips', 'connects', 'reconnects'] as $k) $cmp('sessions', $k, $info['sessions'][$k]);
$cmp('sessions', 'errors', array_sum($info['sessions']['errors']));
foreach ($info['sessions']['errors'] as $kind => $n) if ($n) $cmp('sessions', "errors.$kind", $n);
echo "numbers that differ from the info functions: ", json_encode($bad), "\n";
echo "cache figures shown: ", count($shown['cache'] ?? []) >= 15 ? 'yes' : 'no', "\n";
echo "lock acquisitions = requests: ", var_export((int)($shown['sessions']['lock_acquisitions'] ?? -1) === $clients * $each, true), "\n";
echo "session waits counted: ", var_export($info['sessions']['lock_waits'] > 0 && array_sum($info['sessions']['lock_wait_histogram']) === $info['sessions']['lock_waits'], true), "\n";
echo "hits > 0: ", var_export($info['cache']['num_hits'] > 0, true), "\n";
preg_match('~<table id="nodes".*?</table>~s', $dom, $m);
echo "node with a PING time: ", preg_match_all('~data-k="ping_ms" data-v="[^"]*">[\d.]+ ms<~', $m[0] ?? ''), "\n";
preg_match('~<table id="top-hits".*?</table>~s', $dom, $m);
echo "top keys listed: ", var_export(preg_match_all('~<td class="key">item:\d+</td>~', $m[0] ?? '') === 10, true), "\n";

/* Access: loopback is served; "remote" (the page's test hook) is refused without the password. */
[$st] = ks_http($srv, 'GET', '/');
echo "loopback: $st\n";
[$st, , $body] = ks_http($srv, 'GET', '/remote.php');
echo "remote, no password set: $st ", var_export(str_contains($body, 'only answers requests from loopback') && !str_contains($body, '<svg'), true), "\n";
[$st, $h] = ks_http($srv, 'GET', '/remote-pw.php');
echo "remote, password set, none sent: $st ", $h['www-authenticate'][0] ?? '-', "\n";
[$st] = ks_http($srv, 'GET', '/remote-pw.php', ['Authorization: Basic ' . base64_encode('keepsake:wrong')]);
echo "remote, wrong password: $st\n";
[$st, , $body] = ks_http($srv, 'GET', '/remote-pw.php', ['Authorization: Basic ' . base64_encode('keepsake:open sesame')]);
echo "remote, right password: $st ", var_export(str_contains($body, 'id="chart-shards"'), true), "\n";
/* A real remote address, when this machine has one besides loopback. */
$addr = null;
foreach (preg_split('/\s+/', trim((string)shell_exec('hostname -I 2>/dev/null'))) as $a) {
    if (filter_var($a, FILTER_VALIDATE_IP, FILTER_FLAG_IPV4) && !str_starts_with($a, '127.')) { $addr = $a; break; }
}
if ($addr !== null) {
    $far = ks_status_server("$dir/far", $addr, ['keepsake.cache.enable_cli=1'], 1);
    [$st, , $body] = ks_http($far, 'GET', '/');
    ks_status_stop($far);
    echo "from $addr: ", $st === 403 && str_contains($body, 'only answers requests from loopback') ? 'refused' : "not refused ($st)", "\n";
} else {
    echo "from a non-loopback address: refused\n";   /* none here: the hook above stands in */
}

/* Actions: POST with the cookie's CSRF token only. */
[$st, $h] = ks_http($srv, 'GET', '/');
preg_match('/kss_csrf=([0-9a-f]{32})/', implode(';', $h['set-cookie'] ?? []), $m);
$token = $m[1] ?? '';
[$st] = ks_http($srv, 'GET', '/?' . http_build_query(['action' => 'clear_cache', 'csrf' => $token]));
$after = json_decode(ks_http($srv, 'GET', '/info')[2], true);
echo "GET with an action changes nothing: ", var_export($after['cache']['num_entries'] === $info['cache']['num_entries'], true), "\n";
/* the token with its first digit changed: "f" . substr($token, 1) was the
 * token itself whenever the random token began with "f" (1 run in 16) */
$wrong = (str_starts_with($token, 'f') ? '0' : 'f') . substr($token, 1);
[$st] = ks_http($srv, 'POST', '/', ["Cookie: kss_csrf=$token"], http_build_query(['action' => 'clear_cache', 'csrf' => $wrong]));
echo "POST with a wrong token: $st\n";
[$st] = ks_http($srv, 'POST', '/', [], http_build_query(['action' => 'clear_cache', 'csrf' => $token]));
echo "POST without the cookie: $st\n";
[$st, $h] = ks_http($srv, 'POST', '/', ["Cookie: kss_csrf=$token"], http_build_query(['action' => 'reset_sessions', 'csrf' => $token]));
$after = json_decode(ks_http($srv, 'GET', '/info')[2], true);
echo "POST reset_sessions: $st, lock acquisitions now {$after['sessions']['lock_acquisitions']}\n";
[$st] = ks_http($srv, 'POST', '/', ["Cookie: kss_csrf=$token"], http_build_query(['action' => 'clear_cache', 'csrf' => $token]));
$after = json_decode(ks_http($srv, 'GET', '/info')[2], true);
echo "POST clear_cache: $st, entries now {$after['cache']['num_entries']}\n";
/* a search with a bad pattern is reported, not a warning */
[$st, , $body] = ks_http($srv, 'GET', '/?q=' . rawurlencode('/(unclosed/'));
echo "bad pattern: $st ", var_export(str_contains($body, 'not a valid PCRE pattern') && !str_contains($body, 'Warning'), true), "\n";
ks_status_stop($srv);
echo "server log warnings: ", implode(' | ', preg_grep('/(Warning|Fatal|Notice|Deprecated)/', file("$dir/server.log") ?: [])), "\n";
exec('rm -rf ' . escapeshellarg($dir));
$r = ks_redis();
foreach ($r->cmd('KEYS', $prefix . '*') ?: [] as $k) $r->cmd('DEL', $k);
?>
--EXPECTF--
screenshot: true
load errors: 
bars drawn: shards true, free blocks true, waits true
numbers that differ from the info functions: []
cache figures shown: yes
lock acquisitions = requests: true
session waits counted: true
hits > 0: true
node with a PING time: 1
top keys listed: true
loopback: 200
remote, no password set: 403 true
remote, password set, none sent: 401 Basic realm="keepsake status", charset="UTF-8"
remote, wrong password: 401
remote, right password: 200 true
from %s: refused
GET with an action changes nothing: true
POST with a wrong token: 403
POST without the cookie: 403
POST reset_sessions: 303, lock acquisitions now 0
POST clear_cache: 303, entries now 0
bad pattern: 200 true
server log warnings: 
