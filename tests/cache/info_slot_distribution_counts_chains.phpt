--TEST--
cache_info()'s slot_distribution maps APCu slot index => chain length, slots laid out shard by shard
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.size=4M
keepsake.cache.shards=4
--FILE--
<?php
$i = keepsake_cache_info();
var_dump($i['slot_distribution']);                 // empty cache: no slot listed
var_dump(array_key_exists('slot_distribution', keepsake_cache_info(true)));

// one key: exactly one slot, of length 1, inside the range of the key's shard
keepsake_cache_store('only', 1);
$i = keepsake_cache_info();
$per_shard = intdiv($i['num_slots'], $i['shards']);
var_dump(count($i['slot_distribution']), array_values($i['slot_distribution']));
$slot = array_key_first($i['slot_distribution']);
var_dump(intdiv($slot, $per_shard) === keepsake_cache_key_info('only')['shard']);

// more keys than slots: some chains are longer than 1 (pigeonhole)
$n = $i['num_slots'] + 1000;
for ($k = 0; $k < $n; $k++) {
    if (!keepsake_cache_store("k$k", $k)) { echo "store $k failed\n"; break; }
}
$i = keepsake_cache_info();
$d = $i['slot_distribution'];
var_dump(array_sum($d) === $i['num_entries'], array_sum($d) === count($i['cache_list']));
var_dump(max($d) > 1, min($d) >= 1, min(array_keys($d)) >= 0, max(array_keys($d)) < $i['num_slots']);
// every shard's slots hold exactly that shard's entries
$by_shard = array_fill(0, $i['shards'], 0);
foreach ($d as $s => $len) $by_shard[intdiv($s, $per_shard)] += $len;
$want = array_fill(0, $i['shards'], 0);
foreach ($i['cache_list'] as $e) $want[keepsake_cache_key_info($e['info'])['shard']]++;
var_dump($by_shard === $want);

// expired entries and leases are not listed, so they are not counted either
keepsake_cache_clear();
keepsake_cache_store('gone', 1, 1);
keepsake_cache_store('live', 1);
sleep(2);
var_dump(array_values(keepsake_cache_info()['slot_distribution']));
?>
--EXPECT--
array(0) {
}
bool(false)
int(1)
array(1) {
  [0]=>
  int(1)
}
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
array(1) {
  [0]=>
  int(1)
}
