<?php
/*
 * scripts/faults.d/main.php: the fault scenarios under php-fpm + nginx + wrk
 * (run by scripts/faults, which builds keepsake, starts the Sentinel and
 * Cluster topologies with scripts/topology and exports $KSB_RUN, $KSF_SO,
 * $KSF_QUICK (no Sentinel or Cluster), $KSF_ONLY and the KEEPSAKE_TOPO_*
 * variables).
 *
 * Each scenario starts its own redis-server (or uses a topology), one
 * php-fpm pool (8 workers, keepsake, short timeouts) behind the shared
 * nginx, and runs wrk with 16 connections over 200 sessions while it
 * injects its fault, until 3 s after the fault was repaired. The page (counter.php) logs every request; the
 * analysis reads those logs and the sessions stored in Redis afterwards:
 *   ok / failed         requests that answered 200 / 500 (wrk's own counts too)
 *   failed outside      failures that started before the fault or more than
 *                       1 s after it was repaired
 *   max ms              the longest request (a hang would show here)
 *   back after          first success, and last failure, after the repair
 *   lost                successful increments missing from the stored counter
 *   phantom             stored increments whose request reported a failure
 * Every start and wait is bounded; daemons write pid files under
 * $KSB_RUN/pids, which the wrapper's trap stops.
 */
require __DIR__ . '/../../bench/session.d/lib.inc';
require __DIR__ . '/../../bench/session.d/services.inc';

$run = ksb_env('KSB_RUN');
$so = ksb_env('KSF_SO');
$quick = ksb_env('KSF_QUICK') === '1';
$only = array_filter(explode(',', ksb_env('KSF_ONLY')));
if (!$only && $quick) {
    $only = ['restart', 'terminate', 'oom'];
}

@mkdir("$run/www", 0755, true);
copy(__DIR__ . '/counter.php', "$run/www/counter.php");
$nginx = ksb_start_nginx("$run/www");
if (is_string($nginx)) {
    ksb_log($nginx);
    exit(1);
}
$sids = [];
for ($i = 0; $i < 200; $i++) {
    $sids[] = bin2hex(random_bytes(16));
}
file_put_contents("$run/sids", implode("\n", $sids) . "\n");

/* One php-fpm pool named $name for save_path $path; returns its log dir or a reason. */
function ksf_pool(string $name, string $path, array $ini = [], array $pool = []): string|array
{
    global $run, $so;
    $log = "$run/log-$name";
    @mkdir($log, 0777, true);
    $ini += [
        'session.save_handler' => 'keepsake', 'session.save_path' => $path, 'session.use_strict_mode' => '0',
        'session.serialize_handler' => 'php', 'session.gc_probability' => '0', 'session.lazy_write' => '1',
        'keepsake.session.lock_ttl' => '2000', 'max_execution_time' => '0', 'html_errors' => '0',
    ];
    $r = ksb_start_fpm($name, $ini, ["extension=$so"], 8, ['KSF_LOG' => $log], $pool);
    return $r === true ? [$log] : $r;
}

/* wrk over the 200 sessions for $seconds, or until ksf_wrk_stop() when null. */
function ksf_wrk_start(string $name, ?int $seconds = null): array
{
    global $run, $nginx;
    return ksb_spawn(['wrk', '-t2', '-c16', '-d' . ($seconds ?? 120) . 's', '--timeout', '10s',
        '-s', __DIR__ . '/../../bench/session.d/wrk-sessions.lua', "http://127.0.0.1:$nginx/$name/counter.php"],
        ['KSB_SIDS' => "$run/sids"]);
}

/* Stops an open-ended wrk (SIGINT: it prints its summary) and returns its counts. */
function ksf_wrk_stop(array $h): array
{
    if ($h['proc']) {
        proc_terminate($h['proc'], SIGINT);
    }
    return ksf_wrk_end($h, 0);
}

function ksf_wrk_end(array $h, int $seconds): array
{
    $r = ksb_wait([$h], ksb_now_ms() + ($seconds + 30) * 1000)[0];
    $o = (string)@file_get_contents($h['out']);
    return [
        'requests' => preg_match('/(\d+) requests in/', $o, $x) ? (int)$x[1] : null,
        'non2xx' => preg_match('/Non-2xx or 3xx responses: (\d+)/', $o, $x) ? (int)$x[1] : 0,
        'socket' => preg_match('/Socket errors: (.*)/', $o, $x) ? trim($x[1]) : '',
        'rc' => $r['rc'],
    ];
}

