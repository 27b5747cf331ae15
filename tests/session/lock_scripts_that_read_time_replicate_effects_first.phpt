--TEST--
each lock script keepsake sends that reads TIME and then writes calls redis.replicate_commands() before its first command (Redis 6.2 with lua-replicate-commands no refuses writes after TIME otherwise; Redis 7 has no such setting, so this checks the scripts' text as sent, seen through MONITOR)
--SKIPIF--
<?php require __DIR__ . '/sess.inc'; ?>
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
/* A private server holds no script yet: keepsake's EVALSHA gets NOSCRIPT
 * and each script then goes out whole, as EVAL, where MONITOR shows it. */
$port = ks_redis_start();
$mon = stream_socket_client("tcp://127.0.0.1:$port", $e, $m, 2.0);
stream_set_timeout($mon, 10);
fwrite($mon, "MONITOR\r\n");
var_dump(fgets($mon));
ks_sess_use('', $port);

/* A contended request, so that the ACQUIRE script runs (and reads TIME:
 * it queues the waiter) as well as RELEASE. */
$sid = ks_sess_new_id();
ks_redis($port)->cmd('SET', ks_sess_key($sid, ':lock'), 'someone-else', 'PX', '200');
ini_set('keepsake.session.lock_wait', '5000');
var_dump(ks_sess_request($sid, function () { $_SESSION['n'] = 1; }));
$mark = 'mark-' . bin2hex(random_bytes(4));
ks_redis($port)->cmd('ECHO', $mark);

$scripts = [];
$times = 0;
for ($end = microtime(true) + 20; microtime(true) < $end;) {
    $line = fgets($mon);
    if ($line === false || str_contains($line, $mark)) break;
    if (str_contains($line, '[0 lua] "TIME"') || str_contains($line, '[0 lua] "time"')) $times++;
    if (preg_match('/\] "eval" "((?:[^"\\\\]|\\\\.)*)"/i', $line, $mm)) {
        $src = stripcslashes($mm[1]);
        $scripts[str_contains($src, 'ZREMRANGEBYSCORE') ? 'release' : (str_contains($src, "'NX'") ? 'acquire' : 'other')] = $src;
    }
}
ksort($scripts);
echo "TIME ran in a script: ", json_encode($times > 0), "\n";
foreach ($scripts as $name => $src) {
    preg_match('/redis\.\w+\(/', $src, $first);
    echo "$name: reads TIME ", json_encode(str_contains($src, "redis.call('TIME')")),
        ", its first call ", $first[0] ?? 'none', "\n";
}
?>
--EXPECT--
string(5) "+OK
"
bool(true)
TIME ran in a script: true
acquire: reads TIME true, its first call redis.replicate_commands(
release: reads TIME true, its first call redis.replicate_commands(
