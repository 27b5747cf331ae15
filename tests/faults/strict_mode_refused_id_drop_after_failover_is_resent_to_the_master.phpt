--TEST--
strict mode: the master is demoted between the check that took a refused id's lock and that lock's drop, which it answers READONLY (nothing written); the drop is sent once more on a fresh connection, as a release is, and reaches the master (here the same server, promoted again), so the lock is gone at once, and session_start() goes on with a new id and no warning
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
/* No ob_start(): the operator's fork would inherit and print its buffer. */
$port = ks_redis_start();
$r = ks_redis($port);
$proxy = new KsFaultProxy($port);
/* Replies are held 1 s (below), well within the read timeout. */
ks_sess_use(ks_fault_query(1.0, 3.0), $proxy->port);
$known = ks_sess_new_id();
var_dump(ks_sess_request($known, function () { $_SESSION['n'] = 1; }));   // loads the scripts
$nowhere = ks_free_port();
$bad = ks_sess_new_id();

$proxy->stats(true);
$proxy->set('latency', ['ms' => 1000, 'match' => ks_fault_match_try_or_release()]);
/* Redis has run the check (its lock is taken) and keepsake has not seen
 * the reply yet: demote the master. Redis has answered the drop READONLY:
 * promote it again, before keepsake sees that answer and sends again. */
$op = ks_fault_operator($proxy, [
    ['req', KS_FAULT_MATCH_LOCK_TRY, function () use ($port, $nowhere) { ks_redis($port)->cmd('REPLICAOF', '127.0.0.1', (string)$nowhere); }],
    ['reply', '/^-READONLY/', function () use ($port) { ks_redis($port)->cmd('REPLICAOF', 'NO', 'ONE'); }],
]);
$resends = ks_sess_stat('release_resends');
$w = [];
set_error_handler(function ($no, $s) use (&$w) { $w[] = $s; return true; });
session_id($bad);
$ok = session_start();
$new = session_id();
pcntl_waitpid($op, $st);
$proxy->set('pass');
if ($ok) {
    $_SESSION['n'] = 7;
    session_write_close();
}
restore_error_handler();
echo 'operator saw both steps: ', var_export(pcntl_wexitstatus($st) === 0, true), "\n";
$drops = array_map(fn($e) => substr($e['reply'], 0, 9),
    array_values(array_filter($proxy->stats()['events'], fn($e) => ks_fault_is_release($e['req']))));
echo 'started ', var_export($ok, true), ', new id ', var_export($new !== $bad, true), ', warnings ', count($w), "\n";
foreach ($w as $s) echo "  $s\n";
echo 'drop replies: ', json_encode($drops), "\n";
echo 'resends: ', ks_sess_stat('release_resends') - $resends, "\n";
echo 'refused id lock: ', var_export($r->cmd('GET', ks_sess_key($bad, ':lock')), true),
    ', keys of the refused id: ', count($r->cmd('KEYS', ks_sess_key($bad) . '*')), "\n";
echo 'new session stored: ', var_export($r->cmd('GET', ks_sess_key($new)), true), "\n";
echo 'role: ', $r->cmd('ROLE')[0], "\n";
$proxy->stop();
ks_redis_stop($port);
?>
--EXPECT--
bool(true)
operator saw both steps: true
started true, new id true, warnings 0
drop replies: ["-READONLY",":1\r\n"]
resends: 1
refused id lock: NULL, keys of the refused id: 0
new session stored: 'n|i:7;'
role: master