/* The page's log lines: [t0, t1, sid, status, n, own, phase, warning]. */
function ksf_log(string $dir): array
{
    $rows = [];
    foreach (glob("$dir/*.log") ?: [] as $f) {
        foreach (file($f, FILE_IGNORE_NEW_LINES) as $l) {
            $p = explode(' ', $l, 8);
            if (count($p) === 8) {
                $rows[] = ['t0' => (float)$p[0], 't1' => (float)$p[1], 'sid' => $p[2], 'status' => (int)$p[3],
                    'n' => $p[4] === '-' ? null : (int)$p[4], 'own' => (int)$p[5], 'phase' => $p[6], 'warn' => $p[7]];
            }
        }
    }
    usort($rows, fn($a, $b) => $a['t0'] <=> $b['t0']);
    return $rows;
}

/* The counter stored for each sid, through $get(key) (raw value or null). */
function ksf_stored(array $sids, string $prefix, callable $get): array
{
    $out = [];
    foreach ($sids as $sid) {
        $raw = $get($prefix . '{' . $sid . '}');
        $out[$sid] = $raw === null || $raw === '' ? 0 : (preg_match('/^n\|i:(\d+);$/', $raw, $m) ? (int)$m[1] : -1);
    }
    return $out;
}

function ksf_redis_get(int $port): callable
{
    return function (string $key) use ($port) {
        $r = ksb_redis_cli($port, ['--no-raw', 'GET', $key]);
        $o = rtrim($r['out'], "\n");
        if ($r['rc'] !== 0 || $o === '(nil)' || $o === '') {
            return null;
        }
        return stripcslashes(trim($o, '"'));
    };
}

/*
 * The table row for a scenario. $from/$to bound the fault (unix seconds);
 * $base is stored counters before the load (for sessions that existed).
 */
function ksf_row(string $name, array $rows, array $wrk, ?float $from, ?float $to, array $stored, array $base = [], string $notes = ''): array
{
    $ok = $failed = $outside = 0;
    $maxms = 0;
    $first_ok_after = $last_fail_after = null;
    $okper = [];
    $failper = [];
    $warn_bad = 0;
    foreach ($rows as $r) {
        $maxms = max($maxms, (int)round(($r['t1'] - $r['t0']) * 1000));
        if ($r['status'] === 200) {
            $ok++;
            $okper[$r['sid']] = ($okper[$r['sid']] ?? 0) + 1;
            if ($to !== null && $r['t0'] >= $to && $first_ok_after === null) {
                $first_ok_after = $r['t1'] - $to;
            }
            continue;
        }
        $failed++;
        $failper[$r['sid']] = ($failper[$r['sid']] ?? 0) + 1;
        if ($r['own'] !== 1) {
            $warn_bad++;
        }
        if ($from === null || $r['t1'] < $from || $r['t0'] > $to + 1.0) {
            $outside++;
        }
        if ($to !== null && $r['t1'] > $to) {
            $last_fail_after = max($last_fail_after ?? 0, $r['t1'] - $to);
        }
    }
    $lost = $phantom = $corrupt = 0;
    foreach ($stored as $sid => $n) {
        if ($n < 0) {
            $corrupt++;
            continue;
        }
        $d = $n - ($base[$sid] ?? 0) - ($okper[$sid] ?? 0);
        if ($d < 0) {
            $lost += -$d;
        } else {
            $phantom += $d;
        }
    }
    return ['scenario' => $name, 'requests' => count($rows), 'ok' => $ok, 'failed' => $failed,
        'outside' => $from === null ? '-' : $outside, 'warn_not_1' => $warn_bad, 'max_ms' => $maxms,
        'first_ok' => $first_ok_after === null ? '-' : sprintf('%.2f s', $first_ok_after),
        'last_fail' => $last_fail_after === null ? 'none' : sprintf('%.2f s', $last_fail_after),
        'lost' => $lost, 'phantom' => $phantom, 'corrupt' => $corrupt,
        'wrk' => "{$wrk['requests']} req, {$wrk['non2xx']} non-2xx" . ($wrk['socket'] ? ", socket errors {$wrk['socket']}" : ''),
        'notes' => $notes];
}

function ksf_sample_warning(array $rows): string
{
    foreach ($rows as $r) {
        if ($r['status'] !== 200 && $r['warn'] !== '-') {
            return preg_replace('/ in \S+ on line \d+$/', '', $r['warn']);
        }
    }
    return '';
}

/* ---- scenarios ------------------------------------------------------ */

