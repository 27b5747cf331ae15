--TEST--
fencing: a holder whose lock expired and was taken by another request cannot overwrite that request's data
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
keepsake.session.lock_ttl=300
--FILE--
<?php
require __DIR__ . '/sess.inc';
ob_start();
ks_sess_use();
$sid = ks_sess_new_id();
$dir = sys_get_temp_dir() . '/ks-lost-' . getmypid();
@mkdir($dir);
$pid = pcntl_fork();
if ($pid === 0) {
    ks_sess_wait_file("$dir/locked");
    session_id($sid);
    $ok = session_start();          // waits until A's 300 ms lock expires
    $_SESSION['who'] = 'B';
    session_write_close();
    file_put_contents("$dir/done", $ok ? 'ok' : 'fail');
    exit(0);
}
session_id($sid);
session_start();
$_SESSION['who'] = 'A';
touch("$dir/locked");
ks_sess_wait_file("$dir/done");
pcntl_waitpid($pid, $st);
var_dump(file_get_contents("$dir/done"));
session_write_close();              // A's stale write
var_dump(ks_redis()->cmd('GET', ks_sess_key($sid)));
var_dump(ks_sess_stat('lost_locks'));
@unlink("$dir/done"); @unlink("$dir/locked"); @rmdir($dir);
?>
--EXPECTF--
string(2) "ok"

Warning: session_write_close(): keepsake: session write refused: the session lock t:lost_lock_write_is_refused:{%s...}:lock expired (lock TTL 300 ms) and was taken by another request; this request's data was not applied so that it cannot overwrite newer data in %s on line %d

Warning: session_write_close(): Failed to write session data (keepsake). Please verify that the current setting of session.save_path is correct (%s) in %s on line %d
string(12) "who|s:1:"B";"
int(1)
