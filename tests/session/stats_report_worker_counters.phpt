--TEST--
keepsake_session_stats(): reports locks, waits, timeouts, lost locks, round trips, reconnects and errors by kind
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
$s = keepsake_session_stats();
var_dump(array_keys($s), array_keys($s['errors']));
var_dump(array_sum(array_map('intval', array_filter($s, 'is_int'))));
ks_sess_use();
ks_sess_request(ks_sess_new_id(), function () { $_SESSION['x'] = 1; });
$s = keepsake_session_stats();
var_dump($s['lock_acquisitions'], $s['round_trips'] >= 2, $s['connects'], $s['commands'] >= 2);
?>
--EXPECTF--
array(24) {
  [0]=>
  string(17) "lock_acquisitions"
  [1]=>
  string(10) "lock_waits"
  [2]=>
  string(18) "lock_wait_ms_total"
  [3]=>
  string(16) "lock_wait_ms_max"
  [4]=>
  string(13) "lock_timeouts"
  [5]=>
  string(10) "lost_locks"
  [6]=>
  string(15) "release_resends"
  [7]=>
  string(17) "readonly_sessions"
  [8]=>
  string(18) "replica_shortfalls"
  [9]=>
  string(11) "round_trips"
  [10]=>
  string(8) "commands"
  [11]=>
  string(8) "connects"
  [12]=>
  string(10) "reconnects"
  [13]=>
  string(18) "tls_contexts_built"
  [14]=>
  string(8) "topology"
  [15]=>
  string(4) "node"
  [16]=>
  string(5) "nodes"
  [17]=>
  string(6) "errors"
  [18]=>
  string(19) "lock_wait_histogram"
  [19]=>
  string(16) "lock_wait_ms_p50"
  [20]=>
  string(16) "lock_wait_ms_p95"
  [21]=>
  string(16) "lock_wait_ms_p99"
  [22]=>
  string(11) "all_workers"
  [23]=>
  string(5) "since"
}
array(11) {
  [0]=>
  string(7) "connect"
  [1]=>
  string(2) "io"
  [2]=>
  string(7) "timeout"
  [3]=>
  string(8) "protocol"
  [4]=>
  string(4) "auth"
  [5]=>
  string(5) "reply"
  [6]=>
  string(6) "config"
  [7]=>
  string(3) "oom"
  [8]=>
  string(9) "save_path"
  [9]=>
  string(11) "invalid_sid"
  [10]=>
  string(5) "codec"
}
int(0)
int(1)
bool(true)
int(1)
bool(true)
