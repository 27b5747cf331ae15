--TEST--
Built-in containers that hold themselves (SplObjectStorage, ArrayObject of an object that points back) are scanned once and stored; a resource behind the cycle is still found
--INI--
keepsake.cache.enable_cli=1
--SKIPIF--
<?php
/* PHP 8.2 itself leaks a SplObjectStorage that holds itself (serialize()
 * alone shows it under valgrind), so this only runs without valgrind. */
if (getenv('USE_ZEND_ALLOC') === '0') die('skip PHP leaks a self-holding SplObjectStorage under valgrind');
?>
--FILE--
<?php
$s = new SplObjectStorage;
$s[$s] = 'itself';
var_dump(keepsake_cache_store('s', $s));
$got = keepsake_cache_fetch('s');
var_dump(count($got), $got[$got]);

$o = new stdClass;
$a = new ArrayObject($o);
$o->back = $a;
$o->list = new ArrayObject([$a, $s]);
var_dump(keepsake_cache_store('a', $a), keepsake_cache_fetch('a')['back'] instanceof ArrayObject);

$o->list[] = fopen('php://memory', 'r');
var_dump(keepsake_cache_store('a2', $a));
?>
--EXPECTF--
bool(true)
int(1)
string(6) "itself"
bool(true)
bool(true)

Warning: keepsake_cache_store(): cannot store key 'a2': resources cannot be cached in %s on line %d
bool(false)
