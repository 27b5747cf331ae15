--TEST--
Multi-process zero-copy: while another process pins every immutable block retired in the shard, a store of a copied value of 40% of the shard still succeeds (seeds 1-8 of random immutable and copied stores, overwrites and deletes; the pinned blocks must not fragment the room copies need)
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
 * The shape of scripts/fuzz-cache's refused stores, made small and exact:
 * one shard, a reader process pinned from the start of each seed (so no
 * block the writer retires can be freed), and a writer that mixes strings
 * of 4-160 KB in the immutable form (zero-copy) with copied ones, and
 * deletes and overwrites them, under 48 keys. Every 40 steps it stores a
 * copied value of 40% of the shard. Pinned blocks cannot be evicted or
 * moved, so the store succeeds only if they leave one run of free memory
 * that large once everything evictable is gone: the immutable blocks take
 * at most half of the shard, and must not be scattered over all of it.
 */
$dir = sys_get_temp_dir() . '/ks-pinfrag-' . getmypid();
@mkdir($dir);
$arena = keepsake_cache_sma_info(true)['seg_size'];
$big = (int) ($arena * 0.40);
$failures = [];
$stored = ['imm' => 0, 'copy' => 0, 'big' => 0];
$held = [];

function put(string $k, string $v, bool $copy): bool {
    ini_set('keepsake.cache.zero_copy', $copy ? '0' : '1');
    $ok = keepsake_cache_store($k, $v);
    ini_set('keepsake.cache.zero_copy', '1');
    return $ok;
}

for ($seed = 1; $seed <= 8; $seed++) {
    keepsake_cache_clear();
    keepsake_cache_store('pin', range(1, 100));
    @unlink("$dir/ready");
    @unlink("$dir/done");
    /* the reader: its zero-copy fetch pins it until its request ends */
    $reader = ks_fork(function () use ($dir) {
        $v = keepsake_cache_fetch('pin');
        touch("$dir/ready");
        ks_until(fn() => file_exists("$dir/done"), 60);
        return $v === range(1, 100) ? 0 : 3;
    }, 90);
    if (!ks_until(fn() => file_exists("$dir/ready"), 20)) {
        $failures[] = "seed $seed: the reader did not start";
    }
    mt_srand($seed, MT_RAND_MT19937);
    $warnings = [];
    set_error_handler(function ($no, $msg) use (&$warnings) { $warnings[] = $msg; return true; });
    for ($i = 1; $i <= 400; $i++) {
        $k = 'k' . mt_rand(0, 47);
        $r = mt_rand(1, 100);
        if ($i % 40 === 0) {
            /* what the reader keeps from being freed at this moment */
            $held[$seed] = max($held[$seed] ?? 0, keepsake_cache_info(true)['zero_copy']['retired_bytes']);
            $warnings = [];
            if (!put('big', str_repeat(chr(65 + $seed), $big), true)) {
                $failures[] = "seed $seed step $i: the store of $big bytes (40% of the shard) failed: " . implode(' | ', $warnings);
            }
            $stored['big']++;
        } elseif ($r <= 45) {
            put($k, str_repeat(chr(97 + $i % 26), mt_rand(4096, 160 * 1024)), false) && $stored['imm']++;
        } elseif ($r <= 80) {
            put($k, str_repeat(chr(97 + $i % 26), mt_rand(4096, 160 * 1024)), true) && $stored['copy']++;
        } else {
            keepsake_cache_delete($k);
        }
    }
    restore_error_handler();
    touch("$dir/done");
    $st = ks_wait_all([$reader], 30);
    if ($st[$reader] !== 0) {
        $failures[] = "seed $seed: the reader ended with " . $st[$reader];
    }
    ini_set('keepsake.cache.zero_copy', '0');
    if (keepsake_cache_fetch('big') !== str_repeat(chr(65 + $seed), $big)) {
        $failures[] = "seed $seed: the last large value did not read back";
    }
    ini_set('keepsake.cache.zero_copy', '1');
}
@unlink("$dir/ready");
@unlink("$dir/done");
@rmdir($dir);
echo "large stores: {$stored['big']}\n";
echo $failures ? implode("\n", $failures) . "\n" : "every large store succeeded\n";
/* the test must have had zero-copy blocks to pin: in every seed, a large
 * store met at least a tenth of the shard retired and held by the reader */
$few = array_filter($held, fn($b) => $b < $arena / 10);
echo $few ? "seeds where the reader held little: " . json_encode($few) . "\n" : "the reader held retired blocks in every seed\n";
$zc = keepsake_cache_info(true)['zero_copy'];
echo "pinned after the readers: {$zc['pinned']}\n";
?>
--EXPECT--
large stores: 80
every large store succeeded
the reader held retired blocks in every seed
pinned after the readers: 0
