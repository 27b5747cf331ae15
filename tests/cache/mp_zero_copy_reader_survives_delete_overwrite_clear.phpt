--TEST--
Multi-process zero-copy: a reader keeps its fetched value intact while another process deletes it, overwrites it 1000 times (60 under valgrind) and clears the cache; memory returns to its baseline after the reader ends
--SKIPIF--
<?php
if (PHP_ZTS) die('skip zero-copy is off under ZTS: fetch copies there');
?>
--EXTENSIONS--
pcntl
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.size=16M
keepsake.cache.shards=2
--FILE--
<?php
require __DIR__ . '/fork.inc';
/* fewer and smaller under valgrind, which is some 50 times slower */
define('ROWS', getenv('USE_ZEND_ALLOC') === '0' ? 300 : 2000);
define('WRITES', getenv('USE_ZEND_ALLOC') === '0' ? 60 : 1000);
function value(int $ver): array {
    $t = [];
    for ($i = 0; $i < ROWS; $i++) {
        $t["k$i"] = ['ver' => $ver, 'i' => $i, 's' => str_repeat(chr(65 + ($i + $ver) % 26), 20)];
    }
    return $t;
}
$baseline = keepsake_cache_info(true)['mem_size'];
keepsake_cache_store('big', value(0));
$expect = md5(serialize(value(0)));
$flag = tempnam(sys_get_temp_dir(), 'kszc');
$ready = $flag . '.ready';

$reader = ks_fork(function () use ($flag, $ready, $expect) {
    $v = keepsake_cache_fetch('big');
    touch($ready);
    $ok = true;
    /* read it over and over while the writer works */
    while (trim((string) file_get_contents($flag)) !== 'done') {
        $ok = $ok && $v['k' . (ROWS - 1)]['ver'] === 0 && $v['k7']['s'] === str_repeat('H', 20);
        usleep(1000);
    }
    return $ok && md5(serialize($v)) === $expect ? 0 : 1;
});
ks_until(fn() => is_file($ready));
var_dump(keepsake_cache_delete('big'));
for ($i = 1; $i <= WRITES; $i++) {
    if (!keepsake_cache_store('big', value($i))) {
        echo "store $i failed\n";
        break;
    }
}
var_dump(keepsake_cache_clear());
$zc = keepsake_cache_info(true)['zero_copy'];
echo $zc['retired_blocks'] >= 1 ? "the reader's block is retired, not freed\n" : "nothing retired\n";
file_put_contents($flag, 'done');
var_dump(ks_wait_all([$reader]));
/* the reader's request is over: the next write frees what it held */
keepsake_cache_store('tick', [1]);
keepsake_cache_delete('tick');
keepsake_cache_clear();
$zc = keepsake_cache_info(true)['zero_copy'];
var_dump($zc['retired_blocks'], $zc['retired_bytes']);
var_dump(keepsake_cache_info(true)['mem_size'] === $baseline);
@unlink($flag);
@unlink($ready);
?>
--EXPECTF--
bool(true)
bool(true)
the reader's block is retired, not freed
array(1) {
  [%d]=>
  int(0)
}
int(0)
int(0)
bool(true)
