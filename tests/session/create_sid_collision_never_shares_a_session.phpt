--TEST--
create_sid: a generated id that is already in use is detected by the first read (locked or not) and never shares that session
--SKIPIF--
<?php require __DIR__ . '/sess.inc'; ks_redis_skip_if_down();
ob_start(); phpinfo(INFO_MODULES); if (!str_contains(ob_get_clean(), 'Session debug hooks')) die('skip needs --enable-keepsake-debug'); ?>
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
require __DIR__ . '/sess.inc';
ob_start();
ks_sess_use();
$taken = ks_sess_new_id();
ks_sess_request($taken, function () { $_SESSION['owner'] = 'alice'; });
putenv('KEEPSAKE_DEBUG_FORCE_SID=' . $taken);
/* Locked: 2 round trips, the Lua-free SET NX + EXISTS, which finds the
 * collision, then the release script that gives back the lock the SET took
 * (3 when this server has not run that script yet: NOSCRIPT, then EVAL);
 * unlocked: 1 (GET). */
foreach ([1, 0] as $locking) {
    ini_set('keepsake.session.locking', $locking);
    $rt = ks_sess_stat('round_trips');
    session_id('');
    var_dump(session_start());
    $d = ks_sess_stat('round_trips') - $rt;
    var_dump($_SESSION['owner'] ?? 'not shared', $locking ? ($d === 2 || $d === 3 ? 'as expected' : $d) : $d);
}
var_dump(ks_redis()->cmd('GET', ks_sess_key($taken)), ks_redis()->cmd('EXISTS', ks_sess_key($taken, ':lock')));
putenv('KEEPSAKE_DEBUG_FORCE_SID');
ini_set('keepsake.session.locking', 1);
session_id('');
var_dump(session_start(), session_id() !== $taken);
session_write_close();
?>
--EXPECTF--
Warning: session_start(): keepsake: session read failed: the newly generated session id is already in use; refusing to share it in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: %s) in %s on line %d
bool(false)
string(10) "not shared"
string(11) "as expected"

Warning: session_start(): keepsake: session read failed: the newly generated session id is already in use; refusing to share it in %s on line %d

Warning: session_start(): Failed to read session data: keepsake (path: %s) in %s on line %d
bool(false)
string(10) "not shared"
int(1)
string(18) "owner|s:5:"alice";"
int(0)
bool(true)
bool(true)
