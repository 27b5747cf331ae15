--TEST--
migrate_from=phpredis: sessions written by phpredis are read and updated by keepsake, then live under keepsake's key only (also with lazy_write, strict mode and destroy)
--SKIPIF--
<?php require __DIR__ . '/migrate.inc'; ks_redis_skip_if_down(); ks_mig_skip_without_phpredis(); ?>
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
require __DIR__ . '/migrate.inc';
ob_start();
$old = ks_mig_phpredis_ini();
$r = ks_redis();
[$a, $b, $c, $d, $e] = [ks_sess_new_id(), ks_sess_new_id(), ks_sess_new_id(), ks_sess_new_id(), ks_sess_new_id()];
foreach ([$a, $b, $c, $d] as $i => $sid) {
    ks_mig_old_write($old, $sid, ['user' => "u$i", 'n' => 10 * $i]);
}
echo "phpredis wrote: ", var_export($r->cmd('GET', ks_mig_old_prefix() . $a), true), "\n";

ks_mig_use('phpredis');
ks_sess_request(ks_sess_new_id(), function () { $_SESSION['warm'] = 1; });   // loads the scripts (NOSCRIPT costs a round trip once)
$rt0 = ks_sess_stat('round_trips');
// $a: read, then changed.
ks_sess_request($a, function () { echo 'a read: ', json_encode($_SESSION), "\n"; $_SESSION['n']++; });
echo "a keys: ", json_encode(ks_mig_keys_of($a) === [ks_sess_key($a)]), ' ', $r->cmd('GET', ks_sess_key($a)),
    ' ttl ok: ', json_encode($r->cmd('TTL', ks_sess_key($a)) > 1400), "\n";
echo "a round trips: ", ks_sess_stat('round_trips') - $rt0, "\n";
// Once adopted, keepsake's copy wins: a stray old copy is never read again.
$r->cmd('SET', ks_mig_old_prefix() . $a, 'user|s:5:"stale";');
$rt0 = ks_sess_stat('round_trips');
ks_sess_request($a, function () { echo 'a again: ', json_encode($_SESSION), "\n"; });
echo "a again round trips: ", ks_sess_stat('round_trips') - $rt0, "\n";
$r->cmd('DEL', ks_mig_old_prefix() . $a);

// $b: read but not changed (lazy_write: PHP calls update_timestamp, not write).
ks_sess_request($b, function () { echo 'b read: ', json_encode($_SESSION), "\n"; });
echo "b keys: ", json_encode(ks_mig_keys_of($b) === [ks_sess_key($b)]), ' ', $r->cmd('GET', ks_sess_key($b)), "\n";

// $c: strict mode keeps an id that only phpredis has.
ini_set('session.use_strict_mode', 1);
session_id($c);
session_start();
echo "c id kept: ", json_encode(session_id() === $c), ' ', json_encode($_SESSION), "\n";
session_write_close();
ini_set('session.use_strict_mode', 0);
echo "c keys: ", json_encode(ks_mig_keys_of($c) === [ks_sess_key($c)]), "\n";

// $d: destroyed: gone from both stores.
session_id($d);
session_start();
session_destroy();
echo "d keys: ", json_encode(ks_mig_keys_of($d)), "\n";

// $e: no copy anywhere: a new, empty session, and nothing created in phpredis's name.
$rt0 = ks_sess_stat('round_trips');
ks_sess_request($e, function () { echo 'e read: ', json_encode($_SESSION), "\n"; $_SESSION['x'] = 1; });
echo "e keys: ", json_encode(ks_mig_keys_of($e) === [ks_sess_key($e)]), ', round trips: ', ks_sess_stat('round_trips') - $rt0, "\n";

// And phpredis, started again on $a, finds nothing: the session moved.
[$out, $err, $rc] = ks_mig_run($old, 'session_id($argv[1]); session_start(); echo json_encode($_SESSION);', [$a]);
echo "phpredis on a: $out$err rc=$rc\n";
$buf = ob_get_clean();
echo $buf;
?>
--EXPECT--
phpredis wrote: 'user|s:2:"u0";n|i:0;'
a read: {"user":"u0","n":0}
a keys: true user|s:2:"u0";n|i:1; ttl ok: true
a round trips: 4
a again: {"user":"u0","n":1}
a again round trips: 2
b read: {"user":"u1","n":10}
b keys: true user|s:2:"u1";n|i:10;
c id kept: true {"user":"u2","n":20}
c keys: true
d keys: []
e read: []
e keys: true, round trips: 3
phpredis on a: [] rc=0
