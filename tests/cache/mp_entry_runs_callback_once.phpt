--TEST--
Multi-process: entry() runs its callback once across processes; the others wait for the value
--EXTENSIONS--
pcntl
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
require __DIR__ . '/fork.inc';
keepsake_cache_store('go', 0);
$pids = [];
for ($p = 0; $p < 4; $p++) {
    $pids[] = ks_fork(function () {
        ks_until(fn() => keepsake_cache_fetch('go') === 1);
        $v = keepsake_cache_entry('slow', function () {
            keepsake_cache_inc('runs');
            usleep(300000);
            return 'computed';
        });
        return $v === 'computed' ? 0 : 1;
    });
}
keepsake_cache_store('go', 1);
var_dump(array_values(ks_wait_all($pids)));
var_dump(keepsake_cache_fetch('runs'), keepsake_cache_fetch('slow'), keepsake_cache_info(true)['leases']);
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
int(1)
string(8) "computed"
int(0)
