--TEST--
add() array form: exit() in an error handler called for a failed key (a value too large for a shard) stops at once: no later serializer or handler runs, no later key is stored
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
class Later { function __serialize(): array { echo "LATER SERIALIZER RAN\n"; return []; } }
register_shutdown_function(function () {
    var_dump(keepsake_cache_exists('after-1'), keepsake_cache_exists('after-2'), keepsake_cache_fetch('before'));
});
set_error_handler(function ($no, $msg) { echo "handler: ", substr($msg, 0, 30), "... exit\n"; exit(0); });
$big = str_repeat('x', keepsake_cache_sma_info(true)['seg_size'] + 1);
keepsake_cache_add(['before' => 1, 'too-big' => $big, 'too-big-2' => $big, 'after-1' => new Later, 'after-2' => 2]);
echo "NOT REACHED\n";
?>
--EXPECT--
handler: keepsake_cache_add(): cannot a... exit
bool(false)
bool(false)
int(1)
