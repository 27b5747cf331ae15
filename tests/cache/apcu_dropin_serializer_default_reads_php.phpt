--TEST--
APCu drop-in: apc.serializer=default reads back as "php" under keepsake.cache.serializer (the serializer in effect)
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
