<?php
/*
 * bench/session.d/main.php: the session benchmark orchestrator, run by
 * bench/session (which installs packages, builds keepsake, makes the private
 * run dir $KSB_RUN and stops every daemon on exit).
 *
 * Handlers ("columns") are grouped by topology:
 *   single   keepsake, phpredis (locking, persistent), phpredis unlocked, php-memcached
 *            (locking), files
 *   cluster  keepsake cluster://, phpredis rediscluster (which has no locking)
 *   tls      keepsake tls://, phpredis tls://
 *   delay    the single group's Redis handlers and memcached through
 *            delay_proxy (KSB_DELAY_US, default 100 us, each way): CLI cycles
 *            only, to show what round trips cost once the server is a hop away
 * A handler that cannot run (keepsake not built, a scheme not supported yet,
 * a server that did not start) keeps its column with "n/a" and the reason.
 *
 * Measurements, each per handler, all in this one run:
 *   cycles     one CLI process, start -> modify -> close, cycles per second
 *   rt         round trips per locked request, from strace'd socket writes
 *   contend    8 processes x N increments on one session id
 *   handoff    lock hand-off latency (holder releases -> waiter acquires)
 *   fpm        php-fpm (8 static workers) + nginx + wrk over 1000 sessions
 */

require __DIR__ . '/lib.inc';
require __DIR__ . '/services.inc';
require __DIR__ . '/strace.inc';
require __DIR__ . '/report.inc';

$quick = ksb_env('KSB_QUICK') === '1';
$run = ksb_env('KSB_RUN');
$so = ksb_env('KSB_KEEPSAKE_SO');
$ks_reason = ksb_env('KSB_KEEPSAKE_REASON', 'not built');
$only = array_filter(explode(',', ksb_env('KSB_ONLY')));   /* measurement subset, for debugging */
$groups = array_filter(explode(',', ksb_env('KSB_GROUPS', 'single,cluster,tls,delay')));
$delay_us = (int)ksb_env('KSB_DELAY_US', '100');

$P = $quick
    ? ['cycles_n' => 100000, 'cycles_ms' => 200, 'cycles_rounds' => 2, 'rt_k' => 20, 'contend_procs' => 8, 'contend_n' => 100,
       'handoff_trials' => 8, 'wrk_s' => 2, 'wrk_rounds' => 1, 'wrk_warm_s' => 1, 'sessions' => 1000]
    : ['cycles_n' => 100000, 'cycles_ms' => 600, 'cycles_rounds' => 9, 'rt_k' => 100, 'contend_procs' => 8, 'contend_n' => 1000,
       'handoff_trials' => 40, 'wrk_s' => 5, 'wrk_rounds' => 3, 'wrk_warm_s' => 2, 'sessions' => 1000];
foreach ($P as $k => $v) {
    $e = ksb_env('KSB_' . strtoupper($k));
    if ($e !== '') {
        $P[$k] = (int)$e;
    }
}

pcntl_async_signals(true);
foreach ([SIGINT, SIGTERM] as $sig) {
    pcntl_signal($sig, function () {
        ksb_log('interrupted: stopping servers');
        ksb_stop_daemons();
        exit(130);
    });
}
register_shutdown_function('ksb_stop_daemons');

$results = ['params' => $P, 'quick' => $quick, 'started' => gmdate('Y-m-d H:i:s') . ' UTC',
    'env' => ksb_environment($so), 'handlers' => [], 'notes' => []];

$selftest = ksb_strace_selftest();
if ($selftest) {
    ksb_log('the round-trip counter fails its self-test: ' . implode('; ', $selftest));
    exit(1);
}

/* ---- servers ------------------------------------------------------------ */
ksb_log('starting redis-server and memcached');
$redis_port = ksb_start_redis('redis');
$memc_port = ksb_start_memcached();
$files_dir = "$run/files-sessions";
@mkdir($files_dir, 0700, true);
/* Without these two there is no comparison to make: that is "could not run".
 * The cluster and TLS servers are optional columns: they become n/a. */
foreach ([$redis_port, $memc_port] as $p) {
    if (is_string($p)) {
        ksb_log("cannot run: $p");
        exit(1);
    }
}

$cli_common = ['session.use_cookies' => '0', 'session.cache_limiter' => '', 'session.use_strict_mode' => '0',
    'session.gc_probability' => '0', 'session.lazy_write' => '1', 'display_errors' => 'stderr',
    'max_execution_time' => '0'];
$fpm_common = ['session.use_strict_mode' => '0', 'session.gc_probability' => '0', 'session.lazy_write' => '1'];
$ks_ext = $so !== '' ? ["extension=$so"] : [];

$H = [];
$def = function (string $name, string $group, string $label, string $kind, array $ini, array $ports,
                 array $ext, $down, bool $locking = true, array $tls = []) use (&$H) {
    $H[$name] = ['name' => $name, 'group' => $group, 'label' => $label, 'kind' => $kind, 'ini' => $ini,
        'ports' => $ports, 'ext' => $ext, 'na' => $down, 'locking' => $locking, 'tls' => $tls];
};
/* The single group's handlers for Redis and memcached, on the given ports
 * (the servers', or the delay proxies'); $sfx names the group's columns. */