/* Redis killed (-9) and restarted on the same port under load; AOF fsync always, so an acknowledged write survives. */
function ksf_kill_restart(): array
{
    global $sids;
    $port = ks_free_port();   /* below the ephemeral range: no client's local port while it is down */
    $r = ksb_start_redis('redis-kr', ['--appendonly', 'yes', '--appendfsync', 'always'], $port);
    if (is_string($r)) {
        return ['scenario' => 'Redis killed and restarted', 'error' => $r];
    }
    $prefix = 'ksf:kr:';
    $pool = ksf_pool('kr', "tcp://127.0.0.1:$port?prefix=" . rawurlencode($prefix) . '&timeout=0.5&read_timeout=0.5');
    if (is_string($pool)) {
        return ['scenario' => 'Redis killed and restarted', 'error' => $pool];
    }
    $h = ksf_wrk_start('kr');
    sleep(3);
    $pid = (int)@file_get_contents(ksb_pidfile('redis-kr'));
    $from = microtime(true);
    posix_kill($pid, SIGKILL);
    ksb_wait_until(fn() => !ksb_pid_alive($pid), 5);
    sleep(2);
    $r = ksb_start_redis('redis-kr', ['--appendonly', 'yes', '--appendfsync', 'always'], $port);
    $to = microtime(true);   /* answering PING again */
    /* A restart that failed (the port taken meanwhile, a slow AOF load) would
     * show as "everything lost": say so instead of measuring a dead server. */
    $restart = is_string($r) ? "RESTART FAILED, the row is not a measurement: $r. " : '';
    sleep(3);
    $wrk = ksf_wrk_stop($h);
    $rows = ksf_log($pool[0]);
    $stored = ksf_stored($sids, $prefix, ksf_redis_get($port));
    ksb_stop_fpm('kr');
    ksb_stop_pidfile(ksb_pidfile('redis-kr'));
    return ksf_row('Redis killed (-9) for 2 s, restarted', $rows, $wrk, $from, $to, $stored, [],
        $restart . sprintf('down %.1f s; timeouts 0.5 s; AOF fsync always. ', $to - $from) . ksf_sample_warning($rows));
}

/* Raw HTTP GET to nginx; returns [status, seconds] (status 0 on timeout). */
function ksf_http(string $path, string $sid, float $timeout): array
{
    global $nginx;
    $t = microtime(true);
    $s = @stream_socket_client("tcp://127.0.0.1:$nginx", $e, $m, 2);
    if (!$s) {
        return [0, 0.0];
    }
    stream_set_timeout($s, (int)ceil($timeout));
    fwrite($s, "GET $path HTTP/1.0\r\nHost: 127.0.0.1\r\nCookie: PHPSESSID=$sid\r\n\r\n");
    $l = fgets($s);
    stream_get_contents($s);
    fclose($s);
    return [preg_match('/^HTTP\/1\.\d (\d+)/', (string)$l, $m) ? (int)$m[1] : 0, microtime(true) - $t];
}

/*
 * request_terminate_timeout kills requests that hold their session's lock.
 * The user's next request is sent once the killed one has answered (502),
 * as a user retrying would: it waits for the lock's TTL to end, which must
 * come before its own request_terminate_timeout kills it too (lock TTL 6 s,
 * terminate 3 s: fpm kills at 3-4 s, the lock ends at 6 s). Other users'
 * load must not notice.
 */
