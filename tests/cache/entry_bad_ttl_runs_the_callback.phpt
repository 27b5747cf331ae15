--TEST--
entry() with a TTL it refuses warns once, runs the callback and returns its result without caching it (as APCu)
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
$ran = 0;
var_dump(keepsake_cache_entry('k', function ($key) use (&$ran) { $ran++; return "computed $key"; }, -1));
var_dump($ran, keepsake_cache_exists('k'), keepsake_cache_info(true)['leases']);
// an exception from the callback still propagates
try {
    keepsake_cache_entry('k', function () { throw new LogicException('from the callback'); }, -5);
} catch (LogicException $e) {
    echo $e->getMessage(), "\n";
}
// a valid TTL afterwards caches as usual
var_dump(keepsake_cache_entry('k', fn() => 'cached', 60), keepsake_cache_fetch('k'));
?>
--EXPECTF--
Warning: keepsake_cache_entry(): cannot cache key 'k': ttl must be 0 (no TTL) or a number of seconds, got -1; computing it without caching in %s on line %d
string(10) "computed k"
int(1)
bool(false)
int(0)

Warning: keepsake_cache_entry(): cannot cache key 'k': ttl must be 0 (no TTL) or a number of seconds, got -5; computing it without caching in %s on line %d
from the callback
string(6) "cached"
string(6) "cached"
