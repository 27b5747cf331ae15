<?php
/*
 * bench/cache.d/iterator-memory.php: the request memory Keepsake\CacheIterator
 * costs. (1) KEYS small entries: the snapshot's size after rewind() with
 * ITER_KEY and with ITER_ALL; (2) VALUES values of 100 KB read with
 * ITER_VALUE in chunks of 100: the peak, which only the current chunk's
 * values should reach (about 10 MB), whatever the total read.
 *
 *   php -n -d extension=modules/keepsake.so -d keepsake.cache.enable_cli=1 \
 *       -d keepsake.cache.size=400M -d memory_limit=-1 \
 *       bench/cache.d/iterator-memory.php [KEYS] [VALUES]
 *
 * Memory, not time: the numbers do not depend on the machine's load.
 */
$keys = (int) ($argv[1] ?? 200000);
$values = (int) ($argv[2] ?? 1500);
if (!keepsake_cache_enabled()) {
	fwrite(STDERR, "the cache is disabled: pass -d keepsake.cache.enable_cli=1\n");
	exit(2);
}
keepsake_cache_clear();
for ($i = 0; $i < $keys; $i++) {
	if (!keepsake_cache_store("key$i", $i)) {
		fwrite(STDERR, "store failed at $i: raise keepsake.cache.size\n");
		exit(2);
	}
}
foreach (['ITER_KEY' => KEEPSAKE_CACHE_ITER_KEY, 'ITER_ALL' => KEEPSAKE_CACHE_ITER_ALL] as $name => $format) {
	$before = memory_get_usage();
	$it = new Keepsake\CacheIterator(null, $format);
	$it->rewind();
	printf("%d keys, %-8s snapshot %6.1f MB (%.0f bytes per key)\n", $keys, $name,
		(memory_get_usage() - $before) / 1048576, (memory_get_usage() - $before) / max(1, $keys));
	unset($it);
}
keepsake_cache_clear();
$v = str_repeat('x', 100000);
for ($i = 0; $i < $values; $i++) {
	if (!keepsake_cache_store("big$i", $v . $i)) {
		fwrite(STDERR, "store failed at $i: raise keepsake.cache.size\n");
		exit(2);
	}
}
memory_reset_peak_usage();
$base = memory_get_usage();
$read = 0;
foreach (new Keepsake\CacheIterator('/^big/', KEEPSAKE_CACHE_ITER_VALUE) as $e) {
	$read += strlen($e['value']);
}
printf("%d values of 100 KB, ITER_VALUE, chunk 100: %.0f MB read, peak %.1f MB above the start\n",
	$values, $read / 1048576, (memory_get_peak_usage() - $base) / 1048576);
