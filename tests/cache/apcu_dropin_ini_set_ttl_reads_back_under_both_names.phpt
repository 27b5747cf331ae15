--TEST--
APCu drop-in: ini_set('keepsake.cache.ttl') reads back under apc.ttl too, and both go back at the end of the request's change (ini_restore)
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.apcu_compat=1
apc.ttl=3
apc.serializer=default
--FILE--
<?php
var_dump(ini_get('apc.ttl'), ini_get('keepsake.cache.ttl'));
ini_set('keepsake.cache.ttl', '9');
var_dump(ini_get('apc.ttl'), ini_get('keepsake.cache.ttl'));
apcu_store('t', 1);
var_dump(apcu_key_info('t')['ttl']);
ini_restore('keepsake.cache.ttl');
var_dump(ini_get('apc.ttl'), ini_get('keepsake.cache.ttl'));
apcu_store('u', 1);
var_dump(apcu_key_info('u')['ttl']);
var_dump(ini_get('apc.serializer'), ini_get('keepsake.cache.serializer'));
?>
--EXPECT--
string(1) "3"
string(1) "3"
string(1) "9"
string(1) "9"
int(9)
string(1) "3"
string(1) "3"
int(3)
string(7) "default"
string(3) "php"
