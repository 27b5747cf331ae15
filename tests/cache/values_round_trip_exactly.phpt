--TEST--
Every PHP value type round-trips exactly (binary, NAN, -0.0, PHP_INT_MIN, nested, packed, refs, objects, empty key)
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
class P { public $a = 1; protected $b = [2]; private $c = 'c'; }
$x = 5;
$values = [
    'bin' => "a\0b\xff\x00",
    'empty_str' => '',
    'nan' => NAN,
    'negzero' => -0.0,
    'min' => PHP_INT_MIN,
    'max' => PHP_INT_MAX,
    'float' => 0.1 + 0.2,
    'null' => null, 'true' => true, 'false' => false,
    'packed' => [10, 20, 30],
    'holes' => [0 => 'a', 5 => 'b', -3 => 'c'],
    'hash' => ['x' => 1, '1x' => [1, [2, [3, ['deep' => "v\0"]]]], 7 => 'seven'],
    'empty_arr' => [],
    'object' => new P,
    'nested_obj' => ['list' => [new ArrayObject([1, 2]), 3]],
];
foreach ($values as $k => $v) {
    if (!keepsake_cache_store($k, $v)) echo "store $k failed\n";
}
foreach ($values as $k => $v) {
    $got = keepsake_cache_fetch($k, $ok);
    /* floats: compare the 8 bytes, so NAN and the sign of zero count */
    $same = is_float($v) ? is_float($got) && pack('E', $got) === pack('E', $v)
        : (is_object($v) || $k === 'nested_obj' ? $got == $v && serialize($got) === serialize($v) : $got === $v);
    printf("%s: %s %s\n", $k, $ok ? 'hit' : 'miss', $same ? 'same' : 'DIFFERENT ' . var_export($got, true));
}
// -0.0 keeps its sign bit
var_dump(fdiv(1, keepsake_cache_fetch('negzero')));
// the empty key is a key like any other
var_dump(keepsake_cache_store('', 'empty key'), keepsake_cache_fetch(''), keepsake_cache_exists(''));
// references inside arrays keep their aliasing
$a = [&$x, &$x, 'plain' => 1];
keepsake_cache_store('refs', $a);
$b = keepsake_cache_fetch('refs');
$b[0] = 99;
var_dump($b[1], $x);
// a recursive structure through a reference
$r = [1];
$r[1] = &$r;
keepsake_cache_store('rec', $r);
$g = keepsake_cache_fetch('rec');
var_dump($g[0], $g[1][1][1][0]);
unset($r, $g);
gc_collect_cycles();  // both cycles are garbage now (keeps valgrind runs leak-free)
// each fetch is an independent copy
$p = keepsake_cache_fetch('packed'); $p[] = 40;
var_dump(count(keepsake_cache_fetch('packed')));
?>
--EXPECT--
bin: hit same
empty_str: hit same
nan: hit same
negzero: hit same
min: hit same
max: hit same
float: hit same
null: hit same
true: hit same
false: hit same
packed: hit same
holes: hit same
hash: hit same
empty_arr: hit same
object: hit same
nested_obj: hit same
float(-INF)
bool(true)
string(9) "empty key"
bool(true)
int(99)
int(5)
int(1)
int(1)
int(3)
