--TEST--
TTL: counted in seconds from creation, 0 means none; expired entries read as misses and add() succeeds
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
keepsake_cache_store('short', 'v', 1);
keepsake_cache_store('forever', 'v', 0);
var_dump(keepsake_cache_fetch('short'));
sleep(3);
var_dump(keepsake_cache_fetch('short'), keepsake_cache_exists('short'), keepsake_cache_fetch('forever'));
keepsake_cache_store('short2', 'old', 1);
sleep(3);
var_dump(keepsake_cache_add('short2', 'new'), keepsake_cache_fetch('short2'));
$i = keepsake_cache_info(true);
var_dump($i['evictions']['expired'] >= 1);
?>
--EXPECT--
string(1) "v"
bool(false)
bool(false)
string(1) "v"
bool(true)
string(3) "new"
bool(true)
