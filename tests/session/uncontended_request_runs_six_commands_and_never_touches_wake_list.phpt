--TEST--
locking: an uncontended locked request runs 6 commands: SET NX + GETEX pipelined without Lua, then one release script (GET + SET or EXPIRE + DEL + SET receipt), and never touches the wake list
--SKIPIF--
<?php require __DIR__ . '/sess.inc'; ks_redis_skip_if_down(); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/sess.inc';
ob_start();
// A private server: INFO commandstats then counts only this test's commands.
$port = ks_redis_start();
$r = ks_redis($port);
ks_sess_use('', $port);
$sid = ks_sess_new_id();
ks_sess_request($sid, function () { $_SESSION['n'] = 0; });   // loads the scripts
$r->cmd('CONFIG', 'RESETSTAT');
for ($i = 0; $i < 10; $i++) {
    ks_sess_request($sid, function () { $_SESSION['n']++; });  // changed: SET data
    ks_sess_request($sid);                                      // unchanged: EXPIRE data
}
$calls = [];
foreach (explode("\n", $r->cmd('INFO', 'commandstats')) as $line) {
    if (preg_match('/^cmdstat_([^:]+):calls=(\d+),/', $line, $m) && $m[1] !== 'config|resetstat') {
        $calls[$m[1]] = (int)$m[2];
    }
}
ksort($calls);
print_r($calls);
var_dump($r->cmd('EXISTS', ks_sess_key($sid, ':wake')), $r->cmd('EXISTS', ks_sess_key($sid, ':lock')));
var_dump($r->cmd('GET', ks_sess_key($sid)));
// one receipt per release, each with a TTL of a few seconds (2 x connect 1 s + 8 x read 2 s = 18 s)
$receipts = $r->cmd('KEYS', ks_sess_key($sid, ':done:*'));
// 20 in the loop, and the first request's unless it expired already (a slow box, valgrind)
var_dump(count($receipts) >= 20 && count($receipts) <= 21);
$ttls = array_map(fn($k) => $r->cmd('PTTL', $k), $receipts);
var_dump(min($ttls) > 0 && max($ttls) <= 18000);
var_dump(count(array_filter($receipts, fn($k) => preg_match('/:done:[0-9a-f]{32}$/', $k))) === count($receipts));
?>
--EXPECT--
Array
(
    [del] => 20
    [evalsha] => 20
    [expire] => 10
    [get] => 20
    [getex] => 20
    [set] => 50
)
int(0)
int(0)
string(7) "n|i:10;"
bool(true)
bool(true)
bool(true)
