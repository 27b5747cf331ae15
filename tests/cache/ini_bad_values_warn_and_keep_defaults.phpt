--TEST--
Bad INI values: one startup warning each naming the setting, and the default is kept
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.size=12Q
keepsake.cache.shards=3
keepsake.cache.serializer=msgpack
keepsake.cache.lock_timeout=-5
--FILE--
<?php
var_dump(ini_get('keepsake.cache.size'), ini_get('keepsake.cache.shards'), ini_get('keepsake.cache.serializer'), ini_get('keepsake.cache.lock_timeout'));
var_dump(keepsake_cache_enabled(), keepsake_cache_info(true)['shards']);
var_dump(ini_set('keepsake.cache.lock_timeout', 'abc'), ini_get('keepsake.cache.lock_timeout'));
var_dump(ini_set('keepsake.cache.lock_timeout', '250'), ini_get('keepsake.cache.lock_timeout'));
?>
--EXPECTF--
%AWarning: PHP Startup: keepsake.cache.size must be a size of at least 1M (suffixes K, M, G), got '12Q'; keeping the default 32M in %a
%AWarning: PHP Startup: keepsake.cache.shards must be a power of two from 1 to 256, got '3'; keeping the default 8 in %a
%AWarning: PHP Startup: keepsake.cache.serializer must be 'php' or 'igbinary', got 'msgpack'; keeping 'php' in %a
%AWarning: PHP Startup: keepsake.cache.lock_timeout must be an integer >= 1, got '-5'; keeping the previous value in %a
string(3) "32M"
string(1) "8"
string(3) "php"
string(4) "1000"
bool(true)
int(8)

Warning: ini_set(): keepsake.cache.lock_timeout must be an integer >= 1, got 'abc'; keeping the previous value in %s on line %d
bool(false)
string(4) "1000"
string(4) "1000"
string(3) "250"
