--TEST--
Immutable (zero-copy) values: every write separates into a request copy, the read-only block never changes, and reads behave exactly as on a copy
--DESCRIPTION--
keepsake_debug_immutable() (debug builds) persists a value with
ks_cache_immutable.c into a block of its own, makes the block read-only
(mprotect: any engine write into it is a SIGSEGV, as under
opcache.protect_memory) and returns the array or string that lives in the
block. Each operation below must give the result it gives on an ordinary
copy, and the block's checksum must be the same at the end.
--SKIPIF--
<?php
if (!function_exists('keepsake_debug_immutable')) die('skip needs a --enable-keepsake-debug build');
?>
--FILE--
<?php
function table(int $n): array {
    $t = [];
    for ($i = 0; $i < $n; $i++) {
        $t["/route/$i"] = ['path' => "/route/$i", 'methods' => ['GET', 'POST'], 'handler' => "H$i", 'weight' => $i * 0.5];
    }
    return $t;
}
$orig = [
    'list' => [1, 2, 3, 'four', 5.5, null, true, false],
    'map' => ['a' => 1, 'b' => ['c' => 'deep', 'd' => [1, [2, [3]]]], 7 => 'seven', -3 => 'neg'],
    'empty' => [],
    'str' => str_repeat('xyz', 100),
    'bin' => "a\0b\xff",
    'utf8' => "h\u{e9}llo",
    'table' => table(200),
    'holes' => (function () { $a = [10, 20, 30, 40]; unset($a[1]); return $a; })(),
    'gone' => (function () { $a = [1, 2]; unset($a[0], $a[1]); return $a; })(),
    'keys' => ['' => 'empty key', '01' => 'not numeric', '1' => 'numeric'],
];
$v = keepsake_debug_immutable($orig);
$sum = keepsake_debug_immutable_info()['checksums'][0];
$ok = function (string $what, bool $cond) { echo $cond ? '' : "FAIL: $what\n"; };

$ok('=== original', $v === $orig);
$ok('== original', $v == $orig);
$ok('serialize', serialize($v) === serialize($orig));
$ok('json_encode', json_encode($v) === json_encode($orig));
$ok('var_export', var_export($v, true) === var_export($orig, true));
$ok('print_r', print_r($v, true) === print_r($orig, true));
$ok('count recursive', count($v, COUNT_RECURSIVE) === count($orig, COUNT_RECURSIVE));
$ok('array_map', array_map(fn($r) => $r['handler'], $v['table']) === array_map(fn($r) => $r['handler'], $orig['table']));
$ok('array_keys', array_keys($v['map']) === array_keys($orig['map']));
$ok('key lookup', $v['map'][7] === 'seven' && $v['map'][-3] === 'neg' && $v['keys'][''] === 'empty key'
    && $v['keys']['01'] === 'not numeric' && $v['keys'][1] === 'numeric' && !isset($v['map']['zz']));
$ok('isset/array_key_exists', isset($v['table']['/route/199']) && array_key_exists('/route/0', $v['table']));
$ok('holes', $v['holes'] === [0 => 10, 2 => 30, 3 => 40] && !isset($v['holes'][1]));
$ok('in_array/array_search', in_array('four', $v['list'], true) && array_search('seven', $v['map']) === 7);
$ok('string offsets', $v['str'][1] === 'y' && $v['str'][-1] === 'z' && $v['bin'][1] === "\0");
$ok('strlen/substr/strtoupper', strlen($v['str']) === 300 && substr($v['str'], 3, 3) === 'xyz' && strtoupper($v['utf8']) === strtoupper($orig['utf8']));
$ok('preg_match /u', preg_match('/^h.llo$/u', $v['utf8']) === 1 && preg_match('/y/u', $v['str']) === 1);
$ok('hash key reuse', array_flip(array_keys($v['table']))['/route/5'] === 5);

$n = 0;
foreach ($v['table'] as $k => $row) {
    $n += ($row['path'] === $k);
}
$ok('foreach', $n === 200);
foreach ($v['holes'] as $k => $x) {
    $seen[] = "$k=$x";
}
$ok('foreach over holes', implode(',', $seen) === '0=10,2=30,3=40');
$ok('current/key', current($v['list']) === 1 && key($v['map']) === 'a');

