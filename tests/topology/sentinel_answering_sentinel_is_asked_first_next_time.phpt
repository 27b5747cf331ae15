--TEST--
sentinel: the sentinel that named the master is asked first at the next connect, so a first-listed sentinel that accepts connections and never answers costs the first request its share of the connect timeout, and no later request anything
--SKIPIF--
<?php require __DIR__ . '/sentinel.inc'; ks_topo_skip_unless('sentinel'); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.gc_probability=0
keepsake.session.connect_timeout=2
--FILE--
<?php
require __DIR__ . '/sentinel.inc';
ob_start();
$env = ks_topo_start('sentinel');
/* Never accepted: connects succeed (the kernel queues them), replies never come. */
$hole = stream_socket_server('tcp://127.0.0.1:0', $e, $m, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN,
    stream_context_create(['socket' => ['backlog' => 64]]));
ini_set('session.save_handler', 'keepsake');
/* persistent=0: every request connects, so every request discovers the master. */
ini_set('session.save_path', 'sentinel://' . stream_socket_get_name($hole, false) . ',' . $env['KEEPSAKE_TOPO_SENTINELS']
    . '?master=' . $env['KEEPSAKE_TOPO_SENTINEL_NAME'] . '&persistent=0&prefix=' . rawurlencode(ks_sess_prefix()));
$sid = ks_sess_new_id();
$ok = 0;
for ($i = 0; $i < 4; $i++) $ok += ks_sess_request($sid, function () { $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1; });
var_dump($ok, keepsake_session_stats()['connects']);
/* How many times the silent sentinel was asked: every connection it got. */
$asked = 0;
while (@stream_socket_accept($hole, 0)) $asked++;
var_dump($asked);
?>
--EXPECT--
int(4)
int(4)
int(1)
