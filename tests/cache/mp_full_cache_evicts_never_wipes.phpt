--TEST--
Multi-process: a full cache evicts single entries (expired first, then sampled LFU/LRU), never wipes
--EXTENSIONS--
pcntl
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.size=2M
keepsake.cache.shards=2
--FILE--
<?php
require __DIR__ . '/fork.inc';
$val = str_repeat('v', 1000);
// a hot set read often, and short-lived entries that will expire
for ($i = 0; $i < 50; $i++) keepsake_cache_store("hot$i", $val);
for ($i = 0; $i < 100; $i++) keepsake_cache_store("exp$i", $val, 1);
for ($r = 0; $r < 20; $r++) for ($i = 0; $i < 50; $i++) keepsake_cache_fetch("hot$i");
sleep(2);
$pids = [];
for ($p = 0; $p < 2; $p++) {
    $pids[] = ks_fork(function () use ($p, $val) {
        for ($i = 0; $i < 3000; $i++) {
            if (!keepsake_cache_store("cold$p-$i", $val)) return 1;
            if ($i % 10 == 0) for ($h = 0; $h < 50; $h += 5) keepsake_cache_fetch("hot$h");
        }
        return 0;
    });
}
var_dump(array_values(ks_wait_all($pids, 60)));
$info = keepsake_cache_info(true);
var_dump($info['expunges'], $info['full_wipes']);
var_dump($info['evictions']['expired'] >= 100, $info['evictions']['capacity'] > 3000);
var_dump($info['num_entries'] > 1000);
$hot = count(keepsake_cache_fetch(array_map(fn($i) => "hot$i", range(0, 49))));
var_dump($hot >= 40);
// the child that stored last still has all its newest entries (the other may
// have been evicted by it: the children can run one after the other)
$newest = fn($p) => count(keepsake_cache_exists(array_map(fn($i) => "cold$p-$i", range(2950, 2999))));
var_dump(max($newest(0), $newest(1)) === 50);
?>
--EXPECT--
array(2) {
  [0]=>
  int(0)
  [1]=>
  int(0)
}
int(0)
int(0)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
