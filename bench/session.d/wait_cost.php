<?php
/*
 * bench/session.d/wait_cost.php: what keepsake.session.wait_replicas=1 costs
 * per locked request (docs/topology.md, "Synchronous replication").
 *
 *   php -d extension=modules/keepsake.so bench/session.d/wait_cost.php [N [R]]
 *
 * Starts a master and one replica (redis-server, loopback, a private dir),
 * runs N locked cycles (start, change, write_close) with wait_replicas=0 and
 * =1, R rounds alternating, prints the median us per cycle of each and the
 * difference, and stops both servers.
 */
require_once __DIR__ . '/../../tests/port.inc';   // ks_free_port(): below the ephemeral range, never handed out twice
$n = (int)($argv[1] ?? 2000); $rounds = (int)($argv[2] ?? 5);
$mp = ks_free_port(); $rp = ks_free_port();
$dir = sys_get_temp_dir() . '/i12d-wait-' . getmypid(); @mkdir($dir);
foreach ([[$mp, []], [$rp, ['--replicaof', '127.0.0.1', (string)$mp]]] as [$p, $extra]) {
    exec(implode(' ', array_map('escapeshellarg', array_merge(['redis-server', '--port', (string)$p, '--bind', '127.0.0.1',
        '--save', '', '--appendonly', 'no', '--daemonize', 'yes', '--dir', $dir, '--pidfile', "$dir/$p.pid", '--logfile', "$dir/$p.log"], $extra))));
}
for ($i = 0; $i < 200; $i++) { usleep(50000); $info = shell_exec("redis-cli -p $rp INFO replication"); if (str_contains($info, 'master_link_status:up')) break; }
ini_set('session.use_cookies', '0'); ini_set('session.cache_limiter', ''); ini_set('session.save_handler', 'keepsake');
$res = [0 => [], 1 => []];
$sid = bin2hex(random_bytes(16));
for ($r = 0; $r < $rounds; $r++) {
    foreach ([0, 1] as $w) {
        ini_set('session.save_path', "tcp://127.0.0.1:$mp?wait_replicas=$w&wait_timeout=1000");
        $t = hrtime(true);
        for ($i = 0; $i < $n; $i++) { session_id($sid); session_start(); $_SESSION['n'] = $i; session_write_close(); }
        $res[$w][] = (hrtime(true) - $t) / 1e3 / $n;
    }
}
$short = keepsake_session_stats()['replica_shortfalls'];
foreach ([$mp, $rp] as $p) { exec("kill " . (int)file_get_contents("$dir/$p.pid")); }
foreach ($res as $w => $v) { sort($v); printf("wait_replicas=%d: %.1f us/cycle (median of %d rounds of %d)\n", $w, $v[intdiv(count($v), 2)], $rounds, $n); }
sort($res[0]); sort($res[1]);
printf("WAIT costs %.1f us per request; shortfalls %d\n", $res[1][intdiv($rounds, 2)] - $res[0][intdiv($rounds, 2)], $short);
