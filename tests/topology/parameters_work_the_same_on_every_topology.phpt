--TEST--
parameters: prefix, database, auth (keepsake.session.auth), timeout/read_timeout and persistent work the same on tcp://, tls://, two hosts, sentinel:// and cluster:// (cluster refuses database>0 as documented)
--SKIPIF--
<?php
require __DIR__ . '/topo.inc';
foreach (['tls', 'hosts', 'sentinel', 'cluster'] as $p) ks_topo_skip_unless($p);
?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
keepsake.session.connect_timeout=10
keepsake.session.read_timeout=10
--FILE--
<?php
require __DIR__ . '/sentinel.inc';
/* cluster.inc cannot be included too (both define ks_wait_until): its two helpers, here. */
function cl_nodes(array $env): array { return explode(',', $env['KEEPSAKE_TOPO_CLUSTER']); }
function cl_masters(array $env): array {
    $m = [];
    foreach (cl_nodes($env) as $n) {
        try { $r = (new KsRedis('127.0.0.1', port_of($n)))->cmd('ROLE'); } catch (RuntimeException $e) { continue; }
        if (is_array($r) && $r[0] === 'master') $m[] = port_of($n);
    }
    return $m;
}
ob_start();

const PW = 'parity-right-pw-7431';
const WRONG = 'parity-wrong-pw-1187';
const DB = 3;
/* Every save_path carries the same parameters (cluster: without database). */
const COMMON = 'timeout=5&read_timeout=5';

/* One command on 127.0.0.1:$port over a fresh connection, authenticated when
 * the test's password is set, in database $db. */
function node(int $port, int $db, string ...$cmd) {
    $r = new KsRedis('127.0.0.1', $port);
    if (!empty($GLOBALS['pw_on'][$port])) {
        $a = $r->cmd('AUTH', PW);
        if ($a !== 'OK') throw new RuntimeException("AUTH on $port: " . ($a->message ?? var_export($a, true)));
    }
    if ($db !== 0) $r->cmd('SELECT', (string)$db);
    return $r->cmd(...$cmd);
}
function port_of(string $hp): int { return (int)explode(':', $hp)[1]; }

/* requirepass (and masterauth for replicas) on $ports; sentinels learn the
 * password first with SENTINEL SET auth-pass so they never see NOAUTH. */
function auth_on(array $t): void {
    foreach ($t['sentinels'] as $s) node($s, 0, 'SENTINEL', 'SET', $t['master_name'], 'auth-pass', PW);
    foreach ($t['auth_ports'] as $p) node($p, 0, 'CONFIG', 'SET', 'masterauth', PW);
    foreach ($t['auth_ports'] as $p) {
        $r = node($p, 0, 'CONFIG', 'SET', 'requirepass', PW);
        if ($r !== 'OK') throw new RuntimeException("requirepass on $p refused");
        $GLOBALS['pw_on'][$p] = true;
    }
}
function auth_off(array $t): void {
    foreach ($t['auth_ports'] as $p) {
        if (empty($GLOBALS['pw_on'][$p])) continue;
        node($p, 0, 'CONFIG', 'SET', 'requirepass', '');
        unset($GLOBALS['pw_on'][$p]);
        node($p, 0, 'CONFIG', 'SET', 'masterauth', '');
    }
    foreach ($t['sentinels'] as $s) node($s, 0, 'SENTINEL', 'SET', $t['master_name'], 'auth-pass', '');
}

/* Runs $fn collecting every warning; returns [result, messages]. */
function catching(callable $fn): array {
    $msgs = [];
    set_error_handler(function ($no, $str) use (&$msgs) { $msgs[] = $str; return true; });
    try { $r = $fn(); } finally { restore_error_handler(); }
    return [$r, $msgs];
}

/* The data nodes among $t['data_ports'] where $key exists in database $db. */
function holders(array $t, string $key, int $db): array {
    $on = [];
    foreach ($t['data_ports'] as $p) {
        if (node($p, $db, 'EXISTS', $key) === 1) $on[] = $p;
    }
    return $on;
}

function report(string $topo, string $check, array $fails): void {
    printf("%-8s %-34s %s\n", $topo, $check, $fails ? 'FAIL: ' . implode('; ', $fails) : 'ok');
}

/* ---- the topologies ---- */
$tls = ks_topo_start('tls');
$hosts = ks_topo_start('hosts');
$sent = ks_topo_start('sentinel');
$clu = ks_topo_start('cluster');

$plain = (int)$tls['KEEPSAKE_TOPO_TLS_PLAIN_PORT'];
$ring = array_slice(array_map('port_of', explode(',', $hosts['KEEPSAKE_TOPO_HOSTS'])), 0, 2);
$smaster = ks_sentinel_master($sent);
$cmasters = cl_masters($clu);
$pfx = rawurlencode(ks_sess_prefix());
$none = ['sentinels' => [], 'master_name' => ''];

