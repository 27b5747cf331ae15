--TEST--
Every warning about a key shows at most its first 128 bytes (a 100 KB key gives no 100 KB warning): a resource, a value nested too deep, a bad entry() TTL
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
$key = str_repeat('k', 100000);
$deep = [];
for ($i = 0; $i < 1100; $i++) $deep = [$deep];
$msgs = [];
set_error_handler(function ($no, $msg) use (&$msgs) { $msgs[] = $msg; return true; });
keepsake_cache_store($key, fopen('php://memory', 'r'));
keepsake_cache_store($key, $deep);
keepsake_cache_entry($key, fn() => 1, -1);
restore_error_handler();
foreach ($msgs as $m) {
    echo strlen($m) < 300 ? 'short' : 'LONG (' . strlen($m) . ' bytes)', ': ', str_replace(str_repeat('k', 128), 'k{128}', $m), "\n";
}
?>
--EXPECT--
short: keepsake_cache_store(): cannot store key 'k{128}...': resources cannot be cached
short: keepsake_cache_store(): cannot store key 'k{128}...': the value is nested deeper than 1024 levels
short: keepsake_cache_entry(): cannot cache key 'k{128}...': ttl must be 0 (no TTL) or a number of seconds, got -1; computing it without caching
