<?php
/*
 * bench/session.d/redis_time.php: what one session request costs Redis, per
 * handler. N cycles of session_start(), an increment and
 * session_write_close() on one session, on a redis-server nobody else uses;
 * then, per cycle:
 *   - Redis time: for each command the client sends per request (the lists
 *     below, as bench/session's strace count shows them), its usec_per_call in
 *     INFO commandstats; a script's inner commands are inside its EVALSHA's
 *     time (commandstats also counts them on their own: summing every line
 *     would count them twice, so that sum is printed apart, as "all");
 *   - Redis CPU: used_cpu_user + used_cpu_sys from INFO cpu (what the server
 *     process spent, socket handling included);
 *   - EVALSHA's usec_per_call, for keepsake's scripts;
 *   - the wall time of a cycle.
 * Needs phpredis (for INFO, and as the peer handler):
 *
 *   php -d extension=modules/keepsake.so bench/session.d/redis_time.php PORT [N=20000] [HANDLER]
 *
 * HANDLER: keepsake (default), phpredis (locked), phpredis-unlocked, or all
 * (the three in turn, on the same server). Compare two builds by running it
 * with each keepsake.so on the same server.
 */
[$_, $port, $n, $which] = $argv + [null, 6379, 20000, 'keepsake'];
$port = (int)$port;
$n = (int)$n;
$handlers = [
    'keepsake' => ['session.save_handler' => 'keepsake', 'keepsake.session.locking' => '1',
        'session.save_path' => "tcp://127.0.0.1:$port?prefix=bench:&persistent=1"],
    'phpredis' => ['session.save_handler' => 'redis', 'redis.session.locking_enabled' => '1',
        'session.save_path' => "tcp://127.0.0.1:$port?prefix=bench:&persistent=1"],
    'phpredis-unlocked' => ['session.save_handler' => 'redis', 'redis.session.locking_enabled' => '0',
        'session.save_path' => "tcp://127.0.0.1:$port?prefix=bench:&persistent=1"],
];
/* what each client writes per locked request (steady state, persistent connection) */
$sent = [
    'keepsake' => ['EVALSHA' => 2],
    'phpredis' => ['ECHO' => 1, 'SET' => 1, 'GET' => 1, 'SETEX' => 1, 'EVALSHA' => 1],
    'phpredis-unlocked' => ['ECHO' => 1, 'GET' => 1, 'SETEX' => 1],
];
$run = $which === 'all' ? array_keys($handlers) : [$which];

/* One handler in a child process: INI such as redis.session.locking_enabled
 * is read at startup, and each handler needs its own session module state. */
if (getenv('KSB_REDIS_TIME_CHILD') === '1') {
    foreach ($handlers[$which] as $k => $v) {
        ini_set($k, $v);
    }
    ini_set('session.use_cookies', '0');
    ini_set('session.cache_limiter', '');
    ini_set('session.serialize_handler', 'php');
    ini_set('session.gc_probability', '0');
    $r = new Redis();
    $r->connect('127.0.0.1', $port);
    $sid = bin2hex(random_bytes(16));
    for ($i = 0; $i < 20; $i++) {   /* connect, load the scripts */
        session_id($sid);
        session_start();
        $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1;
        session_write_close();
    }
    $cpu = function () use ($r) {
        $c = $r->info('cpu');
        return ($c['used_cpu_user'] + $c['used_cpu_sys']) * 1e6;
    };
    $r->rawCommand('CONFIG', 'RESETSTAT');
    $c0 = $cpu();
    $t = hrtime(true);
    for ($i = 0; $i < $n; $i++) {
        session_id($sid);
        session_start();
        $_SESSION['n']++;
        session_write_close();
    }
    $wall = (hrtime(true) - $t) / 1e3;
    $c1 = $cpu();
    $all = 0;
    $time = 0.0;
    $evalsha = null;
    foreach ($r->info('commandstats') as $cmd => $line) {
        if (!preg_match('/calls=(\d+),usec=(\d+),usec_per_call=([\d.]+)/', $line, $m) || $cmd === 'cmdstat_info') {
            continue;
        }
        $name = strtoupper(substr($cmd, 8));
        $all += (int)$m[2];
        $time += ($sent[$which][$name] ?? 0) * (float)$m[3];
        if ($name === 'EVALSHA') {
            $evalsha = sprintf('%d calls, %.2f us each', $m[1], $m[3]);
        }
    }
    printf("%-18s Redis time %.2f us/request (all commandstats lines %.2f); Redis CPU %.2f us/request; wall %.1f us/cycle; EVALSHA %s; final n=%d\n",
        $which, $time, $all / $n, ($c1 - $c0) / $n, $wall / $n, $evalsha ?? '-', (int)$_SESSION['n']);
    exit(0);
}

foreach ($run as $h) {
    if (!isset($handlers[$h])) {
        fwrite(STDERR, "unknown handler '$h' (keepsake, phpredis, phpredis-unlocked, all)\n");
        exit(2);
    }
    /* the child gets this process's -d options (the -d extension=keepsake.so) */
    $self = explode("\0", rtrim((string)file_get_contents('/proc/self/cmdline'), "\0"));
    $opts = [];
    for ($i = 1; $i < count($self) - 1; $i++) {
        if ($self[$i] === '-d') {
            array_push($opts, '-d', $self[++$i]);
        } elseif (str_starts_with($self[$i], '-d')) {
            $opts[] = $self[$i];
        }
    }
    foreach ($handlers[$h] as $k => $v) {   /* some of phpredis's settings are read at startup */
        array_push($opts, '-d', $k . '="' . $v . '"');
    }
    $argv2 = array_merge([PHP_BINARY], $opts, [__FILE__, (string)$port, (string)$n, $h]);
    $p = proc_open($argv2, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null,
        ['KSB_REDIS_TIME_CHILD' => '1'] + getenv());
    if (!is_resource($p)) {
        fwrite(STDERR, "$h: cannot start php\n");
        exit(1);
    }
    echo stream_get_contents($pipes[1]);
    fwrite(STDERR, stream_get_contents($pipes[2]));
    proc_close($p);
}
