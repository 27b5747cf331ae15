--TEST--
Multi-process: a lease whose owner was SIGKILLed is taken over; the next entry() computes
--EXTENSIONS--
pcntl
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
require __DIR__ . '/fork.inc';
$pid = ks_fork(function () {
    keepsake_cache_entry('k', function () {
        keepsake_cache_store('started', 1);
        sleep(30);
        return 'never';
    });
    return 0;
});
var_dump(ks_until(fn() => keepsake_cache_fetch('started') === 1));
var_dump(keepsake_cache_info(true)['leases']);
ks_kill($pid);
var_dump(array_values(ks_wait_all([$pid])));
$t = microtime(true);
var_dump(keepsake_cache_entry('k', fn() => 'taken over'));
var_dump(microtime(true) - $t < 5.0, keepsake_cache_info(true)['leases']);
?>
--EXPECT--
bool(true)
int(1)
array(1) {
  [0]=>
  string(6) "killed"
}
string(10) "taken over"
bool(true)
int(0)
