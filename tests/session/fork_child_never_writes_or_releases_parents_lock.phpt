--TEST--
locking: after session_start(); pcntl_fork(); the child forgets the parent's lock (no write, no release, no destroy) and the parent's write still succeeds
--SKIPIF--
<?php require __DIR__ . '/sess.inc'; ks_redis_skip_if_down(); if (!function_exists('pcntl_fork')) die('skip pcntl'); ?>
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
ks_sess_use();
set_error_handler(function ($no, $msg) { echo "parent: $msg\n"; return true; });
$r = ks_redis();
$f = sys_get_temp_dir() . '/ks-fork-lock-' . getmypid();

/* $child runs in a forked child while the parent holds the lock; the parent
 * then writes. Returns what the child reported. */
function scenario(string $sid, callable $child, string $f): array {
    ks_sess_request($sid, function () { $_SESSION['parent'] = 'stored'; });
    session_id($sid);
    session_start();
    $_SESSION['parent'] = 'before';
    $pid = pcntl_fork();
    if ($pid === 0) {
        $msgs = [];
        set_error_handler(function ($no, $msg) use (&$msgs) { $msgs[] = $msg; return true; });
        $res = $child();
        file_put_contents($f, json_encode(['result' => $res, 'messages' => $msgs]));
        ini_set('display_errors', '0');
        while (ob_get_level()) ob_end_clean();   /* the parent's buffered output is not the child's to print */
        exit(0);   /* an active session is written and closed at shutdown */
    }
    pcntl_waitpid($pid, $st);
    $got = json_decode(file_get_contents($f), true);
    unlink($f);
    $got['lock_after_child'] = ks_redis()->cmd('EXISTS', ks_sess_key($sid, ':lock'));
    $_SESSION['parent'] = 'after';
    $got['parent_write'] = session_write_close();
    $got['data'] = ks_redis()->cmd('GET', ks_sess_key($sid));
    $got['lock_after_parent'] = ks_redis()->cmd('EXISTS', ks_sess_key($sid, ':lock'));
    return $got;
}

echo "-- child changes the session and writes it\n";
var_dump(scenario(ks_sess_new_id(), function () { $_SESSION['child'] = 1; return session_write_close(); }, $f));
echo "-- child leaves it to its shutdown\n";
var_dump(scenario(ks_sess_new_id(), function () { $_SESSION['child'] = 1; return null; }, $f));
echo "-- child destroys it\n";
var_dump(scenario(ks_sess_new_id(), function () { return session_destroy(); }, $f));
echo "-- child reads it again (session_reset: without waiting for the lock), then aborts\n";
var_dump(scenario(ks_sess_new_id(), function () { session_reset(); $p = $_SESSION['parent']; session_abort(); return $p; }, $f));
var_dump(ks_sess_stat('lost_locks'));
?>
--EXPECTF--
-- child changes the session and writes it
array(6) {
  ["result"]=>
  bool(true)
  ["messages"]=>
  array(1) {
    [0]=>
    string(%d) "session_write_close(): keepsake: session data not written: this process (pid %d) is a fork of the one that holds the session lock, which alone writes the session (call session_abort() in the child)"
  }
  ["lock_after_child"]=>
  int(1)
  ["parent_write"]=>
  bool(true)
  ["data"]=>
  string(19) "parent|s:5:"after";"
  ["lock_after_parent"]=>
  int(0)
}
-- child leaves it to its shutdown
array(6) {
  ["result"]=>
  NULL
  ["messages"]=>
  array(0) {
  }
  ["lock_after_child"]=>
  int(1)
  ["parent_write"]=>
  bool(true)
  ["data"]=>
  string(19) "parent|s:5:"after";"
  ["lock_after_parent"]=>
  int(0)
}
-- child destroys it
array(6) {
  ["result"]=>
  bool(false)
  ["messages"]=>
  array(2) {
    [0]=>
    string(%d) "session_destroy(): keepsake: session destroy refused: this process (pid %d) is a fork of the one that holds the session lock"
    [1]=>
    string(52) "session_destroy(): Session object destruction failed"
  }
  ["lock_after_child"]=>
  int(1)
  ["parent_write"]=>
  bool(true)
  ["data"]=>
  string(19) "parent|s:5:"after";"
  ["lock_after_parent"]=>
  int(0)
}
-- child reads it again (session_reset: without waiting for the lock), then aborts
array(6) {
  ["result"]=>
  string(6) "stored"
  ["messages"]=>
  array(0) {
  }
  ["lock_after_child"]=>
  int(1)
  ["parent_write"]=>
  bool(true)
  ["data"]=>
  string(19) "parent|s:5:"after";"
  ["lock_after_parent"]=>
  int(0)
}
int(0)
