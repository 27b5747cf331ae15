--TEST--
sentinel: after a forced failover (the old master stays up, now a replica) the kept connection is replaced and the sentinels asked again; the next request succeeds on the new master with no warning
--SKIPIF--
<?php require __DIR__ . '/sentinel.inc'; ks_topo_skip_unless('sentinel'); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
keepsake.session.persistent=1
keepsake.session.connect_timeout=2
--FILE--
<?php
require __DIR__ . '/sentinel.inc';
ob_start();
$env = ks_topo_start('sentinel');
$master = $env['KEEPSAKE_TOPO_SENTINEL_MASTER'];
$replica = $env['KEEPSAKE_TOPO_SENTINEL_REPLICA'];
ini_set('session.save_handler', 'keepsake');
ini_set('session.save_path', ks_sentinel_path($env));
$sid = ks_sess_new_id();
var_dump(ks_sess_request($sid, function () { $_SESSION['n'] = 1; }));
$connects = keepsake_session_stats()['connects'];
/* Wait until the replica has the data, then swap the roles without killing anyone. */
var_dump(ks_wait_until(fn() => ks_redis((int)explode(':', $replica)[1])->cmd('EXISTS', ks_sess_key($sid)) === 1, 30));
$s1 = (int)explode(':', explode(',', $env['KEEPSAKE_TOPO_SENTINELS'])[0])[1];
var_dump((new KsRedis('127.0.0.1', $s1))->cmd('SENTINEL', 'FAILOVER', $env['KEEPSAKE_TOPO_SENTINEL_NAME']));
var_dump(ks_wait_until(fn() => ks_sentinel_master($env) === $replica && ks_role($replica) === 'master'
    && ks_role($master) === 'slave', 60));
/* The persistent socket pointed at the old master, now a replica (Sentinel
 * also kills its clients during a failover; if it did not, the socket would
 * answer READONLY, which drops it the same way: see readonly_reply_*.phpt). */
$warnings = [];
set_error_handler(function ($no, $msg) use (&$warnings) { $warnings[] = $msg; return true; });
var_dump(ks_sess_request($sid, function () { $_SESSION['n']++; }));
restore_error_handler();
var_dump($warnings);
$s = keepsake_session_stats();
var_dump($s['connects'] - $connects, str_starts_with($s['node'], "tcp://$replica "));
/* A fresh client: Redis closed the test's own connections when the roles changed. */
var_dump(str_contains((new KsRedis('127.0.0.1', (int)explode(':', $replica)[1]))->cmd('GET', ks_sess_key($sid)), 'n|i:2;'));
?>
--EXPECT--
bool(true)
bool(true)
string(2) "OK"
bool(true)
bool(true)
array(0) {
}
int(1)
bool(true)
bool(true)
