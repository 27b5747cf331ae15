--TEST--
Resources are refused with a clear warning, also inside arrays and next to objects
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
$fp = fopen('php://memory', 'r');
var_dump(keepsake_cache_store('r', $fp));
var_dump(keepsake_cache_store('ra', [1, [$fp]]));
var_dump(keepsake_cache_store('ro', [new stdClass, $fp]));
var_dump(keepsake_cache_exists(['r', 'ra', 'ro']));
// a closure cannot be serialized: the exception propagates, nothing is stored
try {
    keepsake_cache_store('cl', function () {});
} catch (Exception $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
var_dump(keepsake_cache_exists('cl'));
?>
--EXPECTF--
Warning: keepsake_cache_store(): cannot store key 'r': resources cannot be cached in %s on line %d
bool(false)

Warning: keepsake_cache_store(): cannot store key 'ra': resources cannot be cached in %s on line %d
bool(false)

Warning: keepsake_cache_store(): cannot store key 'ro': resources cannot be cached in %s on line %d
bool(false)
array(0) {
}
Exception: Serialization of 'Closure' is not allowed
bool(false)
