--TEST--
lock_timeout_action=readonly: session_destroy() in the read-only request is refused with one warning, since the request holding the lock would write the session back (a logout that said it was done would be undone)
--SKIPIF--
<?php require __DIR__ . '/sess.inc'; if (!function_exists('pcntl_fork')) die('skip pcntl'); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
keepsake.session.lock_wait=300
keepsake.session.lock_timeout_action=readonly
--FILE--
<?php
require __DIR__ . '/sess.inc';
/* No ob_start(): the fork would inherit and print its buffer. */
ks_sess_use();
$sid = ks_sess_new_id();
$dir = sys_get_temp_dir() . '/ks-rodestroy-' . getmypid();
@mkdir($dir);
ks_sess_request($sid, function () { $_SESSION['user'] = 'alice'; });

/* Another request of the session holds its lock until told to end, then
 * ends without changing anything (lazy_write: a TTL refresh). */
$pid = pcntl_fork();
if ($pid === 0) {
    session_id($sid);
    session_start();
    touch("$dir/held");
    ks_sess_wait_file("$dir/end", 30);
    session_write_close();
    exit(0);
}
var_dump(ks_sess_wait_file("$dir/held"));

$warnings = [];
set_error_handler(function ($no, $msg) use (&$warnings) { $warnings[] = $msg; return true; });
session_id($sid);
var_dump(session_start());            /* read-only after 300 ms */
var_dump(session_destroy());          /* the logout */
restore_error_handler();
touch("$dir/end");
pcntl_waitpid($pid, $st);
foreach ($warnings as $w) echo $w, "\n";

/* Whatever session_destroy() answered is what the user got. */
echo 'stored: ', var_export(ks_redis()->cmd('GET', ks_sess_key($sid)), true), "\n";
@unlink("$dir/held"); @unlink("$dir/end"); @rmdir($dir);
?>
--EXPECTF--
bool(true)
bool(true)
bool(false)
session_start(): keepsake: the session lock was not free after %d ms; the session is read-only in this request
session_destroy(): keepsake: session destroy refused: the session is read-only in this request (its lock wait timed out), and the request that holds its lock would write it back
session_destroy(): Session object destruction failed
stored: 'user|s:5:"alice";'
