--TEST--
Random values round-trip through store and fetch: 20 fixed seeds x 500 values, each seed in a forked child
--DESCRIPTION--
Property-based test (tests/cache/fuzz.inc): nested packed and hash arrays, empty
and literal arrays, nesting near the 1024-level limit, stdClass, ArrayObject,
DateTimeImmutable, enums, __serialize and __sleep/__wakeup classes, objects
beside empty arrays, references and cycles, NAN/-0.0/INF/PHP_INT_MIN, binary
strings up to 1 MB; values holding a resource must be refused. A crash fails
its seed and names the value. Longer runs: scripts/fuzz-cache.
--EXTENSIONS--
pcntl
--INI--
keepsake.cache.enable_cli=1
; 64M as scripts/fuzz-cache: each seed's child is one long CLI request that
; fetches zero-copy, so the blocks it deletes stay retired; they stay in each
; shard's zero-copy region and leave multi-megabyte copied values their room
; (docs/cache.md, "Zero-copy fetch")
keepsake.cache.size=64M
memory_limit=512M
--FILE--
<?php
require __DIR__ . '/fuzz.inc';
[$seeds, $values] = ks_fuzz_plan(1, 20, 500);
$fails = ks_fuzz_seeds($seeds, $values);
echo $fails ? implode("\n", $fails) . "\n" : "all seeds passed\n";
?>
--EXPECT--
all seeds passed
