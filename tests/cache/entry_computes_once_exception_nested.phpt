--TEST--
entry(): computes on a miss only, stores nothing on an exception and frees the key, nested cache calls work
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
$calls = 0;
$f = function ($key) use (&$calls) { $calls++; return "value of $key"; };
var_dump(keepsake_cache_entry('e', $f), keepsake_cache_entry('e', $f), $calls);
// an exception: nothing stored, the lease is released
try {
    keepsake_cache_entry('boom', function () { throw new RuntimeException('nope'); });
} catch (RuntimeException $e) {
    echo "caught ", $e->getMessage(), "\n";
}
var_dump(keepsake_cache_exists('boom'), keepsake_cache_info(true)['leases']);
var_dump(keepsake_cache_entry('boom', fn() => 'second try'));
// nested calls: other keys, another entry(), and the same key again
$v = keepsake_cache_entry('outer', function ($k) {
    keepsake_cache_store('side', 'effect');
    $inner = keepsake_cache_entry('inner', fn() => 'in');
    $again = keepsake_cache_entry('outer', fn() => 'recursive');
    return [$inner, $again, keepsake_cache_fetch('side')];
});
// as APCu: the nested entry() for 'outer' added its value, which the outer call's add keeps
var_dump($v, keepsake_cache_fetch('outer'), keepsake_cache_fetch('inner'));
// ttl is applied
keepsake_cache_entry('t', fn() => 1, 50);
var_dump(keepsake_cache_key_info('t')['ttl']);
?>
--EXPECT--
string(10) "value of e"
string(10) "value of e"
int(1)
caught nope
bool(false)
int(0)
string(10) "second try"
array(3) {
  [0]=>
  string(2) "in"
  [1]=>
  string(9) "recursive"
  [2]=>
  string(6) "effect"
}
string(9) "recursive"
string(2) "in"
int(50)
