--TEST--
The array form of store/add stores every other key when a value's serializer throws, lists the unstored ones, and rethrows the first exception at the end (as APCu)
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
class Throws { public function __serialize(): array { throw new DomainException('cannot serialize ' . spl_object_id($this)); } }
foreach (['keepsake_cache_store', 'keepsake_cache_add'] as $f) {
    keepsake_cache_clear();
    try {
        var_dump($f(['a' => 1, 'b' => function () {}, 'c' => [3], 'd' => new Throws, 'e' => 'five']));
    } catch (Throwable $e) {
        echo get_class($e), ': ', $e->getMessage(), ', previous: ', var_export($e->getPrevious(), true), "\n";
    }
    var_dump(keepsake_cache_fetch(['a', 'b', 'c', 'd', 'e']));
}
// the key after the throwing one can itself run PHP code (its __serialize is called)
class Fine { public $v = 1; public function __serialize(): array { return ['v' => $this->v]; } public function __unserialize(array $d): void { $this->v = $d['v']; } }
try {
    keepsake_cache_store(['x' => new Throws, 'y' => new Fine]);
} catch (DomainException $e) {
    echo "thrown\n";
}
var_dump(keepsake_cache_fetch('y'));
?>
--EXPECTF--
Exception: Serialization of 'Closure' is not allowed, previous: NULL
array(3) {
  ["a"]=>
  int(1)
  ["c"]=>
  array(1) {
    [0]=>
    int(3)
  }
  ["e"]=>
  string(4) "five"
}
Exception: Serialization of 'Closure' is not allowed, previous: NULL
array(3) {
  ["a"]=>
  int(1)
  ["c"]=>
  array(1) {
    [0]=>
    int(3)
  }
  ["e"]=>
  string(4) "five"
}
thrown
object(Fine)#%d (1) {
  ["v"]=>
  int(1)
}
