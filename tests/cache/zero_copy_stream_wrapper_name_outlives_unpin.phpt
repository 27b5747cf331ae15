--TEST--
Zero-copy: a stream wrapper or filter registered under a fetched name does not make the request read the reclaimed block after its unpin
--DESCRIPTION--
PHP destroys the request's stream wrapper and filter tables
(php_shutdown_stream_hashes) after every module's post-deactivate hook,
where the request's zero-copy pin ends. A wrapper registered under a string
of a fetched array is keyed by that string in place, and once a wrapper
with an ordinary (non-interned) name is registered too, the table releases
every key when destroyed: it would read the string's header after the
unpin, when another process may have reused the block, and decrement (and
maybe free) whatever lies there.
A forked child fetches, registers the wrappers and a filter, and exits; the
debug build's KEEPSAKE_DEBUG_UNPIN_PAUSE_MS holds it just after the unpin.
Meanwhile the parent deletes the entry (the block is reclaimed, as the child
is unpinned) and fills the shard with values of 0x01 bytes, which a release
of a stale key would change. They must be intact after the child exits, and
the child must exit normally.
--SKIPIF--
<?php
if (PHP_ZTS) die('skip zero-copy is off under ZTS: fetch copies there');
if (!function_exists('keepsake_debug_immutable')) die('skip needs a --enable-keepsake-debug build');
if (!function_exists('pcntl_fork')) die('skip needs pcntl');
?>
--ENV--
KEEPSAKE_DEBUG_UNPIN_PAUSE_MS=1500
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.shards=1
keepsake.cache.size=4M
--FILE--
<?php
class W { public $context; function stream_open($p, $m, $o, &$op) { return true; } }
class F extends php_user_filter {}
$names = ['wrap' => 'kswrap' . str_repeat('x', 60), 'filt' => 'ks.filter.' . str_repeat('y', 60)];
keepsake_cache_store('names', $names);
[$r, $w] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, 0);
$pid = pcntl_fork();
if ($pid === 0) {
    $v = keepsake_cache_fetch('names');
    var_dump(stream_wrapper_register($v['wrap'], 'W'));
    var_dump(stream_wrapper_register('ksdyn' . getmypid(), 'W'));
    var_dump(stream_filter_register($v['filt'], 'F'));
    var_dump(stream_filter_register('ks.dyn.' . getmypid(), 'F'));
    fwrite($w, "registered\n");
    exit(0);
}
fgets($r);
/* The child is in its shutdown, unpinned and pausing, once no process is
 * pinned any more (this one has fetched nothing): polled, bounded, rather
 * than assumed after 300 ms, which a loaded box can overrun (the block then
 * is still pinned, and nothing fits over it). */
for ($i = 0; $i < 5000 && keepsake_cache_info(true)['zero_copy']['pinned'] !== 0; $i++) usleep(2000);
keepsake_cache_delete('names');
/* one value of 0x01 bytes over the whole arena: it fits only once the
 * deleted block is reclaimed, so it covers that block (copying form) */
ini_set('keepsake.cache.zero_copy', '0');
$avail = keepsake_cache_sma_info(true)['avail_mem'];
$n = 0;
for ($len = $avail - 48; $len > $avail - 2048 && !$n; $len -= 8) {
    $fill = str_repeat("\x01", $len);
    $n = @keepsake_cache_store('fill', $fill) ? 1 : 0;
}
pcntl_waitpid($pid, $status);
echo pcntl_wifexited($status) && pcntl_wexitstatus($status) === 0 ? "child exited normally\n" : "child died: $status\n";
$got = keepsake_cache_fetch('fill');
$bad = $got === $fill ? 0 : ($got === false ? -1 : strlen($got) - substr_count($got, "\x01"));
$zc = keepsake_cache_info(true)['zero_copy'];
echo $n && $zc['retired_freed'] === 1 ? "filled over the reclaimed block\n" : "not filled ($n, {$zc['retired_freed']})\n";
echo "changed bytes: $bad\n";
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
child exited normally
filled over the reclaimed block
changed bytes: 0
