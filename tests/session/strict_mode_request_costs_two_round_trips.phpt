--TEST--
strict mode: a known id is checked in the acquire's own round trip (2 round trips and no EXISTS per request); an unknown one is refused, leaves no lock, and a lock held by another request still makes the known id wait
--SKIPIF--
<?php require __DIR__ . '/sess.inc'; ks_redis_skip_if_down(); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=1
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/sess.inc';
ob_start();
ks_sess_use('persistent=1');
$r = ks_redis();
$known = ks_sess_new_id();
ini_set('session.use_strict_mode', 0);
ks_sess_request($known, function () { $_SESSION['n'] = 0; });   // creates it; warms scripts and the connection
ini_set('session.use_strict_mode', 1);

/* Redis's own count of a command (commandstats), so that the test sees
 * what reached the server, not only what keepsake counted. */
function calls(string $cmd): int {
    $s = ks_redis()->cmd('INFO', 'commandstats');
    return preg_match('/^cmdstat_' . $cmd . ':calls=(\d+)/m', $s, $m) ? (int)$m[1] : 0;
}

// known id, data changed, then unchanged (TTL refresh)
foreach (['write' => function () { $_SESSION['n']++; }, 'refresh' => null] as $what => $fn) {
    $rt = ks_sess_stat('round_trips');
    $ex = calls('exists');
    ks_sess_request($known, $fn);
    echo "$what: id kept ", json_encode(session_id() === $known), ", round trips ", ks_sess_stat('round_trips') - $rt,
        ", EXISTS sent ", calls('exists') - $ex, "\n";
}
var_dump($r->cmd('GET', ks_sess_key($known)));

// unknown id: refused, a new one made, no lock and no data left under the refused id
$unknown = ks_sess_new_id();
session_id($unknown);
session_start();
$new = session_id();
$_SESSION['x'] = 1;
session_write_close();
echo "unknown: replaced ", json_encode($new !== $unknown), ", its data and lock: ",
    json_encode([$r->cmd('EXISTS', ks_sess_key($unknown)), $r->cmd('EXISTS', ks_sess_key($unknown, ':lock'))]),
    ", new one stored ", json_encode($r->cmd('GET', ks_sess_key($new))), "\n";

// session_reset() and session_create_id() inside a strict-mode session still work
session_id($known);
session_start();
$_SESSION['n'] = 99;
session_reset();
echo "reset: ", json_encode($_SESSION), ", id ", json_encode(session_id() === $known), "\n";
$other = session_create_id();
echo "create_id inside: ", json_encode(is_string($other) && $other !== $known), "\n";
session_write_close();

// a lock held by another request: the strict-mode request waits for it, then reads the data
// (timed from before the SET: the lock cannot be had before its 300 ms end,
// however long this process is descheduled after the SET on a loaded box)
ini_set('keepsake.session.lock_wait', '3000');
$t = microtime(true);
$r->cmd('SET', ks_sess_key($known, ':lock'), 'someone-else', 'PX', '300');
ks_sess_request($known, function () { $_SESSION['n']++; });
echo "held: id kept ", json_encode(session_id() === $known), ", waited ", json_encode(microtime(true) - $t >= 0.29), "\n";
var_dump($r->cmd('GET', ks_sess_key($known)));
// released: gone, or reserved for a waiter that might have queued behind us (a hand-off, 500 ms)
$lock = $r->cmd('GET', ks_sess_key($known, ':lock'));
echo "lock after: ", json_encode($lock === null || strncmp($lock, 'wake:', 5) === 0), "\n";
?>
--EXPECT--
write: id kept true, round trips 2, EXISTS sent 0
refresh: id kept true, round trips 2, EXISTS sent 0
string(6) "n|i:1;"
unknown: replaced true, its data and lock: [0,0], new one stored "x|i:1;"
reset: {"n":1}, id true
create_id inside: true
held: id kept true, waited true
string(6) "n|i:2;"
lock after: true
