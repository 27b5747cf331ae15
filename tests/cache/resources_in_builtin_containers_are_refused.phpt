--TEST--
Resources inside built-in containers (ArrayObject, ArrayIterator, SplFixedArray, SplObjectStorage, SplDoublyLinkedList) are refused, not stored as 0; a user class's own __serialize is still trusted
--INI--
keepsake.cache.enable_cli=1
zend.exception_ignore_args=0
--FILE--
<?php
$fp = fopen('php://memory', 'r');
$storage = new SplObjectStorage;
$storage[new stdClass] = $fp;
$list = new SplDoublyLinkedList;
$list->push(1);
$list->push([$fp]);
class MyArrayObject extends ArrayObject {}
class Reopening extends ArrayObject {
    public function __serialize(): array { return ['path' => 'php://memory']; }
    public function __unserialize(array $d): void { parent::__construct([fopen($d['path'], 'r')]); }
}
$nested = new ArrayObject(['inner' => new ArrayObject([$fp])]);
$cases = [
    'ArrayObject' => new ArrayObject([$fp]),
    'ArrayIterator' => new ArrayIterator(['h' => $fp]),
    'SplFixedArray' => SplFixedArray::fromArray([1, $fp]),
    'SplObjectStorage' => $storage,
    'SplDoublyLinkedList' => $list,
    'SplQueue' => (function ($fp) { $q = new SplQueue; $q->enqueue($fp); return $q; })($fp),
    'a user subclass' => new MyArrayObject([$fp]),
    'nested' => $nested,
    'in an array' => [1, new ArrayObject([$fp])],
];
foreach ($cases as $name => $v) {
    echo "$name: ";
    var_dump(keepsake_cache_store($name, $v));
}
var_dump(keepsake_cache_exists(array_keys($cases)));

// the same containers without a resource are stored and come back equal
// (not a storage that holds itself: PHP 8.2 leaks one, with or without the cache)
$clean = new SplObjectStorage;
$shared = new stdClass;
$clean[$shared] = [$shared, 'x'];
$clean[new ArrayObject([1])] = null;
$ok = [
    'ao' => new ArrayObject([1, 'two', [3]]),
    'fixed' => SplFixedArray::fromArray([1, 2]),
    'storage' => $clean,
    'list' => (function () { $l = new SplDoublyLinkedList; $l->push('x'); return $l; })(),
];
var_dump(keepsake_cache_store($ok));
var_dump(keepsake_cache_fetch('ao') == $ok['ao'], keepsake_cache_fetch('fixed')->toArray(),
    keepsake_cache_fetch('list')->top(), count(keepsake_cache_fetch('storage')));
// a user class that writes its own form chooses what it keeps: trusted
var_dump(keepsake_cache_store('reopening', new Reopening([$fp])), is_resource(keepsake_cache_fetch('reopening')[0]));
// an exception's trace holds the call's arguments: with a resource among them it is refused (APCu stores it)
function fails($handle) { return new RuntimeException('failed'); }
var_dump(keepsake_cache_store('exception', fails($fp)));
?>
--EXPECTF--
ArrayObject: 
Warning: keepsake_cache_store(): cannot store key 'ArrayObject': resources cannot be cached in %s on line %d
bool(false)
ArrayIterator: 
Warning: keepsake_cache_store(): cannot store key 'ArrayIterator': resources cannot be cached in %s on line %d
bool(false)
SplFixedArray: 
Warning: keepsake_cache_store(): cannot store key 'SplFixedArray': resources cannot be cached in %s on line %d
bool(false)
SplObjectStorage: 
Warning: keepsake_cache_store(): cannot store key 'SplObjectStorage': resources cannot be cached in %s on line %d
bool(false)
SplDoublyLinkedList: 
Warning: keepsake_cache_store(): cannot store key 'SplDoublyLinkedList': resources cannot be cached in %s on line %d
bool(false)
SplQueue: 
Warning: keepsake_cache_store(): cannot store key 'SplQueue': resources cannot be cached in %s on line %d
bool(false)
a user subclass: 
Warning: keepsake_cache_store(): cannot store key 'a user subclass': resources cannot be cached in %s on line %d
bool(false)
nested: 
Warning: keepsake_cache_store(): cannot store key 'nested': resources cannot be cached in %s on line %d
bool(false)
in an array: 
Warning: keepsake_cache_store(): cannot store key 'in an array': resources cannot be cached in %s on line %d
bool(false)
array(0) {
}
array(0) {
}
bool(true)
array(2) {
  [0]=>
  int(1)
  [1]=>
  int(2)
}
string(1) "x"
int(2)
bool(true)
bool(true)

Warning: keepsake_cache_store(): cannot store key 'exception': resources cannot be cached in %s on line %d
bool(false)
