--TEST--
Zero-copy fetch: a 10,000-entry array is handed out in place (memory grows < 1 KB), writes separate and the cache never changes; zero_copy=0 copies
--SKIPIF--
<?php
if (PHP_ZTS) die('skip zero-copy is off under ZTS: fetch copies there');
?>
--EXTENSIONS--
pcntl
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.size=64M
--FILE--
<?php
function table(int $n): array {
    $t = [];
    for ($i = 0; $i < $n; $i++) {
        $t["/route/$i"] = ['path' => "/route/$i", 'methods' => ['GET', 'POST'], 'handler' => "H$i", 'weight' => $i];
    }
    return $t;
}
/* under valgrind (USE_ZEND_ALLOC=0) memory_get_usage() does not see
 * allocations: the memory checks then hold by definition */
$mm = getenv('USE_ZEND_ALLOC') !== '0';
$orig = table(10000);
var_dump(keepsake_cache_store('routes', $orig));
$info = keepsake_cache_info(true)['zero_copy'];
var_dump($info['enabled'], $info['entries']);

$before = memory_get_usage();
$v = keepsake_cache_fetch('routes');
$grew = memory_get_usage() - $before;
echo !$mm || $grew < 1024 ? "in place\n" : "copied: $grew bytes\n";
var_dump($v === $orig, count($v), $v['/route/9999']['handler']);

/* writes separate; the cached value never changes */
$v['/route/1']['methods'][] = 'PUT';
$v['new'] = 1;
unset($v['/route/2']);
$again = keepsake_cache_fetch('routes');
var_dump($again === $orig, $v['/route/1']['methods'], isset($again['new']));
$r = &$again['/route/5']['path'];
$r = 'changed';
unset($r);
var_dump(keepsake_cache_fetch('routes')['/route/5']['path']);

/* a string long enough is in place too */
keepsake_cache_store('long', str_repeat('abc', 2000));
$before = memory_get_usage();
$s = keepsake_cache_fetch('long');
echo !$mm || memory_get_usage() - $before < 256 ? "string in place\n" : "string copied\n";
$s[0] = 'X';
var_dump(keepsake_cache_fetch('long')[0]);

/* scalars and short strings keep the copying form (inc works) */
keepsake_cache_store('n', 5);
var_dump(keepsake_cache_inc('n'));

/* zero_copy=0: the same entries are copied (through the copy path) */
ini_set('keepsake.cache.zero_copy', '0');
$before = memory_get_usage();
$c = keepsake_cache_fetch('routes');
echo !$mm || memory_get_usage() - $before > 100000 ? "copied\n" : "not copied\n";
var_dump($c === $orig);
ini_set('keepsake.cache.zero_copy', '1');

/* an iterator and entry() read immutable entries through the copy path */
foreach (new Keepsake\CacheIterator('/^routes$/') as $k => $e) {
    var_dump($k, $e['value'] === $orig);
}
var_dump(keepsake_cache_entry('routes', fn() => 'not called') === $orig);
?>
--EXPECT--
bool(true)
bool(true)
int(1)
in place
bool(true)
int(10000)
string(5) "H9999"
bool(true)
array(3) {
  [0]=>
  string(3) "GET"
  [1]=>
  string(4) "POST"
  [2]=>
  string(3) "PUT"
}
bool(false)
string(8) "/route/5"
string in place
string(1) "a"
int(6)
copied
bool(true)
string(6) "routes"
bool(true)
bool(true)
