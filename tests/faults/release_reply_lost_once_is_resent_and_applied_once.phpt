--TEST--
faults: one lost reply to the release (write, TTL refresh, destroy, release only) is resent once: success, applied exactly once, no warning
--SKIPIF--
<?php require __DIR__ . '/faults.inc'; ks_fault_skip(); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.gc_probability=0
session.lazy_write=1
keepsake.session.lock_ttl=5000
--FILE--
<?php
require __DIR__ . '/faults.inc';
ob_start();
$port = ks_redis_start();
$r = ks_redis($port);
$proxy = new KsFaultProxy($port);
ks_sess_use(ks_fault_query(), $proxy->port);
$sid = ks_sess_new_id();
// one clean request first, so that Redis knows the scripts (the cut must hit the script's run, not a NOSCRIPT)
var_dump(ks_sess_request($sid, function () { $_SESSION['n'] = 1; }));

/* Commands Redis ran (scripts' inner commands included) since the last call. */
function ran(KsRedis $r): array {
    $calls = [];
    foreach (explode("\n", $r->cmd('INFO', 'commandstats')) as $line) {
        if (preg_match('/^cmdstat_([^:]+):calls=(\d+),/', $line, $m) && $m[1] !== 'config|resetstat' && $m[1] !== 'info') {
            $calls[$m[1]] = (int)$m[2];
        }
    }
    ksort($calls);
    $r->cmd('CONFIG', 'RESETSTAT');
    return $calls;
}

/* Starts a request, runs $change on its session, then ends it with $end while the
 * reply to the first release sent is cut once; prints what happened. */
function once_cut(KsFaultProxy $proxy, KsRedis $r, string $sid, string $what, callable $change, callable $end): void {
    session_id($sid);
    session_start();
    $change();
    $proxy->set('drop', ['match' => KS_FAULT_MATCH_RELEASE, 'once' => true]);
    $proxy->stats(true);
    ran($r);
    $resends = ks_sess_stat('release_resends');
    $lost = ks_sess_stat('lost_locks');
    $warnings = [];
    set_error_handler(function ($no, $str) use (&$warnings) { $warnings[] = $str; return true; });
    $ok = $end();
    restore_error_handler();
    $proxy->set('pass');
    $cut = array_map(fn($e) => trim($e['reply']), $proxy->stats()['events']);
    echo "$what: returned ", var_export($ok, true), ', warnings ', count($warnings), ', replies cut ', json_encode($cut),
        ', resends ', ks_sess_stat('release_resends') - $resends, ', lost locks ', ks_sess_stat('lost_locks') - $lost, "\n";
    foreach ($warnings as $w) {
        echo "  $w\n";
    }
    echo '  ran: ', json_encode(ran($r)), "\n";
    echo '  stored: ', var_export($r->cmd('GET', ks_sess_key($sid)), true), ', lock left: ', $r->cmd('EXISTS', ks_sess_key($sid, ':lock')), "\n";
}

$none = function () {};
// a write: SET data + SET receipt ran once (in the first run); the resend ran GET lock + EXISTS receipt only
once_cut($proxy, $r, $sid, 'write', function () { $_SESSION['n']++; }, 'session_write_close');
// an unchanged session (lazy_write): the TTL refresh, one EXPIRE
once_cut($proxy, $r, $sid, 'ttl refresh', $none, 'session_write_close');
// a destroy: one DEL of data and lock
once_cut($proxy, $r, $sid, 'destroy', $none, 'session_destroy');
// release only (session_abort()): the change is dropped, the lock released, and not counted as lost
ks_sess_request($sid, function () { $_SESSION['n'] = 10; });
once_cut($proxy, $r, $sid, 'release only', function () { $_SESSION['n'] = 99; }, 'session_abort');
// the receipts expire by themselves: 5 s here (the floor; 2 x (0.3 + 2 x 0.3) s is less)
// (-2: expired between KEYS and PTTL, which a loaded box can stretch to the
// 5 s of the first receipt; the last one, from the release just above, is there)
$ttls = array_filter(array_map(fn($k) => $r->cmd('PTTL', $k), $r->cmd('KEYS', ks_sess_key($sid, ':done:*'))), fn($t) => $t !== -2);
echo 'receipts expire within 5 s: ', var_export($ttls && min($ttls) > 0 && max($ttls) <= 5000, true), "\n";
$proxy->stop();
?>
--EXPECT--
bool(true)
write: returned true, warnings 0, replies cut [":1"], resends 1, lost locks 0
  ran: {"del":1,"evalsha":2,"exists":1,"get":2,"set":2}
  stored: 'n|i:2;', lock left: 0
ttl refresh: returned true, warnings 0, replies cut [":1"], resends 1, lost locks 0
  ran: {"del":1,"evalsha":2,"exists":1,"expire":1,"get":2,"set":1}
  stored: 'n|i:2;', lock left: 0
destroy: returned true, warnings 0, replies cut [":1"], resends 1, lost locks 0
  ran: {"del":1,"evalsha":2,"exists":1,"get":2,"set":1}
  stored: NULL, lock left: 0
release only: returned true, warnings 0, replies cut [":1"], resends 1, lost locks 0
  ran: {"del":1,"evalsha":2,"exists":1,"get":2,"set":1}
  stored: 'n|i:10;', lock left: 0
receipts expire within 5 s: true
