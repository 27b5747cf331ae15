--TEST--
timeouts: a save_path timeout or read_timeout above one day (86400 s), and a lock_ttl or lock_wait above one day in ms, are refused with one warning instead of overflowing an int; one day itself works
--SKIPIF--
<?php require __DIR__ . '/sess.inc'; ks_redis_skip_if_down(); ?>
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
set_error_handler(function ($no, $msg) { echo $msg, "\n"; return true; });
$sid = ks_sess_new_id();
foreach (['read_timeout=3000000', 'timeout=86400.5'] as $q) {
    ks_sess_use($q);
    session_id($sid);
    var_dump(session_start());
}
ks_sess_use('read_timeout=86400&timeout=86400');
var_dump(ks_sess_request($sid, function () { $_SESSION['n'] = 1; }));
var_dump(ini_set('keepsake.session.lock_wait', '3000000000'), ini_get('keepsake.session.lock_wait'));
var_dump(ini_set('keepsake.session.lock_ttl', '86400001'), ini_get('keepsake.session.lock_ttl'));
var_dump(ini_set('keepsake.session.read_timeout', '86401'), ini_get('keepsake.session.read_timeout'));
var_dump(ini_set('keepsake.session.lock_ttl', '86400000') !== false, ini_set('keepsake.session.lock_wait', '86400000') !== false);
var_dump(ks_sess_request($sid, function () { $_SESSION['n']++; }));
var_dump(ks_redis()->cmd('GET', ks_sess_key($sid)));
?>
--EXPECTF--
session_start(): keepsake: malformed session.save_path: bad value for 'read_timeout' in host 1 at offset %d (want seconds > 0, at most 86400)
session_start(): Failed to initialize storage module: keepsake (path: %s)
bool(false)
session_start(): keepsake: malformed session.save_path: bad value for 'timeout' in host 1 at offset %d (want seconds > 0, at most 86400)
session_start(): Failed to initialize storage module: keepsake (path: %s)
bool(false)
bool(true)
ini_set(): Invalid value "3000000000" for keepsake.session.lock_wait: want an integer from -1 to 86400000; the setting was not changed
bool(false)
string(2) "-1"
ini_set(): Invalid value "86400001" for keepsake.session.lock_ttl: want an integer from 0 to 86400000; the setting was not changed
bool(false)
string(1) "0"
ini_set(): Invalid value "86401" for keepsake.session.read_timeout: want seconds > 0 (at most 86400), e.g. 1.5; the setting was not changed
bool(false)
string(1) "2"
bool(true)
bool(true)
bool(true)
string(6) "n|i:2;"