$def_single = function (string $sfx, string $group, $rp, $mp) use ($def, $ks_ext, $so, $ks_reason) {
    $rdown = is_string($rp) ? $rp : null;
    $rp = is_int($rp) ? $rp : 0;
    $def("keepsake$sfx", $group, 'keepsake', 'redis', ['session.save_handler' => 'keepsake',
        'session.save_path' => "tcp://127.0.0.1:$rp?persistent=1", 'keepsake.session.locking' => '1'],
        [$rp], $ks_ext, $so === '' ? $ks_reason : $rdown);
    $def("redis$sfx", $group, 'phpredis', 'redis', ['session.save_handler' => 'redis',
        'session.save_path' => "tcp://127.0.0.1:$rp?persistent=1", 'redis.session.locking_enabled' => '1'],
        [$rp], [], $rdown);
    $def("redis-unlocked$sfx", $group, 'phpredis-unlocked', 'redis', ['session.save_handler' => 'redis',
        'session.save_path' => "tcp://127.0.0.1:$rp?persistent=1", 'redis.session.locking_enabled' => '0'],
        [$rp], [], $rdown, false);
    $mdown = is_string($mp) ? $mp : null;
    $mp = is_int($mp) ? $mp : 0;
    $def("memcached$sfx", $group, 'memcached', 'memcached', ['session.save_handler' => 'memcached',
        'session.save_path' => "127.0.0.1:$mp", 'memcached.sess_locking' => '1',
        'memcached.sess_persistent' => '1'], [$mp], [], $mdown);
};

if (in_array('single', $groups, true)) {
    $def_single('', 'single', $redis_port, $memc_port);
    $def('files', 'single', 'files', 'files', ['session.save_handler' => 'files',
        'session.save_path' => $files_dir], [], [], null);
    $results['notes'][] = "phpredis-unlocked is phpredis with redis.session.locking_enabled=0 (its default): "
        . 'no lock, so its contention run loses updates; it is the floor of what a session costs Redis.';
}

if (in_array('delay', $groups, true)) {
    ksb_log("starting delay proxies ($delay_us us each way) in front of redis-server and memcached");
    $dr = is_int($redis_port) ? ksb_start_delay_proxy('delay-redis', $redis_port, $delay_us) : $redis_port;
    $dm = is_int($memc_port) ? ksb_start_delay_proxy('delay-memcached', $memc_port, $delay_us) : $memc_port;
    $def_single('-delay', 'delay', $dr, $dm);
    foreach (['keepsake', 'redis', 'redis-unlocked', 'memcached'] as $n) {
        $H["$n-delay"]['measure'] = ['cycles'];
    }
    $results['params']['delay_us'] = $delay_us;
}

if (in_array('cluster', $groups, true)) {
    ksb_log('starting a 3-master Redis Cluster');
    $cl = ksb_start_cluster();
    $cdown = is_string($cl) ? $cl : null;
    $cp = is_array($cl) ? $cl : [0, 0, 0];
    $seeds = implode('&', array_map(fn($p) => "seed[]=127.0.0.1:$p", $cp));
    $hosts = implode(',', array_map(fn($p) => "127.0.0.1:$p", $cp));
    $def('keepsake-cluster', 'cluster', 'keepsake', 'redis', ['session.save_handler' => 'keepsake',
        'session.save_path' => "cluster://$hosts?persistent=1", 'keepsake.session.locking' => '1'],
        $cp, $ks_ext, $so === '' ? $ks_reason : $cdown);
    $def('redis-cluster', 'cluster', 'phpredis', 'redis', ['session.save_handler' => 'rediscluster',
        'session.save_path' => "$seeds&persistent=1", 'redis.clusters.cache_slots' => '1'], $cp, [], $cdown, false);
    $results['notes'][] = "phpredis's rediscluster handler has no session locking (its issues #2355, #2836): "
        . 'its cluster column measures an unlocked handler, and its contention run shows the lost updates.';
}

if (in_array('tls', $groups, true)) {
    ksb_log('starting a TLS redis-server with a test CA');
    $t = ksb_start_tls_redis();
    $tdown = is_string($t) ? $t : null;
    [$tp, $ca] = is_array($t) ? $t : [0, ''];
    $cli_tls = ['--tls', '--cacert', $ca];
    /* keepsake's TLS parameter names come with issue 5: main.php probes the candidates below */
    $def('keepsake-tls', 'tls', 'keepsake', 'redis', ['session.save_handler' => 'keepsake',
        'session.save_path' => "tls://127.0.0.1:$tp?persistent=1", 'keepsake.session.locking' => '1'],
        [$tp], $ks_ext, $so === '' ? $ks_reason : $tdown, true, $cli_tls);
    $H['keepsake-tls']['tls_candidates'] = ksb_env('KSB_KEEPSAKE_TLS_QUERY') !== ''
        ? [ksb_env('KSB_KEEPSAKE_TLS_QUERY')]
        : ["cafile=$ca", "ca_file=$ca", "stream[cafile]=$ca", "tls_cafile=$ca", "tls_ca_file=$ca", "ca=$ca", ''];
    /* the last candidate adds no parameter and relies on OpenSSL's default
     * verify paths, which SSL_CERT_FILE points at the test CA */
    $H['keepsake-tls']['env'] = ['SSL_CERT_FILE' => $ca];
    /* phpredis 5.3.7's session handler ignores stream[...] in save_path; PHP's openssl.cafile works */
    $def('redis-tls', 'tls', 'phpredis', 'redis', ['session.save_handler' => 'redis',
        'session.save_path' => "tls://127.0.0.1:$tp?persistent=1", 'redis.session.locking_enabled' => '1',
        'openssl.cafile' => $ca], [$tp], [], $tdown, true, $cli_tls);
}

