--TEST--
faults: a node whose reply declares an array of 2^31 elements (a few bytes) fails the request at once with one warning naming the cause, never allocates and walks 16 GB past the read timeout
--SKIPIF--
<?php require __DIR__ . '/../session/sess.inc'; if (!function_exists('pcntl_fork')) die('skip pcntl'); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/../session/sess.inc';
/* No ob_start(): the fork would inherit and print its buffer. */

/* A fake node (not a Redis): answers whatever it is sent with the header of
 * an array of INT_MAX elements, then stays silent for 10 s. */
$port = ks_free_port();
$srv = stream_socket_server("tcp://127.0.0.1:$port", $e, $m);
$pid = pcntl_fork();
if ($pid === 0) {
    if ($c = @stream_socket_accept($srv, 30)) {
        fread($c, 65536);
        fwrite($c, "*2147483647\r\n");
        sleep(10);
    }
    exit(0);
}
fclose($srv);

ini_set('session.save_handler', 'keepsake');
ini_set('session.save_path', "tcp://127.0.0.1:$port?timeout=0.5&read_timeout=0.5&prefix=" . rawurlencode(ks_sess_prefix()));
$warnings = [];
set_error_handler(function ($no, $msg) use (&$warnings) { if (str_contains($msg, 'keepsake:')) $warnings[] = $msg; return true; });
$t = microtime(true);
session_id(ks_sess_new_id());
var_dump(session_start());
$el = microtime(true) - $t;
restore_error_handler();
exec('kill -KILL ' . $pid);
pcntl_waitpid($pid, $st);
echo count($warnings), ' ', $warnings[0] ?? '', "\n";
echo $el < 5.0 ? "bounded\n" : "took $el s (read timeout 0.5 s)\n";
?>
--EXPECTF--
bool(false)
1 session_start(): keepsake: session read (lock acquire) failed: bad reply from tcp://127.0.0.1:%d: an array of 2147483647 elements (keepsake reads at most 65536)
bounded
