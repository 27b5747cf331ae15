--TEST--
failure: a write Redis refuses (OOM under noeviction, a value over proto-max-bulk-len) warns once and gives the lock back, so the next request of the session (another process) starts at once instead of waiting out the lock TTL
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
keepsake.session.lock_ttl=60000
--FILE--
<?php
require __DIR__ . '/sess.inc';
/* No ob_start(): the forks would inherit and print its buffer. */
$port = ks_redis_start(['--proto-max-bulk-len', '1mb']);
$r = ks_redis($port);
ks_sess_use('', $port);

/* The next request of $sid, in another process, that may wait 3 s for the
 * lock (the lock TTL is 60 s): "started" when its session_start() got the
 * lock, and what it read. */
function next_request(string $sid): string {
    $out = sys_get_temp_dir() . '/ks-refused-' . getmypid() . '-' . mt_rand();
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

/* session_write_close()'s warnings that are keepsake's own. */
function write_close_warnings(): array {
    $w = [];
    set_error_handler(function ($no, $msg) use (&$w) { if (str_contains($msg, 'keepsake:')) $w[] = $msg; return true; });
    session_write_close();
    restore_error_handler();
    return $w;
}

/* 1. Redis is out of memory (noeviction) when the write comes. */
$sid = ks_sess_new_id();
ks_sess_request($sid, function () { $_SESSION['n'] = 1; });
session_id($sid);
session_start();
$_SESSION['n'] = 100;
$r->cmd('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
$r->cmd('CONFIG', 'SET', 'maxmemory', '1');
$w = write_close_warnings();
echo 'oom: ', count($w), ' warning(s), ', str_contains($w[0] ?? '', 'OOM command not allowed') ? 'quoting OOM' : 'not quoting OOM', "\n";
echo 'oom: lock left: ', $r->cmd('EXISTS', ks_sess_key($sid, ':lock')), "\n";
$r->cmd('CONFIG', 'SET', 'maxmemory', '0');
echo 'oom: next request ', next_request($sid), "\n";
echo 'oom: stored ', $r->cmd('GET', ks_sess_key($sid)), "\n";

/* 2. The data is longer than proto-max-bulk-len: Redis answers a protocol
 *    error and closes the connection (the write may also meet the reset). */
$sid = ks_sess_new_id();
ks_sess_request($sid, function () { $_SESSION['n'] = 1; });
session_id($sid);
session_start();
$_SESSION['blob'] = str_repeat('x', 2 * 1024 * 1024);
$w = write_close_warnings();
echo 'too long: ', count($w), " warning(s)\n";
echo 'too long: lock left: ', $r->cmd('EXISTS', ks_sess_key($sid, ':lock')), "\n";
echo 'too long: next request ', next_request($sid), "\n";
echo 'too long: stored ', $r->cmd('GET', ks_sess_key($sid)), "\n";
?>
--EXPECT--
oom: 1 warning(s), quoting OOM
oom: lock left: 0
oom: next request started, read n=1
oom: stored n|i:2;
too long: 1 warning(s)
too long: lock left: 0
too long: next request started, read n=1
too long: stored n|i:2;
