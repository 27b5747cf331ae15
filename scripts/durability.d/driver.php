<?php
/*
 * scripts/durability.d/driver.php: one durability run on a topology that
 * scripts/topology started (its KEEPSAKE_TOPO_* variables in the env).
 *
 *   php driver.php sentinel|cluster SESSIONS WAIT_REPLICAS INJECT_LOSS
 *
 * 1. Before writing: find the master that will hold the last session, and
 *    its pid (from the pid file scripts/topology wrote).
 * 2. Write SESSIONS sessions through keepsake (sentinel:// or cluster://),
 *    one locked request each, every one with its own content and checksum;
 *    with WAIT_REPLICAS > 0 the save_path asks for wait_replicas=N.
 * 3. SIGKILL that master the moment the last write returns.
 * 4. Wait (bounded) until a replica is master in its place.
 * 5. INJECT_LOSS > 0 (the harness's own sanity check): delete that many of
 *    the earliest sessions on the new master, which the harness must then
 *    count as lost.
 * 6. Read every session back through keepsake (read_and_close, retried a
 *    few times while the topology settles) and classify it: whole (exactly
 *    what was written), lost (no data) or corrupt (anything else).
 * Prints one JSON line; the shell script makes the table and the checks.
 * Exit 0 when the run completed (whatever was lost), 1 when it could not.
 */
require __DIR__ . '/../../tests/redis.inc';

[$_, $topo, $n, $waitReplicas, $inject] = $argv + [null, null, '1000', '0', '0'];
$n = (int)$n;
$waitReplicas = (int)$waitReplicas;
$inject = (int)$inject;
$env = getenv();
$prefix = 'dur:' . getmypid() . ':';

function out(array $r): never {
    echo json_encode($r), "\n";
    exit(isset($r['error']) ? 1 : 0);
}

function node(string $hostport): KsRedis {
    return new KsRedis('127.0.0.1', (int)explode(':', $hostport)[1], 1.0);
}

function wait_until(callable $cond, float $max): bool {
    $end = microtime(true) + $max;
    while (!$cond()) {
        if (microtime(true) > $end) return false;
        usleep(50000);
    }
    return true;
}

function pid_of(string $dir): int {
    $pid = (int)@file_get_contents("$dir/redis.pid");
    if ($pid <= 0 || !posix_kill($pid, 0)) out(['error' => "no live redis pid in $dir"]);
    return $pid;
}

/* ---- topology: where the last session lives, and how to see it moved ---- */

function sentinel_master(array $env): ?string {
    foreach (explode(',', $env['KEEPSAKE_TOPO_SENTINELS']) as $s) {
        try {
            $r = node($s)->cmd('SENTINEL', 'get-master-addr-by-name', $env['KEEPSAKE_TOPO_SENTINEL_NAME']);
            if (is_array($r)) return $r[0] . ':' . $r[1];
        } catch (RuntimeException $e) {
        }
    }
    return null;
}

function role(string $hostport): ?string {
    try {
        $r = node($hostport)->cmd('ROLE');
        return is_array($r) ? $r[0] : null;
    } catch (RuntimeException $e) {
        return null;
    }
}

/* The master serving $key's slot as a live node sees it, "host:port", or null. */
function cluster_owner(array $nodes, string $key, ?string $skip = null): ?string {
    foreach ($nodes as $nd) {
        if ($nd === $skip) continue;
        try {
            $c = node($nd);
            $slot = $c->cmd('CLUSTER', 'KEYSLOT', $key);
            foreach ($c->cmd('CLUSTER', 'SLOTS') as $range) {
                if ($slot >= $range[0] && $slot <= $range[1]) return $range[2][0] . ':' . $range[2][1];
            }
        } catch (RuntimeException $e) {
        }
    }
    return null;
}

$query = 'prefix=' . rawurlencode($prefix) . ($waitReplicas > 0 ? '&wait_replicas=' . $waitReplicas : '');
$sids = [];
for ($i = 0; $i < $n; $i++) $sids[$i] = bin2hex(random_bytes(16));
$lastKey = $prefix . '{' . $sids[$n - 1] . '}';

