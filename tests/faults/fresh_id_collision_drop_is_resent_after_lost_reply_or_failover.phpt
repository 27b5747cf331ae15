--TEST--
a newly generated id found in use gives its lock back (the drop), and that drop is sent once more as a release is: after its reply was cut (it ran; the resend finds the lock gone and changes nothing), and after the master was demoted between the lock's SET and the drop (READONLY, nothing written; the resend reaches the master, here the same server promoted again, so the lock does not stay for its TTL); each time one warning, the collision's, and the session in use untouched
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
/* No ob_start(): the operator's fork would inherit and print its buffer. */
$port = ks_redis_start();
$r = ks_redis($port);
$proxy = new KsFaultProxy($port);
ks_sess_use(ks_fault_query(1.0, 3.0), $proxy->port);

/* A request without an id whose "new" id (debug builds' hook) is the
 * existing session $sid, while $fault is set; $steps for an operator. */
function collide(KsFaultProxy $proxy, KsRedis $r, string $what, array $fault, array $steps = []): void {
    $sid = ks_sess_new_id();
    ks_sess_request($sid, function () { $_SESSION['n'] = 1; });   // in use (and the scripts loaded)
    $proxy->stats(true);
    $proxy->set($fault['mode'], $fault);
    $op = $steps ? ks_fault_operator($proxy, $steps) : 0;
    $resends = ks_sess_stat('release_resends');
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
    if ($op) {
        pcntl_waitpid($op, $st);
        echo "$what: operator saw every step: ", var_export(pcntl_wexitstatus($st) === 0, true), "\n";
    }
    $proxy->set('pass');
    $drops = array_map(fn($e) => substr($e['reply'], 0, 9),
        array_values(array_filter($proxy->stats()['events'], fn($e) => ks_fault_is_release($e['req']))));
    echo "$what: started ", var_export($ok, true), ', keepsake warnings ', count($w), ', drop replies hit ', json_encode($drops),
        ', resends ', ks_sess_stat('release_resends') - $resends, "\n";
    foreach ($w as $s) echo "  $s\n";
    echo '  lock: ', var_export($r->cmd('GET', ks_sess_key($sid, ':lock')), true), ', session: ',
        var_export($r->cmd('GET', ks_sess_key($sid)), true), ', role: ', $r->cmd('ROLE')[0], "\n";
}

collide($proxy, $r, 'reply cut', ['mode' => 'drop', 'match' => KS_FAULT_MATCH_RELEASE, 'once' => true]);
$nowhere = ks_free_port();
collide($proxy, $r, 'failover', ['mode' => 'latency', 'ms' => 1000, 'match' => ks_fault_match_try_or_release()], [
    ['req', KS_FAULT_MATCH_LOCK_TRY, function () use ($port, $nowhere) { ks_redis($port)->cmd('REPLICAOF', '127.0.0.1', (string)$nowhere); }],
    ['reply', '/^-READONLY/', function () use ($port) { ks_redis($port)->cmd('REPLICAOF', 'NO', 'ONE'); }],
]);
$proxy->stop();
ks_redis_stop($port);
?>
--EXPECTF--
reply cut: started false, keepsake warnings 1, drop replies hit [":1\r\n"], resends 1
  session_start(): keepsake: session read failed: the newly generated session id is already in use; refusing to share it
  lock: NULL, session: 'n|i:1;', role: master
failover: operator saw every step: true
failover: started false, keepsake warnings 1, drop replies hit ["-READONLY",":1\r\n"], resends 1
  session_start(): keepsake: session read failed: the newly generated session id is already in use; refusing to share it
  lock: NULL, session: 'n|i:1;', role: master
