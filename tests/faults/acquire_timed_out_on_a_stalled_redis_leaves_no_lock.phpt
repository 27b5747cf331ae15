--TEST--
faults: Redis stalls (a busy script) past the read timeout while a request acquires the lock: the request fails with one warning, and when Redis runs that acquire late, the drop sent behind it gives the lock back, so the next request (another process) starts at once instead of waiting out the lock TTL
--SKIPIF--
<?php require __DIR__ . '/../session/sess.inc'; if (!function_exists('pcntl_fork')) die('skip pcntl'); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
keepsake.session.lock_ttl=60000
--FILE--
<?php
require __DIR__ . '/../session/sess.inc';
/* No ob_start(): the fork would inherit and print its buffer. */
$port = ks_redis_start();
$r = ks_redis($port);
ks_sess_use('read_timeout=0.3', $port);

/* Makes Redis busy for $ms in a script of another client; returns once
 * Redis has stopped answering (a PING with a 100 ms timeout goes unanswered). */
function stall(int $port, int $ms) {
    $lua = "local t = redis.call('TIME') local e = t[1] * 1000000 + t[2] + $ms * 1000 "
        . "repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] >= e return 1";
    $p = proc_open(['redis-cli', '-p', (string)$port, 'EVAL', $lua, '0'], [1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
    for ($i = 0; $i < 100; $i++) {
        $s = stream_socket_client("tcp://127.0.0.1:$port", $e, $m, 1);
        stream_set_timeout($s, 0, 100000);
        fwrite($s, "PING\r\n");
        $pong = fgets($s);
        fclose($s);
        if ($pong === false) return $p;
        usleep(20000);
    }
    return $p;
}

/* The next request of $sid, in another process, that may wait 3 s for the lock. */
function next_request(string $sid): string {
    $out = sys_get_temp_dir() . '/ks-stalled-' . getmypid() . '-' . mt_rand();
    $pid = pcntl_fork();
    if ($pid === 0) {
        ini_set('keepsake.session.lock_wait', '3000');
        set_error_handler(fn() => true);
        $n = 'none';
        $ok = ks_sess_request($sid, function () use (&$n) { $n = $_SESSION['n'] ?? 'unset'; $_SESSION['n']++; });
        file_put_contents($out, ($ok ? 'started' : 'did not start') . ", read n=$n");
        exit(0);
    }
    pcntl_waitpid($pid, $st);
    $got = (string)@file_get_contents($out);
    @unlink($out);
    return $got;
}

/* The Lua-free acquire of a read, then strict mode's id check (the same
 * acquire, sent from PS_VALIDATE_SID). The acquire script is armed alike. */
$lines = [];
foreach (['read' => '0', 'strict' => '1'] as $how => $strict) {
    ini_set('session.use_strict_mode', '0');
    $sid = ks_sess_new_id();
    ks_sess_request($sid, function () { $_SESSION['n'] = 1; });
    ini_set('session.use_strict_mode', $strict);
    $p = stall($port, 1500);
    $warnings = [];
    set_error_handler(function ($no, $msg) use (&$warnings) { if (str_contains($msg, 'keepsake:')) $warnings[] = $msg; return true; });
    session_id($sid);
    $ok = session_start();
    restore_error_handler();
    proc_close($p);   /* the stall is over: Redis ran the late acquire, and what followed it */
    /* Printed at the end: output now would stop the next ini_set() of a session setting. */
    $lines[] = "$how: start " . var_export($ok, true) . ', ' . count($warnings) . " warning(s)";
    $lines[] = "$how: lock left: " . $r->cmd('EXISTS', ks_sess_key($sid, ':lock'));
    $lines[] = "$how: next request " . next_request($sid);
}
echo implode("\n", $lines), "\n";
?>
--EXPECT--
read: start false, 1 warning(s)
read: lock left: 0
read: next request started, read n=1
strict: start false, 1 warning(s)
strict: lock left: 0
strict: next request started, read n=1
