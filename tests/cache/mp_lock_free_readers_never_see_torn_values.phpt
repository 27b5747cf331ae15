--TEST--
Multi-process: lock-free readers racing with writers on the same keys never see a torn or mixed-up value
--EXTENSIONS--
pcntl
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.size=2M
keepsake.cache.shards=2
--CONFLICTS--
mp-timing
--FILE--
<?php
require __DIR__ . '/fork.inc';
/* Every value describes itself: "key:version:" then a run of one byte whose
 * length and byte come from the key and the version, or an array that repeats the
 * version. A torn read (old bytes with a new length, another key's value,
 * a half-built array) fails the check. The cache is small, so writers also
 * evict and the allocator reuses blocks under the readers' feet. */
function make_value(int $key, int $ver) {
    if ($key % 3 == 0) {
        return ['key' => $key, 'ver' => $ver, 'list' => array_fill(0, $ver % 50, $ver)];
    }
    return "$key:$ver:" . str_repeat(chr(65 + ($key + $ver) % 26), 10 + ($key * 7 + $ver * 13) % 3000);
}
function check_value(int $key, $v): bool {
    if ($v === false) return true;  // evicted or not stored yet
    if ($key % 3 == 0) {
        return is_array($v) && $v['key'] === $key && $v['list'] === array_fill(0, $v['ver'] % 50, $v['ver']);
    }
    if (!is_string($v) || !preg_match('/^(\d+):(\d+):/', $v, $m)) return false;
    return (int) $m[1] === $key && $v === make_value($key, (int) $m[2]);
}
const KEYS = 60;
$deadline = microtime(true) + 2.0;
$pids = [];
for ($w = 0; $w < 2; $w++) {
    $pids[] = ks_fork(function () use ($w, $deadline) {
        $ver = $w * 50000;
        while (microtime(true) < $deadline) {
            $k = mt_rand(0, KEYS - 1);
            if (!keepsake_cache_store("t$k", make_value($k, ++$ver))) return 1;
            if ($ver % 7 == 0) keepsake_cache_delete("t" . mt_rand(0, KEYS - 1));
        }
        return 0;
    });
}
for ($r = 0; $r < 2; $r++) {
    $pids[] = ks_fork(function () use ($deadline) {
        $reads = 0;
        while (microtime(true) < $deadline) {
            $k = mt_rand(0, KEYS - 1);
            if (!check_value($k, keepsake_cache_fetch("t$k"))) return 2;
            $reads++;
        }
        return $reads > 1000 ? 0 : 3;
    });
}
var_dump(array_values(ks_wait_all($pids, 30)));
?>
--EXPECT--
array(4) {
  [0]=>
  int(0)
  [1]=>
  int(0)
  [2]=>
  int(0)
  [3]=>
  int(0)
}
