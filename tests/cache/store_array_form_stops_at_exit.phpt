--TEST--
store() array form: exit() in a value's serializer stops at once (no later serializer runs, no later key is stored), unlike a thrown exception, which is held until the other keys are stored
--INI--
keepsake.cache.enable_cli=1
--FILE--
<?php
class Quits { function __serialize(): array { echo "serializer: exit\n"; exit(0); } }
class Later { function __serialize(): array { echo "LATER SERIALIZER RAN\n"; return []; } }
register_shutdown_function(function () {
    var_dump(keepsake_cache_exists('after-1'), keepsake_cache_exists('after-2'), keepsake_cache_fetch('before'));
});
keepsake_cache_store(['before' => 1, 'quits' => new Quits, 'after-1' => new Later, 'after-2' => 2]);
echo "NOT REACHED\n";
?>
--EXPECT--
serializer: exit
bool(false)
bool(false)
int(1)