if ($topo === 'sentinel') {
    $path = 'sentinel://' . $env['KEEPSAKE_TOPO_SENTINELS'] . '?master=' . $env['KEEPSAKE_TOPO_SENTINEL_NAME'] . '&' . $query;
    $victim = sentinel_master($env);
    if ($victim !== $env['KEEPSAKE_TOPO_SENTINEL_MASTER']) out(['error' => "sentinels name $victim, not the started master"]);
    $victimPid = pid_of($env['KEEPSAKE_TOPO_DIR'] . '/sentinel-master');
    $replica = $env['KEEPSAKE_TOPO_SENTINEL_REPLICA'];
    $nodes = [$victim, $replica];
    $failedOver = fn() => sentinel_master($env) === $replica && role($replica) === 'master';
    $newMasterOf = fn(string $key) => $replica;
} elseif ($topo === 'cluster') {
    $nodes = explode(',', $env['KEEPSAKE_TOPO_CLUSTER']);
    $path = 'cluster://' . $nodes[0] . ',' . $nodes[1] . ',' . $nodes[2] . '?' . $query;
    $victim = cluster_owner($nodes, $lastKey);
    $idx = array_search($victim, $nodes, true);
    if ($victim === null || $idx === false) out(['error' => 'cannot tell which master holds the last session']);
    $victimPid = pid_of($env['KEEPSAKE_TOPO_DIR'] . "/cluster$idx");
    $failedOver = function () use ($nodes, $lastKey, $victim) {
        $o = cluster_owner($nodes, $lastKey, $victim);
        return $o !== null && $o !== $victim && role($o) === 'master';
    };
    $newMasterOf = fn(string $key) => cluster_owner($nodes, $key, $victim);
} else {
    out(['error' => "unknown topology '$topo'"]);
}

ini_set('session.save_handler', 'keepsake');
ini_set('session.save_path', $path);
ini_set('session.use_cookies', '0');
ini_set('session.use_strict_mode', '0');
ini_set('session.cache_limiter', '');
ini_set('session.serialize_handler', 'php');
ini_set('session.gc_probability', '0');
ini_set('session.gc_maxlifetime', '3600');

function one_request(string $sid, ?callable $fn, array $opts = []): bool {
    session_id($sid);
    if (!@session_start($opts)) return false;
    if ($fn) $fn();
    if (session_status() === PHP_SESSION_ACTIVE) return session_write_close();
    return true;
}

function content(int $i): array {
    $v = base64_encode(random_bytes(48));
    return ['i' => $i, 'v' => $v, 'sum' => md5("$i|$v")];
}

/* ---- write, kill ---- */
$want = [];
$writeFailed = 0;
$t0 = hrtime(true);
foreach ($sids as $i => $sid) {
    $want[$i] = content($i);
    $c = $want[$i];
    if (!one_request($sid, function () use ($c) { $_SESSION = $c; })) {
        $writeFailed++;
        $err = error_get_last()['message'] ?? '';
    }
}
$writeNs = hrtime(true) - $t0;
posix_kill($victimPid, SIGKILL);
$killedAt = microtime(true);
if ($writeFailed) {
    out(['error' => "$writeFailed of $n writes failed before the kill: " . substr($err ?? '', 0, 200)]);
}
if (!wait_until(fn() => !posix_kill($victimPid, 0), 10)) out(['error' => 'the master survived SIGKILL']);

/* ---- failover ---- */
if (!wait_until($failedOver, 90)) out(['error' => 'no failover within 90 s']);
$failoverS = microtime(true) - $killedAt;

/* ---- the harness's own check: make a known loss ---- */
$injected = [];
for ($i = 0; $i < $inject && $i < $n; $i++) {
    $key = $prefix . '{' . $sids[$i] . '}';
    $m = $newMasterOf($key);
    if ($m === null || node($m)->cmd('DEL', $key) !== 1) out(['error' => "inject: could not delete session $i on the new master"]);
    $injected[$i] = true;
}

/* ---- read back ---- */
$whole = $lost = $corrupt = $readFailed = 0;
$lostIdx = [];
foreach ($sids as $i => $sid) {
    $got = null;
    for ($try = 0; $try < 20; $try++) {
        $got = false;
        if (one_request($sid, function () use (&$got) { $got = $_SESSION; }, ['read_and_close' => true]) && $got !== false) break;
        $got = null;
        usleep(250000);   /* the topology is still settling: bounded retries */
    }
    if ($got === null) { $readFailed++; continue; }
    if ($got === []) { $lost++; $lostIdx[] = $i; continue; }
    if ($got === $want[$i]) $whole++;
    else $corrupt++;
}
$injectedSeen = count(array_intersect($lostIdx, array_keys($injected)));

out([
    'topology' => $topo,
    'wait_replicas' => $waitReplicas,
    'sessions' => $n,
    'whole' => $whole,
    'lost' => $lost,
    'lost_natural' => $lost - $injectedSeen,
    'lost_last' => array_slice(array_values(array_filter($lostIdx, fn($i) => !isset($injected[$i]))), 0, 20),
    'corrupt' => $corrupt,
    'read_failed' => $readFailed,
    'injected' => count($injected),
    'injected_seen' => $injectedSeen,
    'write_us_per_request' => round($writeNs / 1000 / $n, 1),
    'failover_s' => round($failoverS, 1),
    'victim' => $victim,
]);
