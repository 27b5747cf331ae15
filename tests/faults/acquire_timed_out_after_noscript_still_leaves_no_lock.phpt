--TEST--
faults: an acquire script whose EVALSHA Redis did not know (NOSCRIPT: a restarted or newly promoted server, SCRIPT FLUSH) goes again as EVAL; when that EVAL's reply is late past the read timeout, the drop is still written behind it, so the lock Redis took for the request is given back at once instead of holding the session for the lock TTL
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
keepsake.session.lock_ttl=60000
keepsake.session.lock_wait=5000
--FILE--
<?php
/* The first acquire of a session this worker waited for moments ago starts
 * with the script (expect_contention()): EVALSHA, then EVAL after NOSCRIPT.
 * The proxy forwards that EVAL to Redis at once (the lock is taken) and
 * holds only its reply, past the read timeout. */
require __DIR__ . '/faults.inc';
$port = ks_redis_start();
$r = ks_redis($port);
$proxy = new KsFaultProxy($port);
ks_sess_use('read_timeout=0.3', $proxy->port);
$sid = ks_sess_new_id();
ks_sess_request($sid, function () { $_SESSION['n'] = 1; });
/* Contention: a lock in a foreign format for 800 ms, which this request waits out. */
$r->cmd('SET', ks_sess_key($sid, ':lock'), 'another-request', 'PX', '800');
$waits = ks_sess_stat('lock_waits');
ks_sess_request($sid, function () { $_SESSION['n']++; });
$lines = ['waited: ' . (ks_sess_stat('lock_waits') - $waits)];
$r->cmd('SCRIPT', 'FLUSH');
$proxy->set('latency', ['ms' => 1500, 'match' => '/^\*\d+\r\n\$4\r\nEVAL\r\n/']);
$proxy->stats(true);
$warnings = [];
set_error_handler(function ($no, $msg) use (&$warnings) { if (str_contains($msg, 'keepsake:')) $warnings[] = $msg; return true; });
session_id($sid);
$ok = session_start();
restore_error_handler();
$events = $proxy->stats()['events'];
$lines[] = 'start ' . var_export($ok, true) . ', ' . count($warnings) . ' warning(s): '
    . (str_contains($warnings[0] ?? '', 'within the read timeout') ? 'a timeout' : json_encode($warnings));
$lines[] = 'the EVAL acquire was held: ' . (count($events) >= 1 && !ks_fault_is_release($events[0]['req']) ? 'yes' : 'no');
/* The proxy forwards what the client wrote before it closed; give it a moment. */
for ($i = 0; $i < 100 && $r->cmd('EXISTS', ks_sess_key($sid, ':lock')) == 1; $i++) {
    usleep(20000);
}
$lines[] = 'lock left: ' . $r->cmd('EXISTS', ks_sess_key($sid, ':lock'));
$proxy->set('pass');
$lines[] = 'next request: ' . var_export(ks_sess_request($sid, function () { $_SESSION['n']++; }), true)
    . ', n=' . $r->cmd('GET', ks_sess_key($sid));
$proxy->stop();
echo implode("\n", $lines), "\n";
?>
--EXPECT--
waited: 1
start false, 1 warning(s): a timeout
the EVAL acquire was held: yes
lock left: 0
next request: true, n=n|i:3;