/* KSB_<HANDLER>_INI="k=v,k=v" adds INI settings to one handler, e.g. a tuned
 * phpredis: KSB_REDIS_INI="redis.session.lock_retries=100,redis.session.lock_wait_time=20000" */
foreach ($H as $name => &$h) {
    $extra = ksb_env('KSB_' . strtoupper(str_replace('-', '_', $name)) . '_INI');
    foreach (array_filter(explode(',', $extra)) as $kv) {
        [$k, $v] = array_pad(explode('=', $kv, 2), 2, '');
        $h['ini'][trim($k)] = trim($v);
        $results['notes'][] = "$name: extra INI $k=$v (from the environment)";
    }
}
unset($h);

/* ---- helpers bound to a handler ---------------------------------------- */
function ksb_php_argv(array $h, array $ini_common, array $args): array
{
    $argv = [PHP_BINARY];
    foreach ($h['ext'] as $x) {
        array_push($argv, '-d', $x);
    }
    foreach ($ini_common + $h['ini'] as $k => $v) {
        array_push($argv, '-d', $k . '="' . $v . '"');
    }
    $argv[] = __DIR__ . '/worker.php';
    return array_merge($argv, $args);
}

function ksb_worker(array $h, array $args, float $timeout_s): array
{
    global $cli_common;
    $r = ksb_exec(ksb_php_argv($h, $cli_common, $args), $timeout_s,
        ['KSB_WORKER_BUDGET_S' => (string)($timeout_s - 5)] + ($h['env'] ?? []));
    $r['json'] = ksb_json_tail($r['out']);
    return $r;
}

/* Marks a handler n/a when one real locked cycle does not work. */
function ksb_probe(array &$h): void
{
    if ($h['na'] !== null) {
        return;
    }
    $cands = $h['tls_candidates'] ?? [null];
    $first = '';
    foreach ($cands as $c) {
        $try = $h;
        if ($c !== null && $c !== '') {
            $try['ini']['session.save_path'] .= '&' . $c;
        }
        $r = ksb_worker($try, ['probe', ksb_sid('probe')], 30);
        if (($r['json']['ok'] ?? false) === true) {
            $h = $try;
            return;
        }
        /* keep the last failure: for tls:// that is the one without a CA
         * parameter, which names the real obstacle rather than a spelling */
        $first = ksb_first_line($r['err'] ?: implode('; ', array_keys($r['json']['messages'] ?? [])) ?: $r['out']) ?: $first;
    }
    $tried = count($cands) > 1 ? ' (tried ' . count($cands) . ' ways to give the CA; the last gave this)' : '';
    $h['na'] = 'probe cycle failed' . $tried . ': ' . ($first ?: 'no output');
}

foreach ($H as $name => &$h) {
    ksb_probe($h);
    $results['handlers'][$name] = ['group' => $h['group'], 'label' => $h['label'], 'na' => $h['na'],
        'ini' => $h['ini'], 'locking' => $h['locking']];
    ksb_log(sprintf('%-17s %s', $name, $h['na'] === null ? 'ready' : 'n/a: ' . $h['na']));
}
unset($h);
$live = array_filter($H, fn($h) => $h['na'] === null);
$want = fn(string $m) => !$only || in_array($m, $only, true);
/* the handlers that take part in measurement $m (the delay group: cycles only) */
$live_for = fn(string $m) => array_filter($live, fn($h) => !isset($h['measure']) || in_array($m, $h['measure'], true));

