--TEST--
migrate_from=phpredis, strict mode: when the old store does not answer whether an unknown id exists (its EXISTS reply held past the read timeout), session_start() fails with one warning naming the timeout, as it does after an error reply, instead of the lock drop swallowing the failure (reset and "resent") and the request going on silently with a new id (a user logged out on a failure nobody hears of); the lock the check took does not outlive the request
--SKIPIF--
<?php require __DIR__ . '/faults.inc'; ks_fault_skip(); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=1
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
keepsake.session.migrate_from=phpredis
keepsake.session.lock_ttl=30000
--FILE--
<?php
require __DIR__ . '/faults.inc';
ob_start();
$port = ks_redis_start();
$r = ks_redis($port);
$proxy = new KsFaultProxy($port);
ks_sess_use(ks_fault_query(1.0, 0.5), $proxy->port);
$known = ks_sess_new_id();   // a session keepsake has: its check never asks the old store
$r->cmd('SET', ks_sess_key($known), 'n|i:1;', 'EX', '1440');

/* The old store's EXISTS (phpredis's key of the id) is the only lone EXISTS of this request. */
$proxy->set('latency', ['ms' => 1500, 'match' => '/^\*2\r\n\$6\r\nEXISTS\r\n/']);
$errors = array_sum(keepsake_session_stats()['errors']);
$resends = ks_sess_stat('release_resends');
$w = [];
set_error_handler(function ($no, $s) use (&$w) { $w[] = $s; return true; });
$bad = ks_sess_new_id();
session_id($bad);
$ok = session_start();
$id = session_id();
if (session_status() === PHP_SESSION_ACTIVE) {
    session_write_close();
}
restore_error_handler();
$proxy->set('pass');
echo 'started: ', var_export($ok, true), ', with ', $ok ? ($id === $bad ? 'the unknown id' : 'a new id') : '-', "\n";
echo 'keepsake warnings: ', count(preg_grep('/keepsake:/', $w)), ', errors counted: ', array_sum(keepsake_session_stats()['errors']) - $errors,
    ', resends: ', ks_sess_stat('release_resends') - $resends, "\n";
foreach (preg_grep('/keepsake:/', $w) as $s) echo '  ', preg_replace('/tcp:\/\/\S+/', 'HOST', $s), "\n";
echo 'lock of the unknown id: ', $r->cmd('PTTL', ks_sess_key($bad, ':lock')), "\n";
var_dump(ks_sess_request($known, function () { $_SESSION['n']++; }));
echo $r->cmd('GET', ks_sess_key($known)), "\n";
$proxy->stop();
ks_redis_stop($port);
?>
--EXPECT--
started: false, with -
keepsake warnings: 1, errors counted: 1, resends: 0
  session_start(): keepsake: session read failed: no reply from HOST within the read timeout
lock of the unknown id: -2
bool(true)
n|i:2;
