<?php
/*
 * bench/session.d/script_cost.php: what keepsake's release script costs
 * inside Redis per call, and what its parts cost (docs/benchmarks.md).
 *
 *   php bench/session.d/script_cost.php [N=20000 [R=5]]
 *
 * Starts a private redis-server on loopback (no persistence), reads the
 * release script out of src/session/store.c, and for each variant below
 * runs N calls, each on a lock just set to the caller's token (an
 * uncontended write: SET data, DEL lock, SET receipt), R rounds with the
 * variants alternating; prints the median of INFO commandstats'
 * usec_per_call (after CONFIG RESETSTAT) per variant. Variants:
 *   release      the script as keepsake sends it (EVALSHA, 5 keys, 7 args)
 *   fcall        the same script as a Redis 7 function (FCALL; without its
 *                redis.replicate_commands(), which functions do not have)
 *   no-repl-call without its first line, redis.replicate_commands(): what
 *                that no-op costs on Redis 7
 *   no-receipt   without its last SET (the receipt): what the receipt costs
 *   fence-only   GET lock + DEL lock, same arguments: the fence and unlock
 *   empty        "return 1", same arguments: entering Lua with 12 arguments
 *   empty-0      "return 1" without arguments: entering Lua at all
 * Needs php-redis (phpredis) for the client side only.
 */
require_once __DIR__ . '/../../tests/port.inc';   // ks_free_port(): below the ephemeral range, never handed out twice
require_once __DIR__ . '/c_literal.inc';

if (!class_exists('Redis')) {
    fwrite(STDERR, "script_cost.php needs php-redis (apt-get install php8.2-redis)\n");
    exit(1);
}
$n = (int)($argv[1] ?? 20000);
$rounds = (int)($argv[2] ?? 5);
$release = c_literal((string)file_get_contents(__DIR__ . '/../../src/session/store.c'), 'release_lua');
$receipt = "if ARGV[6] ~= '0' then\n  redis.call('SET', KEYS[4], '1', 'PX', ARGV[6])\nend\n";
if (!str_contains($release, $receipt)) {
    throw new RuntimeException('the release script no longer ends with the receipt SET this script knows');
}
/* Functions always replicate effects and have no redis.replicate_commands(). */
$effects = "redis.replicate_commands()\n";
if (!str_starts_with($release, $effects)) {
    throw new RuntimeException('the release script no longer starts with the redis.replicate_commands() this script knows');
}
$scripts = [
    'release' => $release,
    'fcall' => null,
    'no-repl-call' => substr($release, strlen($effects)),
    'no-receipt' => str_replace($receipt, '', $release),
    'fence-only' => "local v = redis.call('GET', KEYS[2])\nif v == ARGV[1] then redis.call('DEL', KEYS[2]) end\nreturn 1\n",
    'empty' => "return 1\n",
    'empty-0' => "return 1\n",
];

$port = ks_free_port();
$dir = sys_get_temp_dir() . '/ks-script-cost-' . getmypid();
@mkdir($dir);
exec(implode(' ', array_map('escapeshellarg', ['redis-server', '--port', (string)$port, '--bind', '127.0.0.1',
    '--save', '', '--appendonly', 'no', '--daemonize', 'yes', '--dir', $dir, '--pidfile', "$dir/redis.pid",
    '--logfile', "$dir/redis.log"])));
/* Stopped however the run ends (an unexpected reply exits early). */
register_shutdown_function(function () use ($dir) {
    $pid = (int)@file_get_contents("$dir/redis.pid");
    if ($pid > 0) {
        posix_kill($pid, SIGTERM);
    }
});
$r = new Redis();
/* redis-server --daemonize returns before it listens; phpredis throws on a refused connect. */
for ($i = 0, $up = false; $i < 100 && !$up; $i++) {
    try {
        $up = $r->connect('127.0.0.1', $port);
    } catch (RedisException $e) {
        usleep(50000);
    }
}
$shas = [];
foreach ($scripts as $name => $code) {
    if ($code !== null) {
        $shas[$name] = $r->script('load', $code);
    }
}
$r->rawCommand('FUNCTION', 'LOAD', 'REPLACE', "#!lua name=ks_script_cost\nlocal function release(KEYS, ARGV)\n"
    . $scripts['no-repl-call'] . "end\nredis.register_function('ks_release', release)\n");

$data = 'n|i:12345;' . str_repeat('x', 40);   /* a small session, as bench/session's */
$res = array_fill_keys(array_keys($scripts), []);
for ($round = 0; $round < $rounds; $round++) {
    foreach (array_keys($scripts) as $name) {
        $r->rawCommand('CONFIG', 'RESETSTAT');
        for ($i = 0; $i < $n; $i++) {
            $tok = sprintf('%032x', $round * $n + $i);
            $keys = ['c{s}', 'c{s}:lock', 'c{s}:wake', "c{s}:done:$tok", 'c{s}:queue'];
            $args = [$tok, 'w', '1440', $data, '2000', '10000', '500'];
            $r->multi(Redis::PIPELINE);
            $r->rawCommand('SET', 'c{s}:lock', $tok, 'PX', '30000');
            if ($name === 'fcall') {
                $r->rawCommand('FCALL', 'ks_release', 5, ...$keys, ...$args);
            } elseif ($name === 'empty-0') {
                $r->rawCommand('EVALSHA', $shas[$name], 0);
            } else {
                $r->rawCommand('EVALSHA', $shas[$name], 5, ...$keys, ...$args);
            }
            $out = $r->exec();
            if ($out[1] !== 1) {
                fwrite(STDERR, "$name: unexpected reply " . json_encode($out[1]) . "\n");
                exit(1);
            }
        }
        $cmd = $name === 'fcall' ? 'cmdstat_fcall' : 'cmdstat_evalsha';
        preg_match('/usec_per_call=([0-9.]+)/', $r->info('commandstats')[$cmd] ?? '', $u);
        $res[$name][] = (float)($u[1] ?? 0);
    }
}
printf("%s, %d calls per round, %d rounds, medians of INFO commandstats usec_per_call:\n",
    trim((string)shell_exec('redis-server --version')), $n, $rounds);
foreach ($res as $name => $v) {
    sort($v);
    printf("  %-12s %5.2f us  (rounds: %s)\n", $name, $v[intdiv(count($v), 2)], implode(' ', $v));
}
