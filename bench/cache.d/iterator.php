<?php
/*
 * bench/cache.d/iterator.php: how long Keepsake\CacheIterator takes to walk
 * N entries with values, with the default chunk (100 values fetched at a
 * time) against one chunk holding every entry. Chunked loading must stay
 * linear: the default chunk should cost at most about 2x the single chunk.
 *
 *   php -d extension=modules/keepsake.so -d keepsake.cache.enable_cli=1 \
 *       -d keepsake.cache.size=256M bench/cache.d/iterator.php [N] [ROUNDS]
 *
 * Prints one line per chunk size (best of ROUNDS) and the ratio. It never
 * fails on timing; it exits 1 only when the iteration saw the wrong entries.
 */
$n = (int) ($argv[1] ?? 80000);
$rounds = (int) ($argv[2] ?? 3);
if (!keepsake_cache_enabled()) {
	fwrite(STDERR, "the cache is disabled: pass -d keepsake.cache.enable_cli=1\n");
	exit(2);
}
keepsake_cache_clear();
for ($i = 0; $i < $n; $i++) {
	if (!keepsake_cache_store("it:$i", $i)) {
		fwrite(STDERR, "store failed at $i: raise keepsake.cache.size\n");
		exit(2);
	}
}

function walk(int $chunk, int $n): float
{
	$t = hrtime(true);
	$sum = 0;
	$count = 0;
	foreach (new Keepsake\CacheIterator('/^it:/', KEEPSAKE_CACHE_ITER_VALUE, $chunk) as $e) {
		$sum += $e['value'];
		$count++;
	}
	$t = (hrtime(true) - $t) / 1e9;
	if ($count !== $n || $sum !== $n * ($n - 1) / 2) {
		fwrite(STDERR, "chunk $chunk: saw $count entries (sum $sum), expected $n\n");
		exit(1);
	}
	return $t;
}

$best = [];
foreach ([0, $n] as $chunk) {
	$best[$chunk] = INF;
	for ($r = 0; $r < $rounds; $r++) {
		$best[$chunk] = min($best[$chunk], walk($chunk, $n));
	}
}
printf("entries %d, best of %d rounds\n", $n, $rounds);
printf("default chunk (100)   %8.3f s\n", $best[0]);
printf("one chunk (%d)   %8.3f s\n", $n, $best[$n]);
printf("ratio default/one     %8.2f\n", $best[0] / $best[$n]);
