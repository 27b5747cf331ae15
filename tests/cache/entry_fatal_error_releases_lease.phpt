--TEST--
entry(): a fatal error inside the callback frees the lease at once, before the request ends
--EXTENSIONS--
pcntl
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.entry_timeout=60
--SKIPIF--
<?php
/* A fatal error (bailout) in the forked child skips the engine's own cleanup
 * of compiled code (init_op_array): valgrind reports those engine leaks (no
 * keepsake frame in them), and XLEAK would warn in normal runs. */
if (getenv('USE_ZEND_ALLOC') === '0') die('skip the engine leaks after a fatal error under valgrind');
?>
--FILE--
<?php
require __DIR__ . '/fork.inc';
/* The child dies of a fatal error inside the callback. The callback runs
 * inside zend_try, so the bailout frees the lease before it unwinds: while
 * the child's shutdown function still holds the request open, the lease is
 * already gone (it used to stay until keepsake's request shutdown). */
$pid = ks_fork(function () {
    register_shutdown_function(function () {
        keepsake_cache_store('child_shutdown', 1);
        ks_until(fn() => keepsake_cache_fetch('parent_done') === 1, 15);
    });
    keepsake_cache_entry('k', function () {
        /* PHP 8.4 deprecates E_USER_ERROR in trigger_error(), yet it is
         * still a fatal error (a bailout), which is what this test needs. */
        error_reporting(E_ALL & ~E_DEPRECATED);
        trigger_error('the callback dies', E_USER_ERROR);
        return 'never';
    });
    return 0;
});
var_dump(ks_until(fn() => keepsake_cache_fetch('child_shutdown') === 1));
var_dump(keepsake_cache_info(true)['leases']);
/* The child is not reaped and the lease's deadline is a minute away: the
 * key is free only because the bailout released it. */
$t = microtime(true);
var_dump(keepsake_cache_entry('k', fn() => 'recomputed'), microtime(true) - $t < 5.0);
keepsake_cache_store('parent_done', 1);
ks_wait_all([$pid]);
?>
--EXPECTF--
Fatal error: the callback dies in %s on line %d
bool(true)
int(0)
string(10) "recomputed"
bool(true)
