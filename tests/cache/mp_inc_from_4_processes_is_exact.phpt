--TEST--
Multi-process: inc from 4 forked processes is exact (and cas retries are lossless)
--EXTENSIONS--
pcntl
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
require __DIR__ . '/fork.inc';
const N = 5000;
keepsake_cache_store('casctr', 0);
$pids = [];
for ($p = 0; $p < 4; $p++) {
    $pids[] = ks_fork(function () {
        for ($i = 0; $i < N; $i++) {
            if (keepsake_cache_inc('ctr') === false) return 1;
            do { $v = keepsake_cache_fetch('casctr'); } while (!keepsake_cache_cas('casctr', $v, $v + 1));
        }
        return 0;
    });
}
var_dump(array_values(ks_wait_all($pids)));
var_dump(keepsake_cache_fetch('ctr'), keepsake_cache_fetch('casctr'));
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
int(20000)
int(20000)