$topos = [
    'tcp' => $none + ['db' => true, 'data_ports' => [$plain], 'auth_ports' => [$plain],
        'path' => fn($q) => "tcp://127.0.0.1:$plain?prefix=$pfx&$q"],
    'tls' => $none + ['db' => true, 'data_ports' => [$plain], 'auth_ports' => [$plain],
        'path' => fn($q) => ks_topo_tls_path($tls, (int)$tls['KEEPSAKE_TOPO_TLS_PORT'],
            'tls_ca=' . rawurlencode($tls['KEEPSAKE_TOPO_TLS_CA']) . "&$q")],
    'ring' => $none + ['db' => true, 'data_ports' => $ring, 'auth_ports' => $ring,
        'path' => fn($q) => ks_ring_path2($ring, $q)],
    'sentinel' => ['db' => true, 'data_ports' => [port_of((string)$smaster)],
        'auth_ports' => [port_of($sent['KEEPSAKE_TOPO_SENTINEL_MASTER']), port_of($sent['KEEPSAKE_TOPO_SENTINEL_REPLICA'])],
        'sentinels' => array_map('port_of', explode(',', $sent['KEEPSAKE_TOPO_SENTINELS'])),
        'master_name' => $sent['KEEPSAKE_TOPO_SENTINEL_NAME'],
        'path' => fn($q) => ks_sentinel_path($sent, $q)],
    'cluster' => $none + ['db' => false, 'data_ports' => $cmasters,
        'auth_ports' => array_map('port_of', cl_nodes($clu)),
        'path' => fn($q) => 'cluster://' . implode(',', array_slice(cl_nodes($clu), 0, 2)) . "?prefix=$pfx&$q"],
];
function ks_ring_path2(array $ports, string $q): string {
    $h = [];
    foreach ($ports as $p) $h[] = "tcp://127.0.0.1:$p?prefix=" . rawurlencode(ks_sess_prefix()) . "&$q";
    return implode(', ', $h);
}

/* A shutdown function of our own would run after topo.inc has stopped the
 * servers; restoring on the way out of each topology is enough, and a
 * failure there is reported below. */