/* ---- 1. CLI cycles/s, interleaved rounds, median ------------------------ */
if ($want('cycles')) {
    $per = $cpu = $cpu_client = $cpu_server = [];
    for ($round = 0; $round < $P['cycles_rounds']; $round++) {
        foreach ($live as $name => $h) {
            ksb_log("cycles: $name, round " . ($round + 1));
            $s0 = ksb_server_cpu($h);
            $r = ksb_worker($h, ['cycles', (string)$P['cycles_n'], ksb_sid("cy$round"),
                (string)($P['cycles_ms'] / 1000)], 120);
            $s1 = ksb_server_cpu($h);
            if (isset($r['json']['cycles_per_s'])) {
                $per[$name][$round] = $r['json']['cycles_per_s'];
                /* the server's CPU covers the 20 warm-up cycles too */
                $srv = $s0 !== null && $s1 !== null ? ($s1 - $s0) * 1e6 / ($r['json']['cycles'] + 20) : 0.0;
                $cpu[$name][$round] = $r['json']['cpu_us_per_cycle'] + $srv;
                $cpu_client[$name][$round] = $r['json']['cpu_us_per_cycle'];
                $cpu_server[$name][$round] = $srv;
                if ($r['json']['failed'] > 0) {
                    $results['handlers'][$name]['cycles_failed'] = ($results['handlers'][$name]['cycles_failed'] ?? 0) + $r['json']['failed'];
                }
            } else {
                $results['handlers'][$name]['cycles_error'] = ksb_first_line($r['err'] . $r['out']);
            }
        }
    }
    foreach ($per as $name => $xs) {
        $results['handlers'][$name]['cycles_per_s'] = ksb_median($xs);
        $results['handlers'][$name]['cycles_all'] = array_map(fn($x) => round($x), $xs);
        $results['handlers'][$name]['rounds']['cycles_per_s'] = $xs;
        $results['handlers'][$name]['rounds']['cycle_us'] = array_map(fn($x) => 1e6 / $x, $xs);
        if (isset($cpu[$name])) {
            $results['handlers'][$name]['cpu_us'] = ksb_median($cpu[$name]);
            $results['handlers'][$name]['cpu_us_client'] = ksb_median($cpu_client[$name]);
            $results['handlers'][$name]['cpu_us_server'] = ksb_median($cpu_server[$name]);
            $results['handlers'][$name]['rounds']['cpu_us'] = $cpu[$name];
            $results['handlers'][$name]['rounds']['cpu_us_server'] = $cpu_server[$name];
        }
    }
    /* references that explain the cycle times: PHP's own session cost, and one
     * loopback round trip to redis-server from PHP */
    $floor = [];
    $fh = $H['files'] ?? reset($H);
    for ($round = 0; $round < $P['cycles_rounds']; $round++) {
        $r = ksb_exec(ksb_php_argv(['ext' => [], 'ini' => $fh['ini']], $cli_common,
            ['cycles', (string)$P['cycles_n'], ksb_sid('floor'), (string)($P['cycles_ms'] / 1000)]), 60,
            ['KSB_FLOOR' => '1']);
        $j = ksb_json_tail($r['out']);
        if (isset($j['cycles_per_s'])) {
            $floor[] = $j['cycles_per_s'];
        }
    }
    $f = ksb_median($floor);
    $results['reference']['floor_cycles_per_s'] = $f;
    if (is_int($redis_port)) {
        $r = ksb_exec([PHP_BINARY, __DIR__ . '/worker.php', 'ping', $quick ? '2000' : '5000', (string)$redis_port], 60);
        $results['reference']['redis_ping_us'] = ksb_json_tail($r['out'])['us_per_rt'] ?? null;
    }
    /* the same round trip through the delay proxy, when its group ran */
    $dport = $H['redis-delay']['ports'][0] ?? 0;
    if ($dport > 0 && isset($live['redis-delay'])) {
        $r = ksb_exec([PHP_BINARY, __DIR__ . '/worker.php', 'ping', $quick ? '500' : '2000', (string)$dport], 60);
        $results['reference']['delay_ping_us'] = ksb_json_tail($r['out'])['us_per_rt'] ?? null;
    }
    foreach ($per as $name => $xs) {
        $c = $results['handlers'][$name]['cycles_per_s'];
        $results['handlers'][$name]['cycle_us'] = 1e6 / $c;
    }
}

