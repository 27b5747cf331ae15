--TEST--
ring: when one of three hosts stops, exactly the sessions it held fail, each with a warning naming that host; the others keep working
--SKIPIF--
<?php require __DIR__ . '/../session/sess.inc'; ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
keepsake.session.connect_timeout=1
--FILE--
<?php
require __DIR__ . '/ring.inc';
ob_start();
$ports = ks_ring_servers(3);
ini_set('session.save_handler', 'keepsake');
ini_set('session.save_path', ks_ring_path($ports));
$home = [];
for ($i = 0; $i < 60; $i++) {
    $sid = ks_sess_new_id();
    ks_sess_request($sid, function () { $_SESSION['n'] = 1; });
    $home[$sid] = ks_ring_where($ports, ks_sess_key($sid))[0];
}
$down = $ports[1];
$expected_failures = count(array_filter($home, fn($p) => $p === $down));
ks_redis_stop($down);
$warnings = [];
set_error_handler(function ($no, $msg) use (&$warnings) { if (str_contains($msg, 'keepsake:')) $warnings[] = $msg; return true; });
$failed = 0; $wrong = 0;
foreach ($home as $sid => $port) {
    $ok = ks_sess_request($sid, function () { $_SESSION['n']++; });
    if (!$ok) $failed++;
    if ($ok === ($port === $down)) $wrong++;
}
restore_error_handler();
var_dump($expected_failures > 0, $failed === $expected_failures, $wrong);
/* One warning per failed request, each naming the stopped host. */
var_dump(count($warnings) === $failed);
$named = count(array_filter($warnings, fn($w) => str_contains($w, "tcp://127.0.0.1:$down")));
var_dump($named === $failed);
echo $warnings[0], "\n";
/* The sessions on the other hosts were updated. */
$updated = 0;
foreach ($home as $sid => $port) {
    if ($port !== $down) $updated += str_contains(ks_redis($port)->cmd('GET', ks_sess_key($sid)), 'n|i:2;');
}
var_dump($updated === 60 - $expected_failures);
?>
--EXPECTF--
bool(true)
bool(true)
int(0)
bool(true)
bool(true)
session_start(): keepsake: session read (lock acquire) failed: cannot connect to tcp://127.0.0.1:%d: Connection refused
bool(true)
