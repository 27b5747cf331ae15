--TEST--
a newly generated id found in use gives its lock back (the drop); when that drop fails for good (the replies to it and to its resend cut), the request still fails with one warning, the collision's, and the drop's failure is counted in keepsake_session_stats()['errors'], as strict mode's failed drop of a refused id is
--SKIPIF--
<?php require __DIR__ . '/faults.inc'; ks_fault_skip();
ob_start(); phpinfo(INFO_MODULES); if (!str_contains(ob_get_clean(), 'Session debug hooks')) die('skip needs --enable-keepsake-debug'); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.gc_probability=0
session.lazy_write=1
--FILE--
<?php
require __DIR__ . '/faults.inc';
ob_start();
$port = ks_redis_start();
$r = ks_redis($port);
$proxy = new KsFaultProxy($port);
ks_sess_use(ks_fault_query(1.0, 1.0), $proxy->port);

function errors(): array {
    return array_filter(keepsake_session_stats()['errors']);
}

$sid = ks_sess_new_id();
ks_sess_request($sid, function () { $_SESSION['n'] = 1; });   // in use (and the scripts loaded)
$before = errors();
$resends = ks_sess_stat('release_resends');
$proxy->stats(true);
$proxy->set('drop', ['match' => KS_FAULT_MATCH_RELEASE]);   // every drop reply cut: the first and the resend
$w = [];
set_error_handler(function ($no, $s) use (&$w) { if (str_contains($s, 'keepsake:')) $w[] = $s; return true; });
putenv('KEEPSAKE_DEBUG_FORCE_SID=' . $sid);
session_id('');
$ok = session_start();
putenv('KEEPSAKE_DEBUG_FORCE_SID');
if (session_status() === PHP_SESSION_ACTIVE) {
    session_write_close();
}
restore_error_handler();
$proxy->set('pass');
$cut = count(array_filter($proxy->stats()['events'], fn($e) => ks_fault_is_release($e['req']) && $e['mode'] === 'drop'));
$after = errors();
$counted = [];
foreach ($after as $kind => $n) {
    if ($n - ($before[$kind] ?? 0) > 0) $counted[$kind] = $n - ($before[$kind] ?? 0);
}
echo 'started ', var_export($ok, true), ', keepsake warnings ', count($w), ', drop replies cut ', $cut,
    ', resends ', ks_sess_stat('release_resends') - $resends, ', errors counted ', json_encode($counted), "\n";
foreach ($w as $s) echo "  $s\n";
echo 'lock: ', var_export($r->cmd('GET', ks_sess_key($sid, ':lock')), true), ', session: ', var_export($r->cmd('GET', ks_sess_key($sid)), true), "\n";

/* The next request on the session is not hindered, and warns nothing. */
$w = [];
set_error_handler(function ($no, $s) use (&$w) { $w[] = $s; return true; });
$next = ks_sess_request($sid, function () { $_SESSION['n']++; });
restore_error_handler();
echo 'next request: ', var_export($next, true), ', warnings ', count($w), ', session: ', $r->cmd('GET', ks_sess_key($sid)), "\n";
$proxy->stop();
ks_redis_stop($port);
?>
--EXPECT--
started false, keepsake warnings 1, drop replies cut 2, resends 1, errors counted {"io":1}
  session_start(): keepsake: session read failed: the newly generated session id is already in use; refusing to share it
lock: NULL, session: 'n|i:1;'
next request: true, warnings 0, session: n|i:2;
