--TEST--
phpinfo(): the cache rows (enabled, segment size, shards, entries, memory used)
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.size=8M
keepsake.cache.shards=4
--FILE--
<?php
keepsake_cache_store('a', 1);
ob_start();
(new ReflectionExtension('keepsake'))->info();
$out = ob_get_clean();
foreach (explode("\n", $out) as $line) {
    if (preg_match('/^Cache |^keepsake\.cache\.(size|shards|enable_cli) /', $line)) echo $line, "\n";
}
?>
--EXPECTF--
Cache enabled => yes
Cache segment size => 8388608 bytes
Cache shards => 4
Cache entries => 1
Cache memory used => %d of %d bytes
keepsake.cache.enable_cli => On => On
keepsake.cache.size => 8M => 8M
keepsake.cache.shards => 4 => 4