/* writes: each one separates the array written (and its parents) */
$w = $v;
$w['list'][] = 6;
$w['map']['b']['d'][1][1][0] = 'changed';
$w['holes'][] = 50;
$w['gone'][] = 'next';
$w['new'] = 1;
unset($w['str']);
$ok('write to copy', $w['list'][8] === 6 && $w['map']['b']['d'][1][1][0] === 'changed');
$ok('appends after holes keep the next index', array_key_last($w['holes']) === 4 && array_key_first($w['gone']) === 2);
$ok('original unchanged', $v === $orig);

$s = $v['str'];
$s[0] = 'Q';
$s .= '!';
$ok('string write separates', $s[0] === 'Q' && $v['str'][0] === 'x' && $v['str'] === $orig['str']);

$r = $v;
$ref = &$r['map']['b']['c'];
$ref = 'via reference';
unset($ref);
$ok('reference to element separates', $r['map']['b']['c'] === 'via reference' && $v['map']['b']['c'] === 'deep');

$list = $v['list'];
sort($list);
$ok('sort separates', $v['list'] === $orig['list']);
$m = $v['map'];
ksort($m);
array_walk($m, function (&$x) { $x = 'walked'; });
$ok('array_walk by reference separates', $v['map'] === $orig['map'] && $m['a'] === 'walked');
$t = $v['table'];
foreach ($t as &$row) {
    $row['weight'] = -1;
}
unset($row);
$ok('foreach by reference separates', $v['table']['/route/3']['weight'] === 1.5 && $t['/route/3']['weight'] === -1);

function by_value(array $a) { $a['x']['y'] = 1; $a[] = 2; return $a; }
function by_ref(array &$a) { $a['map']['a'] = 'by ref'; }
$ok('pass by value', isset(by_value($v['map'])['x']) && !isset($v['map']['x']));
$copy = $v;
by_ref($copy);
$ok('pass by reference', $copy['map']['a'] === 'by ref' && $v['map']['a'] === 1);
$ok('array functions', array_merge($v['list'], [9]) === array_merge($orig['list'], [9])
    && array_slice($v['table'], 1, 2) === array_slice($orig['table'], 1, 2)
    && array_reverse($v['holes'], true) === array_reverse($orig['holes'], true)
    && array_filter($v['list']) === array_filter($orig['list'])
    && array_column($v['table'], 'weight', 'handler') === array_column($orig['table'], 'weight', 'handler'));
$ok('settype', (function ($x) { settype($x, 'string'); return $x; })($v['list'][0]) === '1');

/* stored into the cache and fetched back, from the block as source */
if (function_exists('keepsake_cache_store') && keepsake_cache_enabled()) {
    $ok('store', keepsake_cache_store('imm', $v));
    $ok('fetch back', keepsake_cache_fetch('imm') === $orig);
}
/* persisted again from the read-only block: the writer never writes its source */
$again = keepsake_debug_immutable($v['map']);
$ok('persist from a read-only source', $again === $orig['map']);

/* the copy path of readers without a pin: bytes moved elsewhere, pointers translated */
$ok('copy path', keepsake_debug_immutable($orig, true, 0) === $orig);
$row = ['a' => [1, 2], 'b' => 'shared'];
$dag = ['x' => $row, 'y' => $row, 'z' => [$row, $row]];
$d = keepsake_debug_immutable($dag);
$ok('a repeated array is stored once', $d === $dag && keepsake_debug_immutable_info()['sizes'][2] < 1000);
$c = keepsake_debug_immutable($dag, true, 0);
$c['x']['a'][] = 3;
$ok('copy path keeps sharing and separates', $c['y'] === $row && $c['x']['a'] === [1, 2, 3] && $c['z'][1] === $row);
for ($i = 1; $i < 200; $i++) {
    keepsake_debug_immutable($orig, true, $i);   /* damaged bytes: any value or null, never a crash */
}

/* a value the GC and destructors see many times */
$many = [];
for ($i = 0; $i < 1000; $i++) {
    $many[] = $v['table'];
}
unset($many);
gc_collect_cycles();

$info = keepsake_debug_immutable_info();
$ok('block unchanged', $info['blocks'] === 3 && $info['checksums'][0] === $sum);
unset($v, $w, $s, $r, $list, $m, $t, $copy, $again, $x, $row, $d, $c);
$ok('release', keepsake_debug_immutable_release() === 3);
echo "done\n";
?>
--INI--
keepsake.cache.enable_cli=1
--EXPECT--
done
