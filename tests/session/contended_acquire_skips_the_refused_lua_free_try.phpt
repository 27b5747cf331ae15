--TEST--
locking: once a worker has waited for a session's lock, its next acquire of that session starts with the script (no Lua-free try to be refused: one round trip less per contended acquisition), and the first uncontended one goes back to the Lua-free try
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
keepsake.session.lock_wait=5000
--FILE--
<?php
require __DIR__ . '/sess.inc';
ob_start();
ks_sess_use('persistent=1');
$r = ks_redis();
$sid = ks_sess_new_id();
ks_sess_request($sid, function () { $_SESSION['n'] = 0; });   // warms scripts and the connection

/* One request, with the lock held by "another request" for $hold ms first
 * (a lock in a foreign format, so that nothing wakes us: we wait for its
 * TTL). The Lua-free try is the only request part that pipelines two
 * commands in one round trip, so commands - round trips counts those tries. */
function one(KsRedis $r, string $sid, int $hold): string {
    if ($hold > 0) {
        $r->cmd('SET', ks_sess_key($sid, ':lock'), 'another-request', 'PX', (string)$hold);
    }
    $rt = ks_sess_stat('round_trips');
    $cmds = ks_sess_stat('commands');
    $waits = ks_sess_stat('lock_waits');
    ks_sess_request($sid, function () { $_SESSION['n']++; });
    return sprintf('waited %d, Lua-free tries %d', ks_sess_stat('lock_waits') - $waits,
        (ks_sess_stat('commands') - $cmds) - (ks_sess_stat('round_trips') - $rt));
}
/* 800 ms: the lock must still be held when the request starts, after this
 * process may have been descheduled for a while on a loaded box (200 ms
 * were within reach of such a stall); well inside the 2 s for which a wait
 * is remembered (KS_SESS_CONTENDED_MEMORY_MS). */
echo "1 held:   ", one($r, $sid, 800), "\n";   // the try is refused, then the script, BLPOP, script
echo "2 held:   ", one($r, $sid, 800), "\n";   // straight to the script
echo "3 free:   ", one($r, $sid, 0), "\n";     // still expected held: the script, which finds it free
echo "4 free:   ", one($r, $sid, 0), "\n";     // the spell is over: the Lua-free try again
var_dump($r->cmd('GET', ks_sess_key($sid)));
?>
--EXPECT--
1 held:   waited 1, Lua-free tries 1
2 held:   waited 1, Lua-free tries 0
3 free:   waited 0, Lua-free tries 0
4 free:   waited 0, Lua-free tries 1
string(6) "n|i:4;"
