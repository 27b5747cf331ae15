--TEST--
faults: strict mode under php-fpm, Redis silent while a request checks the id its cookie brings: session_start() fails with one warning and no new cookie is sent (locked and unlocked), so once Redis answers again the same cookie reaches the same session
--SKIPIF--
<?php
require __DIR__ . '/faults.inc';
ks_fault_skip();
require __DIR__ . '/../session/web.inc';
if ($why = ks_web_skip_reason()) die("skip $why");
?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.serialize_handler=php
session.gc_maxlifetime=1440
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/faults.inc';
require __DIR__ . '/../session/web.inc';
ob_start();
$port = ks_redis_start();
$proxy = new KsFaultProxy($port);
$prefix = ks_sess_prefix();

/* The page: strict mode, the id from the cookie; what session_start() said,
 * the counter it then wrote, and the Set-Cookie headers PHP sent. */
$app = '<?php
if (isset($_GET["unlocked"])) ini_set("keepsake.session.locking", "0");
$ok = session_start();
$n = $ok ? ++$_SESSION["n"] : null;
$set = array_values(array_filter(headers_list(), fn($h) => stripos($h, "Set-Cookie:") === 0));
echo json_encode(["ok" => $ok, "n" => $n, "new cookie" => $set ? "yes" : "no"]);
';
$w = ks_web_start(['app.php' => $app], 1, [
    'session.save_handler' => 'keepsake',
    'session.save_path' => "tcp://127.0.0.1:{$proxy->port}?prefix=" . rawurlencode($prefix) . '&' . ks_fault_query(),
    'session.use_strict_mode' => '1',
    'session.use_cookies' => '1',
    'session.use_only_cookies' => '1',
]);

$sid = ks_sess_new_id();
ks_redis($port)->cmd('SET', $prefix . '{' . $sid . '}', 'n|i:1;', 'EX', '1440');
$cookie = ["Cookie: PHPSESSID=$sid"];

echo 'answering:   ', ks_web_get($w, '/app.php', $cookie), "\n";
$proxy->set('blackhole');
echo 'silent:      ', ks_web_get($w, '/app.php', $cookie), "\n";
$proxy->set('pass');
echo 'answering:   ', ks_web_get($w, '/app.php', $cookie), "\n";
$proxy->set('blackhole');
echo 'silent, unlocked: ', ks_web_get($w, '/app.php?unlocked=1', $cookie), "\n";
$proxy->set('pass');
echo 'answering, unlocked: ', ks_web_get($w, '/app.php?unlocked=1', $cookie), "\n";

/* One keepsake warning per failed request (PHP adds its own line). */
$own = array_filter(explode("\n", ks_web_php_errors($w)), fn($l) => str_contains($l, 'keepsake:'));
echo count($own), " keepsake warnings\n";
foreach ($own as $l) echo preg_replace('/^.*?(keepsake: session read[^:]*failed): .*$/', '$1', $l), "\n";
echo 'stored: ', ks_redis($port)->cmd('GET', $prefix . '{' . $sid . '}'), "\n";
ks_web_stop($w);
$proxy->stop();
?>
--EXPECT--
answering:   {"ok":true,"n":2,"new cookie":"no"}
silent:      {"ok":false,"n":null,"new cookie":"no"}
answering:   {"ok":true,"n":3,"new cookie":"no"}
silent, unlocked: {"ok":false,"n":null,"new cookie":"no"}
answering, unlocked: {"ok":true,"n":4,"new cookie":"no"}
2 keepsake warnings
keepsake: session read failed
keepsake: session read failed
stored: n|i:4;