/* ---- 2. round trips per locked request (strace) -------------------------- */
if ($want('rt')) {
    foreach ($live_for('rt') as $name => $h) {
        if ($h['kind'] === 'files') {
            continue;
        }
        ksb_log("round trips: $name (strace, {$P['rt_k']} cycles)");
        $log = "$run/strace-$name.log";
        $before = $h['kind'] === 'redis' ? ksb_sum_cmdstats($h) : ksb_memcached_stats($h['ports'][0]);
        $argv = array_merge(['strace', '-f', '-qq', '-x', '-s', '65535', '-o', $log,
            '-e', 'trace=connect,close,write,writev,sendto,sendmsg'],
            ksb_php_argv($h, $cli_common, ['rt', (string)$P['rt_k'], ksb_sid('rt')]));
        $r = ksb_exec($argv, 120, $h['env'] ?? []);
        $after = $h['kind'] === 'redis' ? ksb_sum_cmdstats($h) : ksb_memcached_stats($h['ports'][0]);
        $j = ksb_json_tail($r['out']);
        $c = ksb_strace_count((string)@file_get_contents($log), $h['ports']);
        $k = $j['k'] ?? 0;
        $res = ['k' => $k, 'writes' => $c['writes'], 'marks_found' => $c['marks_found'],
            'first_writes' => $c['first_writes'], 'encrypted' => $c['encrypted'],
            'rt_per_request' => $k > 0 && $c['marks_found'] >= 2 ? $c['writes'] / $k : null,
            'commands_per_request' => $k > 0 ? array_map(fn($n) => round($n / $k, 2), $c['commands']) : [],
            'failed' => $j['failed'] ?? null];
        /* server-side cross-check: commands executed, over all k+1 cycles (one
         * warm-up); Redis counts the commands a script runs as well */
        $srv = [];
        $usec = [];
        foreach ($after as $cmd => $n) {
            if (!is_numeric($n) || in_array($cmd, ['INFO', 'CLUSTER', 'COMMAND', 'usec:INFO'], true)) {
                continue;
            }
            if ($h['kind'] === 'memcached' && !preg_match('/^(cmd_|delete_|touch_)/', $cmd)) {
                continue;
            }
            $d = $n - ($before[$cmd] ?? 0);
            if ($d > 0 && $k > 0 && !preg_match('/_(hits|misses)$/', $cmd)) {
                if (str_starts_with($cmd, 'usec:')) {
                    $usec[substr($cmd, 5)] = $d;
                } else {
                    $srv[$cmd] = round($d / ($k + 1), 2);
                }
            }
        }
        /* Redis time per request: the commands the client sent (decoded from
         * strace), each at its average cost; script bodies are inside EVALSHA */
        if ($usec && !$c['encrypted'] && $c['commands']) {
            $t = 0.0;
            foreach ($c['commands'] as $cmd => $n) {
                $calls = ($after[$cmd] ?? 0) - ($before[$cmd] ?? 0);
                if ($calls > 0 && isset($usec[$cmd])) {
                    $t += $n / $k * $usec[$cmd] / $calls;
                }
            }
            $res['server_us_per_request'] = $t;
        }
        $res['server_commands_per_request'] = $srv;
        if (is_array($j['stats_after'] ?? null)) {
            $res['keepsake_stats_delta'] = ksb_stats_delta($j['stats_before'], $j['stats_after'], $k);
            $res['keepsake_stats_rt'] = ksb_stats_rt($res['keepsake_stats_delta']);
        }
        if ($r['rc'] !== 0) {
            $res['error'] = ksb_first_line($r['err']);
        }
        $results['handlers'][$name]['rt'] = $res;

        /* the same count for session_start(['read_and_close' => true]) */
        $log2 = "$run/strace-$name-rac.log";
        $argv = array_merge(['strace', '-f', '-qq', '-x', '-s', '65535', '-o', $log2,
            '-e', 'trace=connect,close,write,writev,sendto,sendmsg'],
            ksb_php_argv($h, $cli_common, ['rt', (string)$P['rt_k'], ksb_sid('rac'), 'rac']));
        $r = ksb_exec($argv, 120, $h['env'] ?? []);
        $j = ksb_json_tail($r['out']);
        $c = ksb_strace_count((string)@file_get_contents($log2), $h['ports']);
        $k = $j['k'] ?? 0;
        $results['handlers'][$name]['rt']['rac_rt_per_request'] = $k > 0 && $c['marks_found'] >= 2 ? $c['writes'] / $k : null;
        $results['handlers'][$name]['rt']['rac_commands'] = $k > 0 ? array_map(fn($n) => round($n / $k, 2), $c['commands']) : [];
    }
}

/* ---- 3. contention: P processes x N increments on one session ------------ */
if ($want('contend')) {
    foreach ($live_for('contend') as $name => $h) {
        $n = $P['contend_n'];
        $np = $P['contend_procs'];
        ksb_log("contention: $name ($np x $n)");
        $sid = ksb_sid('ct');
        $start = hrtime(true) + (int)(1.5e9);
        $hs = [];
        for ($i = 0; $i < $np; $i++) {
            $hs[] = ksb_spawn(ksb_php_argv($h, $cli_common, ['contend', (string)$n, $sid, (string)$start]),
                ['KSB_WORKER_BUDGET_S' => '300'] + ($h['env'] ?? []));
        }
        $rs = ksb_wait($hs, ksb_now_ms() + 310 * 1000);
        $warn = $notice = $fs = $fw = $done = 0;
        $t0 = PHP_INT_MAX;
        $t1 = 0;
        $msgs = [];
        $kst = [];
        $bad = 0;
        foreach ($rs as $r) {
            $j = ksb_json_tail($r['out']);
            if (!$j) {
                $bad++;
                continue;
            }
            $warn += $j['warnings'];
            $notice += $j['notices'] + ($j['diagnostics'] - $j['warnings'] - $j['notices']);
            $fs += $j['failed_start'];
            $fw += $j['failed_write'];
            $done += $j['done'];
            $t0 = min($t0, $j['t0']);
            $t1 = max($t1, $j['t1']);
            /* keepsake's own counters, summed over the processes (max for the max) */
            foreach ((array)($j['keepsake_stats'] ?? []) as $sk => $sv) {
                if (is_int($sv)) {
                    $kst[$sk] = str_ends_with($sk, '_max') ? max($kst[$sk] ?? 0, $sv) : ($kst[$sk] ?? 0) + $sv;
                }
            }
            foreach ($j['messages'] as $m => $c) {
                $m = preg_replace('/[0-9a-f]{32}/', '<sid>', $m);
                $msgs[$m] = ($msgs[$m] ?? 0) + $c;
            }
        }
        $rd = ksb_worker($h, ['read', $sid], 30);
        /* Round trips per contended acquisition: every request costs one
         * release, every acquisition that did not wait one acquire; the rest
         * went to the acquisitions that waited (the refused try, the BLPOPs
         * and the retries). 1 would be a wait that costs nothing. */
        $rt_cont = null;
        if (($kst['lock_waits'] ?? 0) > 0 && isset($kst['round_trips'], $kst['lock_acquisitions'])) {
            $rt_cont = ($kst['round_trips'] - 2 * $kst['lock_acquisitions'] + $kst['lock_waits']) / $kst['lock_waits'];
        }
        $results['handlers'][$name]['contend'] = ['expected' => $np * $n, 'final' => $rd['json']['sum'] ?? null,
            'warnings' => $warn, 'notices' => $notice, 'failed_start' => $fs, 'failed_write' => $fw, 'cycles_done' => $done,
            'wall_s' => $t1 > 0 ? ($t1 - $t0) / 1e9 : null, 'messages' => $msgs, 'procs_without_result' => $bad,
            'keepsake_stats' => $kst ?: null, 'rt_per_contended' => $rt_cont,
            'rt_per_acquisition' => ($kst['lock_acquisitions'] ?? 0) > 0 ? ($kst['round_trips'] ?? 0) / $kst['lock_acquisitions'] : null,
            'waits_per_request' => isset($kst['lock_waits']) && $done > 0 ? $kst['lock_waits'] / $done : null];
    }
}

