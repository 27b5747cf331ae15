--TEST--
Resources are refused with a clear warning, also inside arrays, next to objects and in objects' properties
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
$fp = fopen('php://memory', 'r');
var_dump(keepsake_cache_store('r', $fp));
var_dump(keepsake_cache_store('ra', [1, [$fp]]));
var_dump(keepsake_cache_store('ro', [new stdClass, $fp]));
// inside objects serialized from their properties (serialize() would write 0)
class Holder { public $name = 'h'; private $handle; function __construct($h) { $this->handle = $h; } }
class Reopens { public $path = 'php://memory'; public $fp;
    function __construct($fp) { $this->fp = $fp; }
    function __sleep() { return ['path']; }
    function __wakeup() { $this->fp = fopen($this->path, 'r'); } }
$o = new stdClass;
$o->fp = $fp;
var_dump(keepsake_cache_store('o', $o));
var_dump(keepsake_cache_store('op', new Holder($fp)));
$deep = new stdClass;
$deep->list = [[], ['x' => new Holder([1, [$fp]])]];
var_dump(keepsake_cache_store('od', ['e' => [], 'v' => $deep]));
var_dump(keepsake_cache_exists(['r', 'ra', 'ro', 'o', 'op', 'od']));
// a class that drops the resource in __sleep and reopens it in __wakeup is stored
var_dump(keepsake_cache_store('sleep', new Reopens($fp)), is_resource(keepsake_cache_fetch('sleep')->fp));
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

Warning: keepsake_cache_store(): cannot store key 'o': resources cannot be cached in %s on line %d
bool(false)

Warning: keepsake_cache_store(): cannot store key 'op': resources cannot be cached in %s on line %d
bool(false)

Warning: keepsake_cache_store(): cannot store key 'od': resources cannot be cached in %s on line %d
bool(false)
array(0) {
}
bool(true)
bool(true)
Exception: Serialization of 'Closure' is not allowed
bool(false)