function ksf_terminate(): array
{
    global $sids;
    $port = ks_free_port();
    $r = ksb_start_redis('redis-rt', [], $port);
    if (is_string($r)) {
        return ['scenario' => 'request_terminate_timeout', 'error' => $r];
    }
    $prefix = 'ksf:rt:';
    $ttl = 6000;
    $pool = ksf_pool('rt', "tcp://127.0.0.1:$port?prefix=" . rawurlencode($prefix) . '&timeout=0.5&read_timeout=0.5',
        ['keepsake.session.lock_ttl' => (string)$ttl], ['request_terminate_timeout' => '3s']);
    if (is_string($pool)) {
        return ['scenario' => 'request_terminate_timeout', 'error' => $pool];
    }
    $h = ksf_wrk_start('rt');
    sleep(1);
    $trials = [];
    $victims = [];
    $from = microtime(true);
    for ($i = 0; $i < 2; $i++) {
        $victim = bin2hex(random_bytes(16));
        $victims[] = $victim;
        $pid = pcntl_fork();
        if ($pid === 0) {
            ksf_http("/rt/counter.php?sleep=30", $victim, 20);   /* killed by fpm after 3 s: 502 */
            exit(0);
        }
        $locked = ksb_wait_until(fn() => trim(ksb_redis_cli($port, ['EXISTS', $prefix . '{' . $victim . '}:lock'])['out']) === '1', 5);
        $t_lock = microtime(true);
        pcntl_waitpid($pid, $x);
        $t_killed = microtime(true) - $t_lock;
        [$st, $secs] = ksf_http('/rt/counter.php', $victim, 20);
        $trials[] = $locked ? sprintf('killed after %.1f s, next request %d after %.1f s more (%.1f s after the lock was taken)',
            $t_killed, $st, $secs, microtime(true) - $t_lock) : 'the slow request never took the lock';
    }
    sleep(1);
    $wrk = ksf_wrk_stop($h);
    $rows = array_values(array_filter(ksf_log($pool[0]), fn($r) => !in_array($r['sid'], $victims, true)));
    $stored = ksf_stored($sids, $prefix, ksf_redis_get($port));
    $vstored = ksf_stored($victims, $prefix, ksf_redis_get($port));
    $killed = substr_count((string)@file_get_contents(ksb_env('KSB_RUN') . '/fpm-rt/fpm.log'), 'execution timed out');
    ksb_stop_fpm('rt');
    ksb_stop_pidfile(ksb_pidfile('redis-rt'));
    return ksf_row('request_terminate_timeout (3 s) kills lock holders; other users', $rows, $wrk, null, null, $stored, [],
        "$killed requests killed by fpm (lock TTL " . ($ttl / 1000) . ' s); ' . implode('; ', $trials)
        . '; the victims\' counters ' . json_encode(array_values($vstored)) . ' (1 each: the killed increment was never written)');
}

/* Redis at maxmemory (noeviction): every write refused. */
function ksf_oom(): array
{
    global $sids;
    $port = ks_free_port();
    $r = ksb_start_redis('redis-oom', [], $port);
    if (is_string($r)) {
        return ['scenario' => 'OOM', 'error' => $r];
    }
    $prefix = 'ksf:oom:';
    $pool = ksf_pool('oom', "tcp://127.0.0.1:$port?prefix=" . rawurlencode($prefix) . '&timeout=0.5&read_timeout=0.5');
    if (is_string($pool)) {
        return ['scenario' => 'OOM', 'error' => $pool];
    }
    $get = ksf_redis_get($port);
    $w0 = ksf_wrk_end(ksf_wrk_start('oom', 3), 3);
    $base = ksf_stored($sids, $prefix, $get);
    $raw0 = array_map($get, array_map(fn($s) => $prefix . '{' . $s . '}', $sids));
    $cut = microtime(true);
    ksb_redis_cli($port, ['CONFIG', 'SET', 'maxmemory-policy', 'noeviction']);
    ksb_redis_cli($port, ['CONFIG', 'SET', 'maxmemory', '1']);
    $w1 = ksf_wrk_end(ksf_wrk_start('oom', 4), 4);
    $raw1 = array_map($get, array_map(fn($s) => $prefix . '{' . $s . '}', $sids));
    $locks = trim(ksb_redis_cli($port, ['EVAL', "return #redis.call('KEYS', ARGV[1])", '0', $prefix . '*:lock'])['out']);
    ksb_redis_cli($port, ['CONFIG', 'SET', 'maxmemory', '0']);
    $to = microtime(true);
    $w2 = ksf_wrk_end(ksf_wrk_start('oom', 3), 3);
    $rows = array_values(array_filter(ksf_log($pool[0]), fn($r) => $r['t0'] >= $cut));
    $stored = ksf_stored($sids, $prefix, $get);
    $changed = count(array_filter(array_keys($raw0), fn($i) => $raw0[$i] !== $raw1[$i]));
    $during = array_values(array_filter($rows, fn($r) => $r['t1'] <= $to));
    $wrk = ['requests' => $w1['requests'] + $w2['requests'], 'non2xx' => $w1['non2xx'] + $w2['non2xx'], 'socket' => $w1['socket'] . $w2['socket']];
    ksb_stop_fpm('oom');
    ksb_stop_pidfile(ksb_pidfile('redis-oom'));
    return ksf_row('Redis at maxmemory (noeviction), 4 s', $rows, $wrk, $cut, $to, $stored, $base,
        count($during) . " requests during OOM, sessions changed during OOM: $changed, locks left: $locks. " . ksf_sample_warning($rows));
}