/* ---- 4. hand-off latency -------------------------------------------------- */
if ($want('handoff')) {
    foreach ($live_for('handoff') as $name => $h) {
        if (!$h['locking']) {
            $results['handlers'][$name]['handoff'] = ['skipped' => 'no locking'];
            continue;
        }
        ksb_log("hand-off: $name ({$P['handoff_trials']} trials)");
        $r = ksb_worker($h, ['handoff', (string)$P['handoff_trials'], ksb_sid('ho')], 120);
        $j = $r['json'];
        if (!$j || !isset($j['latency_ms'])) {
            $results['handlers'][$name]['handoff'] = ['error' => ksb_first_line($r['err'] . $r['out'])];
            continue;
        }
        $results['handlers'][$name]['handoff'] = ['trials' => $j['trials'], 'failed' => $j['failed'],
            'median_ms' => ksb_median($j['latency_ms']), 'p99_ms' => ksb_pct($j['latency_ms'], 99),
            'min_ms' => $j['latency_ms'] ? min($j['latency_ms']) : null,
            'max_ms' => $j['latency_ms'] ? max($j['latency_ms']) : null,
            'close_median_ms' => ksb_median($j['close_ms']), 'gave_up' => $j['gave_up'], 'warnings' => $j['warnings']];
    }
}

