--TEST--
review: apc.serializer=default is taken as "php", but ini_get('keepsake.cache.serializer') then reads "default", a value keepsake's own setting rejects
--INI--
keepsake.cache.apcu_compat=1
apc.serializer=default
--FILE--
<?php
var_dump(ini_get('apc.serializer'), ini_get('keepsake.cache.serializer'));
?>
--EXPECT--
string(7) "default"
string(3) "php"
