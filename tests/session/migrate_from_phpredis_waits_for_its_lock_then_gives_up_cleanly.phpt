--TEST--
migrate_from=phpredis: a phpredis lock held longer than lock_wait fails the read with one warning, releases keepsake's lock and leaves the old session for the next request
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
keepsake.session.lock_wait=300
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/migrate.inc';
ob_start();
$r = ks_redis();
$sid = ks_sess_new_id();
ks_mig_old_write(ks_mig_phpredis_ini(), $sid, ['n' => 7]);
$r->cmd('SET', ks_mig_old_prefix() . $sid . '_LOCK', 'an-old-worker', 'PX', '20000');
ks_mig_use('phpredis');
$t = microtime(true);
$ok = ks_sess_request($sid, function () { $_SESSION['n']++; });
$took = microtime(true) - $t;
echo "start: ", json_encode($ok), ", waited at least the budget: ", json_encode($took >= 0.29), ", bounded: ", json_encode($took < 5), "\n";
echo "old copy kept: ", $r->cmd('GET', ks_mig_old_prefix() . $sid), "\n";
echo "keepsake lock free: ", json_encode($r->cmd('EXISTS', ks_sess_key($sid, ':lock')) === 0), ", keys: ",
    json_encode(ks_mig_keys_of($sid) === [ks_mig_old_prefix() . $sid, ks_mig_old_prefix() . $sid . '_LOCK']), "\n";
$r->cmd('DEL', ks_mig_old_prefix() . $sid . '_LOCK');   // the old request ends
ks_sess_request($sid, function () { echo "then adopted: ", json_encode($_SESSION), "\n"; $_SESSION['n']++; });
echo "stored: ", $r->cmd('GET', ks_sess_key($sid)), ", keys: ", json_encode(ks_mig_keys_of($sid) === [ks_sess_key($sid)]), "\n";
$out = ob_get_clean();
echo preg_replace('/on tcp:\/\/[^ ]+/', 'on HOST', $out);
?>
--EXPECTF--
Warning: session_start(): keepsake: session read (the old phpredis session) failed: phpredis's session lock t:migrate_from_phpredis_waits_for_its_lock_then_gives_up_cleanly:old:<sid>_LOCK on %s was held for the whole lock wait of %d ms in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: %s) in %s on line %d
start: false, waited at least the budget: true, bounded: true
old copy kept: n|i:7;
keepsake lock free: true, keys: true
then adopted: {"n":7}
stored: n|i:8;, keys: true