/* ---- 5. php-fpm + nginx + wrk ------------------------------------------- */
if ($want('fpm') && $live_for('fpm')) {
    $www = "$run/www";
    @mkdir($www, 0755, true);
    copy(__DIR__ . '/counter.php', "$www/counter.php");
    chmod("$www/counter.php", 0644);
    chmod($run, 0755);
    $nginx = ksb_start_nginx($www);
    $sids_file = "$run/sids.txt";
    $ids = [];
    for ($i = 0; $i < $P['sessions']; $i++) {
        $ids[] = ksb_sid('u');
    }
    file_put_contents($sids_file, implode("\n", $ids) . "\n");
    /* One topology group at a time: all its fpm masters up together, then
     * rounds in which each handler gets the same wrk duration in turn, so a
     * burst of load from elsewhere on the machine hits every handler alike. */
    foreach (array_keys(KSB_GROUPS) as $g) {
        $gh = array_filter($live_for('fpm'), fn($h) => $h['group'] === $g);
        $up = [];
        foreach ($gh as $name => $h) {
            if (is_string($nginx)) {
                $results['handlers'][$name]['fpm'] = ['error' => $nginx];
                continue;
            }
            ksb_log("fpm: $name: pre-create {$P['sessions']} sessions, start php-fpm");
            $pc = ksb_worker($h, ['precreate', $sids_file], 120);
            $st = ksb_start_fpm($name, $fpm_common + $h['ini'], $h['ext'], 8, $h['env'] ?? []);
            if ($st !== true) {
                $results['handlers'][$name]['fpm'] = ['error' => $st];
                continue;
            }
            $up[$name] = ['url' => "http://127.0.0.1:$nginx/$name/counter.php", 'runs' => [],
                'precreated' => $pc['json']['created'] ?? null, 'ok' => 0];
        }
        /* The floor: the same page, pool, nginx and wrk, with no session at
         * all (KSB_NO_SESSION in the pool's environment): what serving the
         * page costs by itself, so the most req/s any handler can reach.
         * The module pool: the same page with a session on a user save
         * handler that does no I/O (KSB_NOOP_HANDLER; counter.php), so what
         * PHP's session module costs by itself, which every handler pays.
         * Neither sets session.save_handler as an admin value (the module
         * pool's page must be able to set its own). Both take their turn in
         * the rounds like a handler. */
        if ($g === 'single' && !is_string($nginx)) {
            foreach (['floor' => 'KSB_NO_SESSION', 'module' => 'KSB_NOOP_HANDLER'] as $ref => $envk) {
                $gh[$ref] = ['name' => $ref, 'group' => 'single', 'kind' => 'none', 'ports' => [], 'tls' => [],
                    'ini' => []];
                $st = ksb_start_fpm($ref, $fpm_common, [], 8, [$envk => '1']);
                if ($st === true) {
                    $up[$ref] = ['url' => "http://127.0.0.1:$nginx/$ref/counter.php", 'runs' => [], 'ok' => 0, 'ref' => $ref];
                } else {
                    $results["fpm_$ref"] = ['error' => $st];
                }
            }
        }
        foreach ($up as $name => &$u) {
            $w = ksb_wrk($u['url'], $sids_file, $P['wrk_warm_s']);
            $u['ok'] += ($w['requests'] ?? 0) - ($w['non2xx'] ?? 0);
        }
        unset($u);
        for ($round = 0; $round < $P['wrk_rounds']; $round++) {
            foreach ($up as $name => &$u) {
                ksb_log("fpm: $name: wrk {$P['wrk_s']} s, round " . ($round + 1));
                $cpu = fn() => [ksb_fpm_cpu($name), ksb_server_cpu($gh[$name]), ksb_tree_cpu(ksb_pidfile('nginx')),
                    ksb_children_cpu()];
                $c0 = $cpu();
                $m = ksb_wrk($u['url'], $sids_file, $P['wrk_s']);
                $c1 = $cpu();
                if ($c0[0] !== null && $c1[0] !== null && ($m['requests'] ?? 0) > 0) {
                    $per = fn($i) => $c0[$i] !== null && $c1[$i] !== null ? ($c1[$i] - $c0[$i]) * 1e6 / $m['requests'] : 0.0;
                    $m['cpu_us_php'] = $per(0);
                    $m['cpu_us_server'] = $per(1);
                    $m['cpu_us'] = $m['cpu_us_php'] + $m['cpu_us_server'];
                    $m['cpu_us_all'] = $m['cpu_us'] + $per(2) + $per(3);
                }
                $u['runs'][] = $m;
                $u['ok'] += ($m['requests'] ?? 0) - ($m['non2xx'] ?? 0);
            }
            unset($u);
        }
        foreach ($up as $name => $u) {
            /* graceful stop: requests still running finish and release their locks */
            ksb_stop_fpm($name);
        }
        foreach ($up as $name => $u) {
            if (!empty($u['ref'])) {
                $med = fn($k) => ksb_median(array_filter(array_map(fn($m) => $m[$k] ?? null, $u['runs'])));
                $results['fpm_' . $u['ref']] = ['rps' => $med('rps'), 'cpu_us_php' => $med('cpu_us_php'),
                    'cpu_us_all' => $med('cpu_us_all'), 'rounds' => array_map(fn($m) => $m['rps'] ?? null, $u['runs']),
                    'non2xx' => array_sum(array_map(fn($m) => $m['non2xx'] ?? 0, $u['runs']))];
                continue;
            }
            $sum = ksb_worker($gh[$name], ['readall', $sids_file], 120)['json'];
            $runs = $u['runs'];
            $rps = array_values(array_filter(array_map(fn($m) => $m['rps'] ?? null, $runs), 'is_float'));
            $errlog = "$run/fpm-$name/php-errors.log";
            $m = [
                'rps' => ksb_median($rps),
                'p50_ms' => ksb_median(array_filter(array_map(fn($m) => $m['p50_ms'] ?? null, $runs))),
                'p99_ms' => ksb_median(array_filter(array_map(fn($m) => $m['p99_ms'] ?? null, $runs))),
                'cpu_us' => ksb_median(array_filter(array_map(fn($m) => $m['cpu_us'] ?? null, $runs))),
                'cpu_us_php' => ksb_median(array_filter(array_map(fn($m) => $m['cpu_us_php'] ?? null, $runs))),
                'cpu_us_server' => ksb_median(array_filter(array_map(fn($m) => $m['cpu_us_server'] ?? null, $runs))),
                'cpu_us_all' => ksb_median(array_filter(array_map(fn($m) => $m['cpu_us_all'] ?? null, $runs))),
                'non2xx' => array_sum(array_map(fn($m) => $m['non2xx'] ?? 0, $runs)),
                'requests' => array_sum(array_map(fn($m) => $m['requests'] ?? 0, $runs)),
                'socket_errors' => array_values(array_unique(array_filter(array_map(fn($m) => $m['socket_errors'] ?? null, $runs)))),
                'precreated' => $u['precreated'],
                'counter_sum' => $sum['sum'] ?? null,
                'ok_responses' => $u['ok'],
                'lost_updates' => isset($sum['sum']) ? max(0, $u['ok'] - $sum['sum']) : null,
                'sessions_unreadable' => $sum['missing'] ?? null,
                'php_warnings' => is_file($errlog) ? count(file($errlog)) : 0,
                'php_first_warning' => is_file($errlog) ? ksb_first_line((string)file_get_contents($errlog)) : '',
            ];
            foreach ($runs as $r) {
                if (!empty($r['error'])) {
                    $m['error'] = $r['error'];
                }
            }
            $results['handlers'][$name]['fpm'] = $m;
            $results['handlers'][$name]['rounds']['fpm.rps'] = array_map(fn($m) => $m['rps'] ?? null, $runs);
            $results['handlers'][$name]['rounds']['fpm.cpu_us'] = array_map(fn($m) => $m['cpu_us'] ?? null, $runs);
            $results['handlers'][$name]['rounds']['fpm.cpu_us_all'] = array_map(fn($m) => $m['cpu_us_all'] ?? null, $runs);
        }
    }
}

