--TEST--
a resend after the lock passed on to another request writes nothing to the data key (counted with MONITOR), so it cannot overwrite the newer data
--SKIPIF--
<?php require __DIR__ . '/faults.inc'; ks_fault_skip(); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.gc_probability=0
keepsake.session.lock_ttl=5000
--FILE--
<?php
require __DIR__ . '/faults.inc';
ob_start();
/*
 * P holds the lock; C waits for it. Every release's first reply is held
 * 700 ms (read timeout 300 ms), its resend's is not ("once"). P's release
 * runs at once in Redis: P's data is stored, the lock freed, C woken. C
 * takes the lock and stores its data while P still waits for its reply, so
 * P's resend finds the lock gone or C's: it must answer "done before" from
 * P's receipt (P reports success, as its write was applied) and write
 * nothing (C's data stays). C's own release is resent the same way.
 */
$port = ks_redis_start();
$r = ks_redis($port);
$proxy = new KsFaultProxy($port);
ks_sess_use(ks_fault_query(), $proxy->port);
$sid = ks_sess_new_id();
var_dump(ks_sess_request($sid, function () { $_SESSION['by'] = 'nobody'; }));   // loads the scripts
$go = sys_get_temp_dir() . '/ks-resend-' . getmypid();
$report = "$go.c";
@unlink($go);

/* One end of a request: whether it reported success, and its warnings. */
function finish(): array {
    $warnings = [];
    set_error_handler(function ($no, $str) use (&$warnings) { $warnings[] = $str; return true; });
    $ok = session_write_close();
    restore_error_handler();
    return ['ok' => $ok && !$warnings, 'warnings' => $warnings];
}

$pid = pcntl_fork();
if ($pid === 0) {
    while (ob_get_level() > 0) {
        ob_end_clean();
    }
    for ($i = 0; $i < 500 && !file_exists($go); $i++) {
        usleep(10000);
    }
    session_id($sid);
    $started = session_start();
    $_SESSION['by'] = 'C';
    file_put_contents($report, json_encode(['started' => $started] + finish()));
    exit(0);
}
session_id($sid);
var_dump(session_start());
$_SESSION['by'] = 'P';
touch($go);
// C waits: it has marked the lock ("+": wake me)
for ($i = 0; $i < 500 && !str_ends_with((string)$r->cmd('GET', ks_sess_key($sid, ':lock')), '+'); $i++) {
    usleep(10000);
}
echo 'C is waiting: ', var_export(str_ends_with((string)$r->cmd('GET', ks_sess_key($sid, ':lock')), '+'), true), "\n";
$proxy->set('latency', ['ms' => 700, 'match' => KS_FAULT_MATCH_RELEASE, 'once' => true]);
$mon = stream_socket_client("tcp://127.0.0.1:$port"); fwrite($mon, "MONITOR\r\n"); fgets($mon);
$resends = ks_sess_stat('release_resends');
$p = finish();
pcntl_waitpid($pid, $st);
$c = json_decode((string)@file_get_contents($report), true);
@unlink($go);
@unlink($report);
echo 'P: ', json_encode($p), ', resends ', ks_sess_stat('release_resends') - $resends, "\n";
echo 'C: ', json_encode($c), "\n";
echo 'stored: ', $r->cmd('GET', ks_sess_key($sid)), "\n";
echo 'first replies held: ', json_encode(array_map(fn($e) => trim($e['reply']), $proxy->stats()['events'])), "\n";
/* MONITOR shows commands in the order Redis ran them: read up to a marker
 * sent now (bounded), rather than whatever arrived within a sleep. */
$marker = 'end-of-test-' . getmypid();
$r->cmd('ECHO', $marker);
stream_set_timeout($mon, 20);
$sets = 0;
while (($l = fgets($mon)) !== false && !str_contains($l, $marker)) {
    if (str_contains($l, '[0 lua] "SET" "' . ks_sess_key($sid) . '"')) {
        $sets++;
    }
}
echo 'data key written by scripts: ', $sets, " (P's first run and C's first run; a resend writes nothing)\n";
$proxy->stop();
?>
--EXPECT--
bool(true)
bool(true)
C is waiting: true
P: {"ok":true,"warnings":[]}, resends 1
C: {"started":true,"ok":true,"warnings":[]}
stored: by|s:1:"C";
first replies held: [":1",":1"]
data key written by scripts: 2 (P's first run and C's first run; a resend writes nothing)
