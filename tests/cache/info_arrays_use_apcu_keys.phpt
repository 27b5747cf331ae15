--TEST--
cache_info, sma_info and key_info use APCu's key names, plus keepsake's counters
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.size=4M
keepsake.cache.shards=4
--FILE--
<?php
keepsake_cache_store('a', 'x', 60);
keepsake_cache_store('b', [1, 2]);
keepsake_cache_fetch('a'); keepsake_cache_fetch('a'); keepsake_cache_fetch('missing');
$i = keepsake_cache_info();
foreach (['num_slots', 'ttl', 'num_hits', 'num_misses', 'num_inserts', 'num_entries', 'cleanups',
          'defragmentations', 'expunges', 'start_time', 'mem_size', 'memory_type', 'cache_list',
          'deleted_list', 'full_wipes', 'evictions', 'lock_waits', 'mem_free'] as $k) {
    if (!array_key_exists($k, $i)) echo "missing $k\n";
}
var_dump($i['num_hits'], $i['num_misses'], $i['num_inserts'], $i['num_entries'], $i['expunges'], $i['memory_type']);
var_dump(array_keys($i['evictions']));
$e = array_values(array_filter($i['cache_list'], fn($e) => $e['info'] === 'a'))[0];
var_dump(array_keys($e), $e['num_hits'], $e['ttl'], $e['mem_size'] > 0);
var_dump(array_key_exists('cache_list', keepsake_cache_info(true)));
$s = keepsake_cache_sma_info();
var_dump($s['num_seg'], $s['seg_size'] * 4 <= 4 * 1024 * 1024, $s['avail_mem'] > 3000000, count($s['block_lists']));
var_dump(array_keys($s['block_lists'][0][0]), array_sum($s['free_histogram']) >= 4);
var_dump(array_key_exists('block_lists', keepsake_cache_sma_info(true)));
$k = keepsake_cache_key_info('a');
var_dump(array_keys($k), $k['hits'], $k['ttl']);
var_dump(keepsake_cache_key_info('missing'));
?>
--EXPECT--
int(2)
int(1)
int(2)
int(2)
int(0)
string(4) "mmap"
array(3) {
  [0]=>
  string(7) "expired"
  [1]=>
  string(8) "capacity"
  [2]=>
  string(8) "recovery"
}
array(9) {
  [0]=>
  string(4) "info"
  [1]=>
  string(3) "ttl"
  [2]=>
  string(8) "num_hits"
  [3]=>
  string(5) "mtime"
  [4]=>
  string(13) "creation_time"
  [5]=>
  string(13) "deletion_time"
  [6]=>
  string(11) "access_time"
  [7]=>
  string(9) "ref_count"
  [8]=>
  string(8) "mem_size"
}
int(2)
int(60)
bool(true)
bool(false)
int(4)
bool(true)
bool(true)
int(4)
array(2) {
  [0]=>
  string(4) "size"
  [1]=>
  string(6) "offset"
}
bool(true)
bool(false)
array(8) {
  [0]=>
  string(4) "hits"
  [1]=>
  string(11) "access_time"
  [2]=>
  string(5) "mtime"
  [3]=>
  string(13) "creation_time"
  [4]=>
  string(13) "deletion_time"
  [5]=>
  string(3) "ttl"
  [6]=>
  string(4) "refs"
  [7]=>
  string(5) "shard"
}
int(2)
int(60)
NULL
