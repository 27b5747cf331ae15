<?php
/*
 * bench/cache.d/zipf.php: the Zipf request sequence and the exact-LRU model.
 * Pure computation; loads no cache. Run with `php -n`.
 *
 *   php -n zipf.php gen <file> <requests> <keys> <s> <seed>
 *       Writes <requests> key ids (uint32 little-endian, 0..keys-1) drawn from
 *       Zipf(s) over <keys> ranks. Rank r (1 = most popular) has probability
 *       r^-s / H(keys, s); ranks map to key ids through a seeded shuffle, so
 *       popularity is not tied to the id (value sizes depend on the id).
 *       Prints {"file":..., "sha1":..., "distinct":...}. When <file> exists
 *       with the right length it is reused as it is (the driver names the
 *       file after all the parameters).
 *
 *   php -n zipf.php lru <file> <capacity> [<capacity>...]
 *       Replays the file through an exact LRU of each capacity (entries) with
 *       get-or-set semantics (a miss inserts, evicting the least recently
 *       used entry when full) and prints {"<capacity>": hit_ratio, ...}.
 *
 * Uses mt_rand with MT_RAND_MT19937 and a fixed seed, so the same arguments
 * give the same file on any PHP >= 7.1; the driver still generates it once
 * and hands the same file to APCu, keepsake and the model.
 */

function zipf_generate(string $file, int $requests, int $keys, float $s, int $seed): array
{
	\mt_srand($seed, MT_RAND_MT19937);
	/* cumulative distribution over ranks 1..keys */
	$cdf = [];
	$sum = 0.0;
	for ($r = 1; $r <= $keys; $r++) {
		$sum += 1.0 / ($r ** $s);
		$cdf[] = $sum;
	}
	for ($i = 0; $i < $keys; $i++) {
		$cdf[$i] /= $sum;
	}
	$cdf[$keys - 1] = 1.0;
	/* rank -> key id: Fisher-Yates shuffle with the same generator */
	$ids = \range(0, $keys - 1);
	for ($i = $keys - 1; $i > 0; $i--) {
		$j = \mt_rand(0, $i);
		[$ids[$i], $ids[$j]] = [$ids[$j], $ids[$i]];
	}
	$max = \mt_getrandmax() + 1.0;
	$out = '';
	$seen = [];
	for ($n = 0; $n < $requests; $n++) {
		$u = \mt_rand() / $max;
		$lo = 0;
		$hi = $keys - 1;
		while ($lo < $hi) {           /* first rank with cdf > u */
			$mid = ($lo + $hi) >> 1;
			if ($cdf[$mid] > $u) {
				$hi = $mid;
			} else {
				$lo = $mid + 1;
			}
		}
		$id = $ids[$lo];
		$seen[$id] = true;
		$out .= \pack('V', $id);
	}
	if (\file_put_contents($file . '.tmp', $out) !== \strlen($out) || !\rename($file . '.tmp', $file)) {
		fwrite(STDERR, "cannot write $file\n");
		exit(1);
	}
	return ['file' => $file, 'sha1' => \sha1($out), 'distinct' => \count($seen)];
}

/*
 * Exact LRU as a doubly linked list over key ids held in flat arrays
 * (prev/next indexed by id, -1 = none), head = most recently used.
 */
function lru_hit_ratio(array $seq, int $keys, int $cap): float
{
	$prev = \array_fill(0, $keys, -1);
	$next = \array_fill(0, $keys, -1);
	$in = \array_fill(0, $keys, false);
	$head = -1;
	$tail = -1;
	$size = 0;
	$hits = 0;
	foreach ($seq as $id) {
		if ($in[$id]) {
			$hits++;
			if ($id === $head) {
				continue;
			}
			/* unlink (it is not the head, so it has a prev) */
			$p = $prev[$id];
			$q = $next[$id];
			$next[$p] = $q;
			if ($q >= 0) {
				$prev[$q] = $p;
			} else {
				$tail = $p;
			}
		} else {
			if ($size >= $cap) {
				$old = $tail;
				$tail = $prev[$old];
				$in[$old] = false;
				if ($tail >= 0) {
					$next[$tail] = -1;
				} else {
					$head = -1;
				}
			} else {
				$size++;
			}
			$in[$id] = true;
		}
		/* push at head */
		$prev[$id] = -1;
		$next[$id] = $head;
		if ($head >= 0) {
			$prev[$head] = $id;
		}
		$head = $id;
		if ($tail < 0) {
			$tail = $id;
		}
	}
	return $hits / \max(1, \count($seq));
}

$cmd = $argv[1] ?? '';
if ($cmd === 'gen' && $argc === 7) {
	/* The file name carries every parameter: an existing file is the same
	 * sequence, so it is reused rather than drawn again. */
	if (\is_file($argv[2]) && ($raw = \file_get_contents($argv[2])) !== false && \strlen($raw) === 4 * (int)$argv[3]) {
		echo \json_encode(['file' => $argv[2], 'sha1' => \sha1($raw),
			'distinct' => \count(\array_flip(\unpack('V*', $raw))), 'reused' => true]), "\n";
		exit(0);
	}
	echo \json_encode(zipf_generate($argv[2], (int)$argv[3], (int)$argv[4], (float)$argv[5], (int)$argv[6])), "\n";
	exit(0);
}
if ($cmd === 'lru' && $argc >= 4) {
	$raw = \file_get_contents($argv[2]);
	if ($raw === false) {
		fwrite(STDERR, "cannot read {$argv[2]}\n");
		exit(1);
	}
	$seq = \array_values(\unpack('V*', $raw));
	$keys = \max($seq) + 1;
	$r = [];
	foreach (\array_slice($argv, 3) as $cap) {
		$r[(string)(int)$cap] = lru_hit_ratio($seq, $keys, \max(1, (int)$cap));
	}
	echo \json_encode($r, JSON_PRESERVE_ZERO_FRACTION | JSON_FORCE_OBJECT), "\n";
	exit(0);
}
fwrite(STDERR, "usage: zipf.php gen <file> <requests> <keys> <s> <seed> | lru <file> <cap>...\n");
exit(2);
