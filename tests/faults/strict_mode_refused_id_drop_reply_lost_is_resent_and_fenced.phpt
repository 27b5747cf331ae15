--TEST--
strict mode: the reply to the drop of a refused id's lock is lost (cut, or late beyond read_timeout after the drop ran and another request took that lock): the drop is sent once more, session_start() goes on with a new id and no warning, and the resend leaves the other request's lock alone
--SKIPIF--
<?php require __DIR__ . '/faults.inc'; ks_fault_skip(); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=1
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
ks_sess_use(ks_fault_query(), $proxy->port);
$known = ks_sess_new_id();
var_dump(ks_sess_request($known, function () { $_SESSION['n'] = 1; }));   // loads the scripts

/* A request that brings the unknown id $bad while the drop's reply meets
 * $fault; $meanwhile (forked) may act on Redis directly meanwhile. */
function refused(KsFaultProxy $proxy, KsRedis $r, string $what, array $fault, ?callable $meanwhile = null): void {
    $bad = ks_sess_new_id();
    $pid = 0;
    if ($meanwhile) {
        $pid = pcntl_fork();
        if ($pid === 0) {
            while (ob_get_level() > 0) { ob_end_clean(); }
            $meanwhile(new KsRedis('127.0.0.1', $GLOBALS['port']), $bad);
            exit(0);
        }
        usleep(100000);
    }
    $proxy->stats(true);
    $proxy->set($fault['mode'], $fault);
    $w = [];
    set_error_handler(function ($no, $s) use (&$w) { $w[] = $s; return true; });
    session_id($bad);
    $ok = session_start();
    $new = session_id();
    $hit = array_map(fn($e) => trim($e['reply']), array_filter($proxy->stats()['events'], fn($e) => ks_fault_is_release($e['req'])));
    $proxy->set('pass');   // the new session's own release goes through
    if ($ok) {
        $_SESSION['n'] = 7;
        session_write_close();
    }
    restore_error_handler();
    if ($pid) {
        pcntl_waitpid($pid, $st);
    }
    echo "$what: started ", var_export($ok, true), ', new id ', var_export($new !== $bad, true), ', warnings ', count($w),
        ', drop replies hit ', json_encode(array_values($hit)), "\n";
    foreach ($w as $s) echo "  $s\n";
    echo '  new session stored: ', var_export($r->cmd('GET', ks_sess_key($new)), true),
        ', refused id lock: ', var_export($r->cmd('GET', ks_sess_key($bad, ':lock')), true),
        ', keys of the refused id: ', count($r->cmd('KEYS', ks_sess_key($bad) . '*')), "\n";
}

/* The drop's reply is cut once: it ran; the resend finds the lock gone. */
refused($proxy, $r, 'cut', ['mode' => 'drop', 'match' => KS_FAULT_MATCH_RELEASE, 'once' => true]);
/* Its reply is late (700 ms, read_timeout 300 ms): the drop ran, and another
 * request takes the lock before the resend comes, which must leave it. */
refused($proxy, $r, 'late, lock taken meanwhile', ['mode' => 'latency', 'ms' => 700, 'match' => KS_FAULT_MATCH_RELEASE, 'once' => true],
    function (KsRedis $r, string $bad) {
        $lock = ks_sess_key($bad, ':lock');
        for ($i = 0; $i < 5000 && !$r->cmd('EXISTS', $lock); $i++) usleep(1000);    // the check took it
        for ($i = 0; $i < 5000 && $r->cmd('EXISTS', $lock); $i++) usleep(500);      // the drop ran
        $r->cmd('SET', $lock, 'another-request', 'PX', '20000');
    });
echo 'resends: ', ks_sess_stat('release_resends'), "\n";
$proxy->stop();
ks_redis_stop($port);
?>
--EXPECT--
bool(true)
cut: started true, new id true, warnings 0, drop replies hit [":1"]
  new session stored: 'n|i:7;', refused id lock: NULL, keys of the refused id: 0
late, lock taken meanwhile: started true, new id true, warnings 0, drop replies hit [":1"]
  new session stored: 'n|i:7;', refused id lock: 'another-request', keys of the refused id: 1
resends: 2
