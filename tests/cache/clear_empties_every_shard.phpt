--TEST--
clear(): removes every entry, returns true, and is not counted as a full wipe
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
for ($i = 0; $i < 100; $i++) keepsake_cache_store("k$i", $i);
var_dump(keepsake_cache_info(true)['num_entries']);
var_dump(keepsake_cache_clear());
$i = keepsake_cache_info(true);
var_dump($i['num_entries'], $i['mem_size'], $i['full_wipes'], keepsake_cache_fetch('k1'));
var_dump(keepsake_cache_store('after', 1), keepsake_cache_fetch('after'));
?>
--EXPECT--
int(100)
bool(true)
int(0)
int(0)
int(0)
bool(false)
bool(true)
int(1)
