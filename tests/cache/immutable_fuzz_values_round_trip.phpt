--TEST--
Random values through the immutable layout: pure data round-trips from a read-only block, the rest is refused (20 seeds x 500 values)
--DESCRIPTION--
tests/cache/immutable_fuzz.inc: fuzz.inc's generator (nested packed and hash
arrays with holes, literal and empty arrays, nesting near 1024 levels, NAN,
-0.0, PHP_INT_MIN, binary strings up to 1 MB, objects, references, cycles,
resources) through ks_cache_immutable.c's measure, write and materialize, with
every block read-only; each seed in a forked child, so a crash names the value.
--SKIPIF--
<?php
if (!function_exists('keepsake_debug_immutable')) die('skip needs a --enable-keepsake-debug build');
?>
--EXTENSIONS--
pcntl
--INI--
memory_limit=512M
--FILE--
<?php
require __DIR__ . '/immutable_fuzz.inc';
[$seeds, $values] = ks_fuzz_plan(2001, 20, 500);
$fails = ks_fuzz_seeds($seeds, $values, 300, 'ks_imm_fuzz_seed');
echo $fails ? implode("\n", $fails) . "\n" : "all seeds passed\n";
?>
--EXPECT--
all seeds passed
