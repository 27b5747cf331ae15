--TEST--
Multi-process zero-copy kill storm: readers SIGKILLed while holding fetched values and a writer SIGKILLed inside a store; the segment recovers and every retired block is reclaimed
--SKIPIF--
<?php
if (PHP_ZTS) die('skip zero-copy is off under ZTS: fetch copies there');
if (!function_exists('keepsake_debug_immutable')) die('skip needs a --enable-keepsake-debug build (debug_lock_pause)');
?>
--EXTENSIONS--
pcntl
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.size=8M
keepsake.cache.shards=1
--CONFLICTS--
mp-timing
--FILE--
<?php
require __DIR__ . '/fork.inc';
function value(int $ver): array {
    return array_map(fn($i) => ['ver' => $ver, 'i' => $i, 'pad' => str_repeat('p', 40)], range(0, 999));
}
$baseline = keepsake_cache_info(true)['mem_size'];
/* this process stores in the immutable form but fetches by copying: a
 * value it fetched zero-copy would stay allocated until its own request
 * ends, which is the end of the test */
function store_zc(string $k, $v): bool {
    ini_set('keepsake.cache.zero_copy', '1');
    $ok = keepsake_cache_store($k, $v);
    ini_set('keepsake.cache.zero_copy', '0');
    return $ok;
}
ini_set('keepsake.cache.zero_copy', '0');
$dir = sys_get_temp_dir() . '/kszcks' . getmypid();
@mkdir($dir);

for ($round = 0; $round < 3; $round++) {
    store_zc('big', value($round));
    /* four readers fetch it (zero-copy: pinned) and are killed holding it */
    $pids = [];
    for ($r = 0; $r < 4; $r++) {
        $pids[] = ks_fork(function () use ($dir, $r, $round) {
            ini_set('keepsake.cache.zero_copy', '1');
            $v = keepsake_cache_fetch('big');
            touch("$dir/$round.$r");
            sleep(30);
            return $v[999]['ver'] === $round ? 0 : 1;
        });
    }
    ks_until(fn() => count(glob("$dir/$round.*")) === 4);
    /* a writer killed inside a store, lock held (debug_lock_pause) */
    $w = ks_fork(function () use ($round) {
        ini_set('keepsake.cache.zero_copy', '1');
        ini_set('keepsake.cache.debug_lock_pause', '5000');
        keepsake_cache_store('big', value($round + 100));
        return 0;
    });
    ks_until(fn() => keepsake_cache_info(true)['debug_lock_holder'] === $w);
    /* at once, the writer first: its lock pause lasts 5 s, and a kill(1)
     * per pid took longer than that under valgrind on a loaded machine,
     * so the writer finished its store instead of dying in it */
    ks_kill_all(array_merge([$w], $pids));
    $st = ks_wait_all(array_merge($pids, [$w]));
    echo "round $round: ", count(array_filter($st, fn($s) => $s === 'killed')), " killed\n";
    /* the shard is repaired: quarantined while readers pinned before the
     * crash might use its blocks; they are found dead at the next write */
    keepsake_cache_delete('big');
}
sleep(2);
$ok = false;
for ($i = 0; $i < 50 && !$ok; $i++) {
    $ok = store_zc('after', value(7)) && keepsake_cache_fetch('after') === value(7);
    usleep(100000);
}
var_dump($ok);
keepsake_cache_clear();
$info = keepsake_cache_info(true);
var_dump($info['zero_copy']['retired_blocks'], $info['zero_copy']['retired_bytes'], $info['zero_copy']['pinned']);
var_dump($info['zero_copy']['dead_reclaimed'] === 12, $info['recoveries'] === 3);
var_dump($info['mem_size'] === $baseline);
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
round 0: 5 killed
round 1: 5 killed
round 2: 5 killed
bool(true)
int(0)
int(0)
int(0)
bool(true)
bool(true)
bool(true)
