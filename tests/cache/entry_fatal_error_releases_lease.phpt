--TEST--
entry(): a fatal error inside the callback releases the lease while the process lives on
--EXTENSIONS--
pcntl
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.entry_timeout=60
--FILE--
<?php
require __DIR__ . '/fork.inc';
/* The child dies of a fatal error inside the callback, but its process
 * (like a php-fpm worker) lives on until the parent has checked the lease. */
$pid = ks_fork(function () {
    register_shutdown_function(function () {
        keepsake_cache_store('child_shutdown', 1);
        ks_until(fn() => keepsake_cache_fetch('parent_done') === 1, 15);
    });
    keepsake_cache_entry('k', function () {
        ini_set('memory_limit', '4M');
        str_repeat('x', 8 * 1024 * 1024);
        return 'never';
    });
    return 0;
});
var_dump(ks_until(fn() => keepsake_cache_fetch('child_shutdown') === 1));
/* The child is still running its shutdown function (its pid exists, and
 * the lease's deadline is a minute away), yet the key is already free. */
var_dump(keepsake_cache_info(true)['leases']);
$t = microtime(true);
var_dump(keepsake_cache_entry('k', fn() => 'recomputed'), microtime(true) - $t < 5.0);
keepsake_cache_store('parent_done', 1);
ks_wait_all([$pid]);
?>
--EXPECTF--
Fatal error: Allowed memory size of %d bytes exhausted%s
bool(true)
int(0)
string(10) "recomputed"
bool(true)