/*
 * Sentinel: the master killed (-9) under load; the sentinels (down-after
 * 1 s) promote the replica. One failover per run: Sentinel will not fail
 * the same master over again within 2 x failover-timeout.
 */
function ksf_sentinel(): array
{
    global $sids;
    $sen = ksb_env('KEEPSAKE_TOPO_SENTINELS');
    $name = ksb_env('KEEPSAKE_TOPO_SENTINEL_NAME');
    if ($sen === '') {
        return ['scenario' => 'Sentinel failover', 'error' => 'the sentinel topology is not running'];
    }
    $prefix = 'ksf:sen:';
    $pool = ksf_pool('sen', "sentinel://$sen?master=$name&prefix=" . rawurlencode($prefix) . '&timeout=0.5&read_timeout=0.5');
    if (is_string($pool)) {
        return ['scenario' => 'Sentinel failover', 'error' => $pool];
    }
    $s1 = (int)explode(':', explode(',', $sen)[0])[1];
    $master = function () use ($s1, $name) {
        $o = explode("\n", trim(ksb_redis_cli($s1, ['SENTINEL', 'get-master-addr-by-name', $name])['out']));
        return (int)($o[1] ?? 0);
    };
    $m0 = $master();
    $h = ksf_wrk_start('sen');
    sleep(3);
    $pid = preg_match('/process_id:(\d+)/', ksb_redis_cli($m0, ['INFO', 'server'])['out'], $x) ? (int)$x[1] : 0;
    $from = microtime(true);
    if ($pid > 0) {
        posix_kill($pid, SIGKILL);
    }
    $ok = ksb_wait_until(fn() => !in_array($master(), [0, $m0], true)
        && str_contains(ksb_redis_cli($master(), ['ROLE'])['out'], 'master'), 30);
    $to = microtime(true);
    sleep(3);
    $wrk = ksf_wrk_stop($h);
    $rows = ksf_log($pool[0]);
    $stored = ksf_stored($sids, $prefix, ksf_redis_get($master()));
    ksb_stop_fpm('sen');
    return ksf_row('Sentinel: master killed (-9), replica promoted', $rows, $wrk, $from, $to, $stored, [],
        ($ok ? sprintf('the sentinels promoted the replica %.1f s after the kill (down-after 1 s); ', $to - $from)
            : 'no promotion within 30 s; ') . 'replication is asynchronous, so a write acknowledged just before the kill can be lost. '
        . ksf_sample_warning($rows));
}

/* Cluster: a manual failover (CLUSTER FAILOVER on a replica), then a master killed (-9). */
function ksf_cluster(): array
{
    global $sids;
    $nodes = array_filter(explode(',', ksb_env('KEEPSAKE_TOPO_CLUSTER')));
    if (!$nodes) {
        return ['scenario' => 'Cluster failover', 'error' => 'the cluster topology is not running'];
    }
    $prefix = 'ksf:clu:';
    $pool = ksf_pool('clu', 'cluster://' . $nodes[0] . ',' . $nodes[1] . '?prefix=' . rawurlencode($prefix) . '&timeout=0.5&read_timeout=0.5');
    if (is_string($pool)) {
        return ['scenario' => 'Cluster failover', 'error' => $pool];
    }
    $port = fn($hp) => (int)explode(':', $hp)[1];
    /* [master port => replica port] from CLUSTER NODES */
    $pairs = function () use ($nodes, $port) {
        foreach ($nodes as $n) {
            $o = ksb_redis_cli($port($n), ['CLUSTER', 'NODES']);
            if ($o['rc'] !== 0 || $o['out'] === '') {
                continue;
            }
            $byid = [];
            $rows = [];
            foreach (explode("\n", trim($o['out'])) as $l) {
                $f = explode(' ', $l);
                if (count($f) < 8 || str_contains($f[2], 'fail')) {
                    continue;
                }
                $byid[$f[0]] = $port(explode('@', $f[1])[0]);
                $rows[] = $f;
            }
            $p = [];
            foreach ($rows as $f) {
                if (str_contains($f[2], 'slave') && isset($byid[$f[3]])) {
                    $p[$byid[$f[3]]] = $byid[$f[0]];
                }
            }
            return $p;
        }
        return [];
    };
    $h = ksf_wrk_start('clu');
    sleep(3);
    $p = $pairs();
    $from = microtime(true);
    $m0 = array_key_first($p);
    ksb_redis_cli($p[$m0], ['CLUSTER', 'FAILOVER']);
    $is_master = fn($port) => str_starts_with(ltrim(ksb_redis_cli($port, ['ROLE'])['out']), 'master');
    ksb_wait_until(fn() => $is_master($p[$m0]), 15);
    $t1 = microtime(true);
    sleep(3);
    $p2 = $pairs();
    $victim = null;
    foreach ($p2 as $m => $rep) {
        if ($m !== $p[$m0]) {
            $victim = $m;
            break;
        }
    }
    $t2 = microtime(true);
    if ($victim) {
        $info = ksb_redis_cli($victim, ['INFO', 'server'])['out'];
        if (preg_match('/process_id:(\d+)/', $info, $x)) {
            posix_kill((int)$x[1], SIGKILL);
        }
        ksb_wait_until(fn() => $is_master($p2[$victim]), 30);
    }
    $to = microtime(true);
    sleep(3);
    $wrk = ksf_wrk_stop($h);
    $rows = ksf_log($pool[0]);
    $any = $port($nodes[0]) === $victim ? $port($nodes[1]) : $port($nodes[0]);
    $stored = ksf_stored($sids, $prefix, function ($key) use ($any) {
        $r = ksb_redis_cli($any, ['-c', '--no-raw', 'GET', $key]);
        $o = rtrim($r['out'], "\n");
        return $r['rc'] !== 0 || $o === '(nil)' || $o === '' ? null : stripcslashes(trim($o, '"'));
    });
    ksb_stop_fpm('clu');
    return ksf_row('Cluster: manual failover, then a master killed (-9)', $rows, $wrk, $from, $to, $stored, [],
        sprintf('manual failover took %.1f s; the killed master\'s replica took over in %.1f s (node timeout 2 s). ', $t1 - $from, $to - $t2)
        . ksf_sample_warning($rows));
}

