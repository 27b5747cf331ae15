--TEST--
Multi-process zero-copy: a full 4M cache still takes every store while 4 workers at a time (pcntl_fork children of a parent that never fetches, like php-fpm's master, respawned 240 times) pin, overwrite and evict strings of 1-24 KB and fetch them Zipf-style; no slot is left pinned and the retired memory is freed afterwards
--EXTENSIONS--
pcntl
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.size=4M
keepsake.cache.zero_copy=1
--FILE--
<?php
require __DIR__ . '/fork.inc';
/* Like a php-fpm or php -S worker serving one request of
 * tests/status/status.inc's /load page and exiting (pm.max_requests=1):
 * its first zero-copy fetch pins, its stores overwrite and evict values of
 * 1 to 24 KB over 240 keys (all in the immutable form), its reads are
 * skewed, and it stays pinned until it exits. With 4 such workers at once
 * some worker is pinned at every moment, so blocks retired meanwhile cannot
 * be freed at once, and eviction alone cannot make room from them. */
function request(int $seed): int {
    mt_srand($seed);
    $failed = 0;
    keepsake_cache_fetch('item:' . mt_rand(0, 239));
    for ($j = 0; $j < 12; $j++) {
        $k = mt_rand(0, 239);
        if (!@keepsake_cache_store("item:$k", str_repeat(chr(65 + $k % 26), 1024 * (1 + $k % 24)))) {
            $failed++;
        }
    }
    for ($j = 0; $j < 40; $j++) {
        $k = (int) (240 * (mt_rand() / mt_getrandmax()) ** 3);
        $v = keepsake_cache_fetch("item:$k");
        if ($v !== false && $v !== str_repeat(chr(65 + $k % 26), 1024 * (1 + $k % 24))) {
            return 100;   /* a wrong value: worse than a failed store */
        }
    }
    usleep(2000);
    return min($failed, 99);
}

/* Like php-fpm's master: this process never fetches, and forks a worker
 * whenever one exits (4 at a time, 240 in all), so it forks while the
 * cache is full and while other workers are pinned. */
$status = [];
$running = 0;
for ($n = 0; $n < 240 || $running > 0; ) {
    if ($n < 240 && $running < 4) {
        ks_fork(fn() => request(1000 + $n), 30);
        $n++;
        $running++;
        continue;
    }
    $pid = pcntl_waitpid(-1, $st);
    if ($pid <= 0) break;
    $running--;
    $status[] = pcntl_wifexited($st) ? pcntl_wexitstatus($st) : 'killed';
}
echo "children: ", count($status), ", failed stores or bad values: ", json_encode(array_values(array_filter($status, fn($s) => $s !== 0))), "\n";
$info = keepsake_cache_info(true);
echo "store failures counted: ", $info['store_failures'] ?? 'n/a', "\n";
/* every worker is gone: nothing is pinned, and the parent holds no slot */
$zc = $info['zero_copy'];
echo "pinned: {$zc['pinned']}\n";
/* retired blocks are freed by the next store in their shard: one per key */
for ($k = 0; $k < 240; $k++) keepsake_cache_store("item:$k", 'short');
echo "retired bytes after the workers: ", keepsake_cache_info(true)['zero_copy']['retired_bytes'], "\n";
?>
--EXPECT--
children: 240, failed stores or bad values: []
store failures counted: 0
pinned: 0
retired bytes after the workers: 0
