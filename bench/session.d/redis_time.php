<?php
/*
 * bench/session.d/redis_time.php: the time Redis spends on keepsake's lock
 * scripts per locked request. N cycles of session_start(), an increment and
 * session_write_close() on one session, then INFO commandstats: EVALSHA's
 * usec_per_call (acquire and release averaged) and its usec per cycle.
 * Needs phpredis (for INFO) and a redis-server nobody else uses:
 *
 *   php -d extension=modules/keepsake.so bench/session.d/redis_time.php PORT [N=20000]
 *
 * Compare two builds by running it with each keepsake.so on the same server.
 */
[$_, $port, $n] = $argv + [null, 6379, 20000];
$n = (int)$n;
ini_set('session.use_cookies', '0');
ini_set('session.cache_limiter', '');
ini_set('session.serialize_handler', 'php');
ini_set('session.gc_probability', '0');
ini_set('session.save_handler', 'keepsake');
ini_set('session.save_path', "tcp://127.0.0.1:$port?prefix=bench:&persistent=1");
$r = new Redis();
$r->connect('127.0.0.1', (int)$port);
$sid = bin2hex(random_bytes(16));
session_id($sid);
session_start();   // loads the scripts
$_SESSION['n'] = 0;
session_write_close();
$r->rawCommand('CONFIG', 'RESETSTAT');
$t = microtime(true);
for ($i = 0; $i < $n; $i++) {
    session_id($sid);
    session_start();
    $_SESSION['n']++;
    session_write_close();
}
$wall = microtime(true) - $t;
preg_match('/calls=(\d+),usec=(\d+),usec_per_call=([\d.]+)/', $r->info('commandstats')['cmdstat_evalsha'], $m);
printf("EVALSHA calls=%d usec_per_call=%.2f; Redis time per locked request %.2f us; wall %.1f us per request; stored %s\n",
    $m[1], $m[3], $m[2] / $n, $wall * 1e6 / $n, $r->get("bench:{{$sid}}"));