/* ---- run and report --------------------------------------------------- */

$all = ['restart' => 'ksf_kill_restart', 'terminate' => 'ksf_terminate', 'oom' => 'ksf_oom',
    'sentinel' => 'ksf_sentinel', 'cluster' => 'ksf_cluster'];
$res = [];
foreach ($all as $k => $fn) {
    if ($only && !in_array($k, $only, true)) {
        continue;
    }
    ksb_log("scenario: $k");
    $res[] = $fn();
}

$cols = ['scenario' => 'scenario', 'requests' => 'requests', 'ok' => 'ok', 'failed' => 'failed',
    'outside' => 'failed outside fault+1 s', 'warn_not_1' => 'failed without exactly 1 warning',
    'max_ms' => 'max request ms', 'first_ok' => 'first ok after repair', 'last_fail' => 'last failure after repair',
    'lost' => 'lost updates', 'phantom' => 'phantom updates', 'corrupt' => 'corrupt sessions'];
$commit = trim((string)shell_exec('git -C ' . escapeshellarg(__DIR__) . ' rev-parse --short HEAD 2>/dev/null'));
$head = sprintf("Run %s UTC at `%s`, load average %s on %d cores.\n\n", gmdate('Y-m-d H:i'), $commit ?: '?',
    explode(' ', (string)@file_get_contents('/proc/loadavg'))[0], (int)shell_exec('nproc'));
$md = $head . '| ' . implode(' | ', $cols) . " |\n|" . str_repeat(' --- |', count($cols)) . "\n";
$txt = '';
$notes = '';
foreach ($res as $r) {
    if (isset($r['error'])) {
        $md .= "| {$r['scenario']} | n/a: " . str_replace('|', '/', $r['error']) . ' |' . str_repeat(' |', count($cols) - 2) . "\n";
        $txt .= "{$r['scenario']}: n/a ({$r['error']})\n";
        continue;
    }
    $md .= '| ' . implode(' | ', array_map(fn($k) => str_replace('|', '/', (string)$r[$k]), array_keys($cols))) . " |\n";
    foreach ($cols as $k => $label) {
        $txt .= sprintf("%-34s %s\n", $label, $r[$k]);
    }
    $txt .= sprintf("%-34s %s\n%-34s %s\n\n", 'wrk', $r['wrk'], 'notes', $r['notes']);
    $notes .= "- **{$r['scenario']}**: {$r['notes']} (wrk: {$r['wrk']})\n";
}
$out = ksb_env('KSF_OUT');
@mkdir($out, 0755, true);
file_put_contents("$out/last.md", $md . "\n" . $notes);
file_put_contents("$out/last.txt", $txt);
echo $txt, "\n", $md, "\n", $notes;
exit(0);
