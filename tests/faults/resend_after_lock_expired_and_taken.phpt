--TEST--
P's lock expires, C takes it and writes; P's release reply is cut and resent: both runs find the lock not P's and no receipt, so P warns "expired" and C's data stays
--SKIPIF--
<?php require __DIR__ . '/faults.inc'; ks_fault_skip(); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.gc_probability=0
keepsake.session.lock_ttl=300
--FILE--
<?php
require __DIR__ . '/faults.inc';
ob_start();
/* The fencing path under a resend, which no workload in tests/faults reaches
 * (their locks never expire while a release is still on its way). */
$port = ks_redis_start();
$r = ks_redis($port);
$proxy = new KsFaultProxy($port);
ks_sess_use(ks_fault_query(), $proxy->port);
$sid = ks_sess_new_id();
var_dump(ks_sess_request($sid, function () { $_SESSION['by'] = 'nobody'; }));   // loads the scripts
session_id($sid);
var_dump(session_start());                       // P
$_SESSION['by'] = 'P';
usleep(400000);                                  // P's 300 ms lock expires
$pid = pcntl_fork();
if ($pid === 0) {                                // C takes the lock, writes, releases
    while (ob_get_level() > 0) { ob_end_clean(); }
    session_abort();
    ini_set('session.save_path', ks_sess_path(ks_fault_query(), $port));   // C goes around the proxy
    $ok = ks_sess_request($sid, function () { $_SESSION['by'] = 'C'; });
    exit($ok ? 0 : 1);
}
pcntl_waitpid($pid, $st);
echo 'C ok: ', var_export(pcntl_wexitstatus($st) === 0, true), "\n";
$proxy->set('drop', ['match' => KS_FAULT_MATCH_RELEASE, 'once' => true]);
$w = [];
set_error_handler(function ($no, $s) use (&$w) { $w[] = $s; return true; });
session_write_close();
restore_error_handler();
echo 'P warnings: ', count($w), ': ', preg_replace('/\{[0-9a-f]+\.\.\.\}/', '{...}', $w[0] ?? ''), "\n";
echo 'P resends: ', ks_sess_stat('release_resends'), ', lost locks: ', ks_sess_stat('lost_locks'), "\n";
echo 'replies cut: ', json_encode(array_map(fn($e) => trim($e['reply']), $proxy->stats()['events'])), "\n";
echo 'stored: ', $r->cmd('GET', ks_sess_key($sid)), "\n";
$proxy->stop();
ks_redis_stop($port);
?>
--EXPECTF--
bool(true)
bool(true)
C ok: true
P warnings: 2: session_write_close(): keepsake: session write refused: the session lock %s expired (lock TTL 300 ms) and was taken by another request; this request's data was not applied so that it cannot overwrite newer data
P resends: 1, lost locks: 1
replies cut: [":0"]
stored: by|s:1:"C";
