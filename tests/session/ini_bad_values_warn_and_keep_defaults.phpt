--TEST--
INI: bad keepsake.session.* values give a clear warning and keep the default; ini_set() of a bad value returns false
--SKIPIF--

--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.lazy_write=1
session.gc_probability=0
keepsake.session.lock_ttl=abc
keepsake.session.lock_timeout_action=maybe
keepsake.session.connect_timeout=-1
keepsake.session.compression=brotli
keepsake.session.lock_wait=-5
--FILE--
<?php
require __DIR__ . '/sess.inc';
ob_start();
var_dump(ini_get('keepsake.session.lock_ttl'), ini_get('keepsake.session.lock_timeout_action'),
    ini_get('keepsake.session.compression'), ini_get('keepsake.session.connect_timeout'), ini_get('keepsake.session.lock_wait'));
var_dump(ini_set('keepsake.session.read_timeout', '0'));
var_dump(ini_get('keepsake.session.read_timeout'));
var_dump(ini_set('keepsake.session.lock_timeout_action', 'readonly'), ini_get('keepsake.session.lock_timeout_action'));
var_dump(ini_set('keepsake.session.migrate_from', 'memcached'), ini_get('keepsake.session.migrate_from'));
var_dump(ini_set('keepsake.session.migrate_from', 'Files'), ini_get('keepsake.session.migrate_from'));
?>
--EXPECTF--
Warning: PHP Startup: Invalid value "abc" for keepsake.session.lock_ttl: want an integer from 0 to 86400000; the setting was not changed in Unknown on line 0

Warning: PHP Startup: Invalid value "-5" for keepsake.session.lock_wait: want an integer from -1 to 86400000; the setting was not changed in Unknown on line 0

Warning: PHP Startup: Invalid value "maybe" for keepsake.session.lock_timeout_action: want fail or readonly; the setting was not changed in Unknown on line 0

Warning: PHP Startup: Invalid value "-1" for keepsake.session.connect_timeout: want seconds > 0 (at most 86400), e.g. 1.5; the setting was not changed in Unknown on line 0

Warning: PHP Startup: Invalid value "brotli" for keepsake.session.compression: want none, lz4 or zstd; the setting was not changed in Unknown on line 0
string(1) "0"
string(4) "fail"
string(4) "none"
string(1) "1"
string(2) "-1"

Warning: ini_set(): Invalid value "0" for keepsake.session.read_timeout: want seconds > 0 (at most 86400), e.g. 1.5; the setting was not changed in %s on line %d
bool(false)
string(1) "2"
string(4) "fail"
string(8) "readonly"

Warning: ini_set(): Invalid value "memcached" for keepsake.session.migrate_from: want none, phpredis or files; the setting was not changed in %s on line %d
bool(false)
string(4) "none"
string(4) "none"
string(5) "Files"
