--TEST--
ring, strict mode: a refused id's lock drop that fails on its host (both replies cut) is counted in keepsake_session_stats()['errors'] once: when the new id lives on another host, whose read then succeeds without a warning, as when it lives on the same host, whose read reports that failure
--SKIPIF--
<?php require __DIR__ . '/faults.inc'; ks_fault_skip();
ob_start(); phpinfo(INFO_MODULES); if (!str_contains(ob_get_clean(), 'Session debug hooks')) die('skip needs --enable-keepsake-debug'); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=1
session.serialize_handler=php
session.gc_maxlifetime=1440
session.gc_probability=0
session.lazy_write=1
--FILE--
<?php
require __DIR__ . '/faults.inc';
require __DIR__ . '/../topology/ring.inc';
ob_start();
$a = ks_redis_start();
$b = ks_redis_start();
$proxy = new KsFaultProxy($a);
$ports = [$proxy->port, $b];
ini_set('session.save_handler', 'keepsake');
ini_set('session.save_path', ks_ring_path($ports, [], ks_fault_query(1.0, 1.0)));

/* An id the ring puts on the host behind $port (stats' node after an unlocked read). */
function id_on(int $port): string {
    ini_set('session.use_strict_mode', '0');   // or the read would be of a new id
    for ($i = 0; $i < 1000; $i++) {
        $sid = ks_sess_new_id();
        session_id($sid);
        session_start(['read_and_close' => true]);
        if (session_id() === $sid && str_ends_with(keepsake_session_stats()['node'], ":$port")) {
            ini_set('session.use_strict_mode', '1');
            return $sid;
        }
    }
    throw new RuntimeException("no id found for $port");
}
function errors(): int {
    return array_sum(keepsake_session_stats()['errors']);
}

/* An unknown id on the proxied host, and (debug builds' hook) the id PHP
 * makes instead of it on $new_on. */
function refused(KsFaultProxy $proxy, string $what, int $new_on): void {
    $bad = id_on($proxy->port);
    $new = id_on($new_on);
    $errors = errors();
    $resends = ks_sess_stat('release_resends');
    $proxy->set('drop', ['match' => KS_FAULT_MATCH_RELEASE]);
    $w = [];
    set_error_handler(function ($no, $s) use (&$w) { if (str_contains($s, 'keepsake:')) $w[] = $s; return true; });
    putenv('KEEPSAKE_DEBUG_FORCE_SID=' . $new);
    session_id($bad);
    $ok = session_start();
    $id = session_id();
    putenv('KEEPSAKE_DEBUG_FORCE_SID');
    $proxy->set('pass');
    if ($ok) {
        $_SESSION['n'] = 1;
        session_write_close();
    }
    restore_error_handler();
    echo "$what: started ", var_export($ok, true), ', id ', !$ok ? '-' : ($id === $new ? 'the new one' : ($id === $bad ? 'the refused one' : '?')),
        ', keepsake warnings ', count($w), ', errors counted ', errors() - $errors,
        ', resends ', ks_sess_stat('release_resends') - $resends, "\n";
    foreach ($w as $s) echo '  ', preg_replace('/127\.0\.0\.1:\d+/', 'HOST', $s), "\n";
}

refused($proxy, 'new id on the other host', $b);
refused($proxy, 'new id on the same host', $proxy->port);
$proxy->stop();
?>
--EXPECTF--
new id on the other host: started true, id the new one, keepsake warnings 0, errors counted 1, resends 1
new id on the same host: started false, id -, keepsake warnings 1, errors counted 1, resends 1
  session_start(): keepsake: session read failed: %s