ini_set('session.save_handler', 'keepsake');
foreach ($topos as $name => $t) {
    try {
        $db = $t['db'] ? DB : 0;
        $q = COMMON . ($t['db'] ? '&database=' . DB : '');

        /* database on cluster://: documented as "must stay 0"; keepsake refuses it. */
        if (!$t['db']) {
            ini_set('session.save_path', ($t['path'])(COMMON . '&database=' . DB));
            [$r, $m] = catching(fn() => ks_sess_request(ks_sess_new_id()));
            $f = [];
            if ($r !== false) $f[] = 'session_start() succeeded';
            $ks = array_values(array_filter($m, fn($x) => str_contains($x, 'keepsake:')));
            if (count($ks) !== 1 || !str_contains($ks[0], 'database=' . DB . ': Redis Cluster has only database 0'))
                $f[] = 'warnings: ' . json_encode($m);
            report($name, 'database=' . DB . ' refused (documented)', $f);
        }

        auth_on($t);

        /* A wrong keepsake.session.auth: one keepsake warning, no password anywhere. */
        ini_set('session.save_path', ($t['path'])($q . '&persistent=0'));
        ini_set('keepsake.session.auth', WRONG);
        $errs = keepsake_session_stats()['errors'];
        [$r, $m] = catching(fn() => ks_sess_request(ks_sess_new_id()));
        $f = [];
        if ($r !== false) $f[] = 'session_start() succeeded with a wrong password';
        $ks = array_values(array_filter($m, fn($x) => str_contains($x, 'keepsake:')));
        /* WRONGPASS is Redis's answer to a wrong password; NOAUTH would mean none was sent. */
        if (count($ks) !== 1 || !str_contains($ks[0], 'WRONGPASS')) $f[] = 'keepsake warnings: ' . json_encode($ks);
        foreach ($m as $x) if (str_contains($x, WRONG) || str_contains($x, PW)) $f[] = 'a password shows: ' . $x;
        report($name, 'wrong auth: one warning, no secret', $f);
        /* ... and keepsake_session_stats()['errors'] counts it as an auth error, as on tcp://. */
        $grew = array_keys(array_filter(keepsake_session_stats()['errors'], fn($v, $k) => $v !== $errs[$k], ARRAY_FILTER_USE_BOTH));
        report($name, 'wrong auth counted in errors[auth]', $grew === ['auth'] ? [] : ['counted in ' . json_encode($grew)]);

        /* The right password, persistent=1: written, read back, stored at
         * <prefix>{<sid>} in database N on one node; one connection reused. */
        ini_set('keepsake.session.auth', PW);
        ini_set('session.save_path', ($t['path'])($q . '&persistent=1'));
        $sid = ks_sess_new_id();
        $f = [];
        $GLOBALS['seen'] = null;
        [$r1, $m1] = catching(fn() => ks_sess_request($sid, function () { $_SESSION['n'] = 1; }));
        $c1 = keepsake_session_stats()['connects'];
        [$r2, $m2] = catching(fn() => ks_sess_request($sid, function () { $_SESSION['n']++; }));
        [$r3, $m3] = catching(fn() => ks_sess_request($sid, function () { $GLOBALS['seen'] = $_SESSION['n'] ?? null; }));
        $c3 = keepsake_session_stats()['connects'];
        if (!$r1 || !$r2 || !$r3 || $m1 || $m2 || $m3) $f[] = 'requests: ' . json_encode([$r1, $r2, $r3, $m1, $m2, $m3]);
        if ($GLOBALS['seen'] !== 2) $f[] = 'read back ' . var_export($GLOBALS['seen'], true) . ', want 2';
        $key = ks_sess_key($sid);
        $on = holders($t, $key, $db);
        if (count($on) !== 1) $f[] = "$key in database $db on " . count($on) . ' nodes';
        elseif (node($on[0], $db, 'GET', $key) !== 'n|i:2;') $f[] = "$key holds " . var_export(node($on[0], $db, 'GET', $key), true);
        if ($db !== 0 && holders($t, $key, 0)) $f[] = "$key is in database 0 too";
        report($name, "prefix" . ($db ? "+database=$db" : '') . '+auth+timeouts stored', $f);
        report($name, 'persistent=1 reuses (' . ($c3 - $c1) . ' connects)',
            $c3 - $c1 === 0 && $r1 && $r2 && $r3 ? [] : ['reconnected or failed']);

        /* persistent=0, same parameters: every request connects again. */
        ini_set('session.save_path', ($t['path'])($q . '&persistent=0'));
        [$r, $m] = catching(fn() => ks_sess_request($sid, function () { $_SESSION['n']++; }));
        $c1 = keepsake_session_stats()['connects'];
        [$r2, $m2] = catching(fn() => ks_sess_request($sid, function () { $_SESSION['n']++; }));
        [$r3, $m3] = catching(fn() => ks_sess_request($sid, function () { $_SESSION['n']++; }));
        $c3 = keepsake_session_stats()['connects'];
        $f = [];
        if (!$r || !$r2 || !$r3 || $m || $m2 || $m3) $f[] = 'requests: ' . json_encode([$r, $r2, $r3, $m, $m2, $m3]);
        if ($c3 - $c1 < 2) $f[] = ($c3 - $c1) . ' connects in 2 requests';
        if (($on ? node($on[0], $db, 'GET', $key) : null) !== 'n|i:5;') $f[] = 'data after persistent=0 requests wrong';
        report($name, 'persistent=0 reconnects each request', $f);
    } catch (Throwable $e) {
        report($name, 'setup', [$e->getMessage()]);
    } finally {
        ini_set('keepsake.session.auth', '');
        try { auth_off($t); } catch (Throwable $e) { report($name, 'restore auth', [$e->getMessage()]); }
    }
}
?>
--EXPECT--
tcp      wrong auth: one warning, no secret ok
tcp      wrong auth counted in errors[auth] ok
tcp      prefix+database=3+auth+timeouts stored ok
tcp      persistent=1 reuses (0 connects)   ok
tcp      persistent=0 reconnects each request ok
tls      wrong auth: one warning, no secret ok
tls      wrong auth counted in errors[auth] ok
tls      prefix+database=3+auth+timeouts stored ok
tls      persistent=1 reuses (0 connects)   ok
tls      persistent=0 reconnects each request ok
ring     wrong auth: one warning, no secret ok
ring     wrong auth counted in errors[auth] ok
ring     prefix+database=3+auth+timeouts stored ok
ring     persistent=1 reuses (0 connects)   ok
ring     persistent=0 reconnects each request ok
sentinel wrong auth: one warning, no secret ok
sentinel wrong auth counted in errors[auth] ok
sentinel prefix+database=3+auth+timeouts stored ok
sentinel persistent=1 reuses (0 connects)   ok
sentinel persistent=0 reconnects each request ok
cluster  database=3 refused (documented)    ok
cluster  wrong auth: one warning, no secret ok
cluster  wrong auth counted in errors[auth] ok
cluster  prefix+auth+timeouts stored        ok
cluster  persistent=1 reuses (0 connects)   ok
cluster  persistent=0 reconnects each request ok
