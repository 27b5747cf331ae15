--TEST--
Random values round-trip with zero-copy off (keepsake.cache.zero_copy=0): every value in the copying form (20 seeds x 500 values)
--DESCRIPTION--
fuzz_values_round_trip.phpt runs with zero-copy on (the default), where pure
data is stored in the immutable form; this is the same property test with
other seeds in the copying form only, so both modes stay covered.
--EXTENSIONS--
pcntl
--INI--
keepsake.cache.enable_cli=1
keepsake.cache.size=64M
keepsake.cache.zero_copy=0
memory_limit=512M
--FILE--
<?php
require __DIR__ . '/fuzz.inc';
[$seeds, $values] = ks_fuzz_plan(4001, 20, 500);
$fails = ks_fuzz_seeds($seeds, $values);
echo $fails ? implode("\n", $fails) . "\n" : "all seeds passed\n";
?>
--EXPECT--
all seeds passed