$results['finished'] = gmdate('Y-m-d H:i:s') . ' UTC';
$results['env']['loadavg_end'] = trim((string)@file_get_contents('/proc/loadavg'));
ksb_stop_daemons();

$dir = ksb_env('KSB_OUT');
@mkdir($dir, 0755, true);
file_put_contents("$dir/last.json", json_encode($results, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES) . "\n");
$txt = ksb_report_text($results);
$md = ksb_report_markdown($results);
file_put_contents("$dir/last.txt", $txt);
file_put_contents("$dir/last.md", $md);
echo $txt;
fwrite(STDERR, "\nresults: $dir/last.{txt,md,json}\n");
exit(0);

/* ---- small helpers used above ------------------------------------------- */

function ksb_sum_cmdstats(array $h): array
{
    $sum = [];
    foreach ($h['ports'] as $p) {
        foreach (ksb_redis_cmdstats($p, $h['tls']) as $c => $n) {
            $sum[$c] = ($sum[$c] ?? 0) + $n;
        }
    }
    return $sum;
}

/* Numeric leaves of keepsake_session_stats() that changed, per request. */
function ksb_stats_delta($a, $b, int $k, string $prefix = ''): array
{
    $d = [];
    foreach ((array)$b as $key => $v) {
        $name = $prefix === '' ? (string)$key : "$prefix.$key";
        if (is_array($v)) {
            $d += ksb_stats_delta($a[$key] ?? [], $v, $k, $name);
        } elseif (is_int($v) || is_float($v)) {
            $x = $v - (is_numeric($a[$key] ?? null) ? $a[$key] : 0);
            if ($x != 0 && $k > 0) {
                $d[$name] = round($x / $k, 3);
            }
        }
    }
    return $d;
}

function ksb_stats_rt(array $delta): ?float
{
    foreach ($delta as $k => $v) {
        if (preg_match('/round_?trip|roundtrip|\brtt?s?\b/i', $k)) {
            return $v;
        }
    }
    return null;
}

/* Runs wrk with the random-session Lua script; parses its summary. */
function ksb_wrk(string $url, string $sids, int $seconds): array
{
    $argv = ['wrk', '-t2', '-c16', '-d' . $seconds . 's', '--timeout', '5s', '--latency',
        '-s', __DIR__ . '/wrk-sessions.lua', $url];
    $r = ksb_exec($argv, $seconds + 30, ['KSB_SIDS' => $sids]);
    $o = $r['out'];
    $m = ['seconds' => $seconds];
    if (preg_match('/Requests\/sec:\s+([\d.]+)/', $o, $x)) {
        $m['rps'] = (float)$x[1];
    }
    if (preg_match('/(\d+) requests in/', $o, $x)) {
        $m['requests'] = (int)$x[1];
    }
    $m['non2xx'] = preg_match('/Non-2xx or 3xx responses: (\d+)/', $o, $x) ? (int)$x[1] : 0;
    if (preg_match('/Socket errors: (.*)/', $o, $x)) {
        $m['socket_errors'] = trim($x[1]);
    }
    foreach (['50', '99'] as $p) {
        if (preg_match('/^\s+' . $p . '%\s+([\d.]+)(us|ms|s)\s*$/m', $o, $x)) {
            $m["p{$p}_ms"] = (float)$x[1] * ['us' => 0.001, 'ms' => 1, 's' => 1000][$x[2]];
        }
    }
    if (!isset($m['rps'])) {
        $m['error'] = ksb_first_line($r['err'] . $o);
    }
    return $m;
}

function ksb_environment(string $so): array
{
    $v = function (array $argv) {
        $r = ksb_exec($argv, 10);
        return ksb_first_line($r['out'] . $r['err'], 120);
    };
    $cpu = '';
    if (preg_match('/model name\s*:\s*(.*)/', (string)@file_get_contents('/proc/cpuinfo'), $m)) {
        $cpu = trim($m[1]);
    }
    $root = ksb_env('KSB_ROOT');
    return [
        'php' => PHP_VERSION,
        'phpredis' => phpversion('redis') ?: 'missing',
        'php-memcached' => phpversion('memcached') ?: 'missing',
        'redis-server' => $v(['redis-server', '--version']),
        'memcached' => $v(['memcached', '-V']),
        'nginx' => $v(['nginx', '-v']),
        'wrk' => $v(['wrk', '-v']),
        'strace' => $v(['strace', '-V']),
        'kernel' => php_uname('r'),
        'cores' => (int)trim((string)$v(['nproc'])),
        'cpu' => $cpu,
        'loadavg_start' => trim((string)@file_get_contents('/proc/loadavg')),
        'keepsake' => $so === '' ? 'n/a' : $so,
        'commit' => $v(['git', '-C', $root, 'log', '-1', '--format=%h %s']),
    ];
}
