--TEST--
Multi-process zero-copy: an entry() lease held by another process while a reader pins retired immutable blocks does not break up the bottom half of the shard: a copied value of 40% of the shard still stores
--SKIPIF--
<?php if (PHP_ZTS) die('skip zero-copy is off under ZTS: no block is ever pinned'); ?>
--EXTENSIONS--
pcntl
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.size=4M
keepsake.cache.shards=1
keepsake.cache.zero_copy=1
keepsake.cache.zero_copy_max_pin=0
--FILE--
<?php
require __DIR__ . '/fork.inc';
/*
 * The guarantee (docs/cache.md): once eviction has removed every entry it
 * can, the bottom half of a shard is one free run, so a copied value of up
 * to half a shard stores under pinned readers. Leases cannot be evicted;
 * one made while copies fill the bottom half lands in the middle of it.
 * Here: immutable values fill most of the zero-copy region and a reader
 * pins them before they are deleted (retired, held); a copy of a quarter of
 * the shard is stored, another process takes an entry() lease just after
 * it and keeps it, the quarter is deleted; then a copy of 40% of the shard
 * must still store.
 */
$dir = sys_get_temp_dir() . '/ks-leasefrag-' . getmypid();
@mkdir($dir);
$arena = keepsake_cache_sma_info(true)['seg_size'];
function put(string $k, string $v, bool $copy): bool {
    ini_set('keepsake.cache.zero_copy', $copy ? '0' : '1');
    $ok = keepsake_cache_store($k, $v);
    ini_set('keepsake.cache.zero_copy', '1');
    return $ok;
}
keepsake_cache_store('pin', range(1, 100));
for ($i = 0; $i < 8; $i++) {
    put("imm$i", str_repeat(chr(97 + $i), (int) ($arena * 0.05)), false) or print("imm$i not stored\n");
}
$reader = ks_fork(function () use ($dir) {
    $v = keepsake_cache_fetch('pin');
    touch("$dir/ready");
    ks_until(fn() => file_exists("$dir/done"), 60);
    return $v === range(1, 100) ? 0 : 3;
}, 90);
ks_until(fn() => file_exists("$dir/ready"), 20) or print("the reader did not start\n");
for ($i = 0; $i < 8; $i++) {
    keepsake_cache_delete("imm$i");
}
$held = keepsake_cache_info(true)['zero_copy']['retired_bytes'];
echo $held >= $arena * 0.35 ? "the reader holds the retired blocks\n" : "the reader holds only $held bytes\n";
put('quarter', str_repeat('q', (int) ($arena * 0.25)), true) or print("the quarter was not stored\n");
$leaser = ks_fork(function () use ($dir) {
    keepsake_cache_entry('lease', function () use ($dir) {
        touch("$dir/leased");
        ks_until(fn() => file_exists("$dir/done"), 60);
        return 1;
    });
    return 0;
}, 90);
ks_until(fn() => file_exists("$dir/leased"), 20) or print("the lease was not taken\n");
keepsake_cache_delete('quarter');
$big = str_repeat('B', (int) ($arena * 0.40));
var_dump(put('big', $big, true));
touch("$dir/done");
$st = ks_wait_all([$reader, $leaser], 30);
echo "children: ", json_encode(array_values($st)), "\n";
ini_set('keepsake.cache.zero_copy', '0');
var_dump(keepsake_cache_fetch('big') === $big);
foreach (['ready', 'leased', 'done'] as $f) {
    @unlink("$dir/$f");
}
@rmdir($dir);
?>
--EXPECT--
the reader holds the retired blocks
bool(true)
children: [0,0]
bool(true)
