--TEST--
cluster: when no node answers CLUSTER SLOTS (10 seeds that accept connections and never reply, each listed twice), one session_start() spends one budget (connect + read timeout) split over the nodes, asks each node at most once, and the next request within the back-off fails at once without asking anyone
--SKIPIF--
<?php require __DIR__ . '/../session/sess.inc'; ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_probability=0
keepsake.session.persistent=1
--FILE--
<?php
require __DIR__ . '/../session/sess.inc';
ob_start();
/* Listening sockets that are never accepted: the kernel completes each TCP
 * handshake, so a connect succeeds at once and the reply never comes. */
$ctx = stream_context_create(['socket' => ['backlog' => 128]]);
$holes = $seeds = [];
for ($i = 0; $i < 10; $i++) {
    $holes[$i] = stream_socket_server('tcp://127.0.0.1:0', $e, $m, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, $ctx);
    $seeds[] = stream_socket_get_name($holes[$i], false);
}
/* Every seed twice: a reload must not ask a node again. */
ini_set('session.save_handler', 'keepsake');
ini_set('session.save_path', 'cluster://' . implode(',', array_merge($seeds, $seeds))
    . '?timeout=0.5&read_timeout=0.3&prefix=' . rawurlencode(ks_sess_prefix()));
$warnings = [];
set_error_handler(function ($no, $msg) use (&$warnings) { if (str_contains($msg, 'keepsake:')) $warnings[] = $msg; return true; });

function attempt(): array {
    $c = ks_sess_stat('commands');
    $t = microtime(true);
    $ok = ks_sess_request(ks_sess_new_id());
    return [$ok, microtime(true) - $t, ks_sess_stat('commands') - $c];
}

/* Before: 20 candidates x 0.3 s = 6 s and 20 CLUSTER SLOTS. Now: one budget
 * of 0.5 + 0.3 s shared by the 10 distinct nodes. */
[$ok, $secs, $cmds] = attempt();
var_dump($ok, $secs < 2.0, $cmds >= 1 && $cmds <= 10);
echo count($warnings), ' ', $warnings[0] ?? '', "\n";

/* Within the back-off: no node is asked, the request fails at once with the
 * last cause. */
$warnings = [];
[$ok, $secs, $cmds] = attempt();
var_dump($ok, $secs < 0.5, $cmds);
echo count($warnings), ' ', $warnings[0] ?? '', "\n";

/* After it, the worker tries again (and is bounded again). */
usleep(1200000);
$warnings = [];
[$ok, $secs, $cmds] = attempt();
var_dump($ok, $secs < 2.0, $cmds >= 1 && $cmds <= 10, count($warnings));
?>
--EXPECTF--
bool(false)
bool(true)
bool(true)
1 session_start(): keepsake: session read failed: cannot route session to a cluster master: no reply from tcp://127.0.0.1:%d within the read timeout (its share of the reload: %d ms)%s
bool(false)
bool(true)
int(0)
1 session_start(): keepsake: session read failed: cannot route session to a cluster master: the slot map could not be loaded %d ms ago; this worker tries again 1000 ms after a failure (no reply from tcp://127.0.0.1:%d within the read timeout (its share of the reload: %d ms)%s
bool(false)
bool(true)
bool(true)
int(1)
