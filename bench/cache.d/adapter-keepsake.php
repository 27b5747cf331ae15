<?php
/*
 * bench/cache.d/adapter-keepsake.php: binds the workload to keepsake's cache.
 *
 * Same shape as adapter-apcu.php (see there): `use function` aliases, so the
 * workload's loops call keepsake_cache_* directly.
 */
namespace KsBench;

use function keepsake_cache_fetch as cache_fetch;
use function keepsake_cache_store as cache_store;
use function keepsake_cache_inc as cache_inc;

const SIDE = 'keepsake';

function side_check(): ?string
{
	foreach (['keepsake_cache_fetch', 'keepsake_cache_store', 'keepsake_cache_inc',
		'keepsake_cache_info', 'keepsake_cache_enabled'] as $f) {
		if (!\function_exists($f)) {
			return "$f() does not exist (keepsake.so not loaded or built without the cache)";
		}
	}
	try {
		if (!\keepsake_cache_enabled()) {
			return 'keepsake_cache_enabled() is false (keepsake.cache.enable_cli=1 missing?)';
		}
		/* The skeleton registers the functions before they work: probe one. */
		if (!@\keepsake_cache_store('ksbench:probe', 'x') || @\keepsake_cache_fetch('ksbench:probe') !== 'x') {
			return 'keepsake_cache_store/fetch do not round-trip a string yet';
		}
		if (!\is_array(@\keepsake_cache_info(true))) {
			return 'keepsake_cache_info(true) does not return an array yet';
		}
	} catch (\Throwable $e) {
		return 'keepsake cache not usable: ' . \get_class($e) . ': ' . $e->getMessage();
	}
	return null;
}

function side_version(): string
{
	return (string)\phpversion('keepsake');
}

/* The first of $names present in $info, as an int, or null. */
function side_pick(array $info, array $names): ?int
{
	foreach ($names as $n) {
		if (isset($info[$n]) && \is_numeric($info[$n])) {
			return (int)$info[$n];
		}
	}
	return null;
}

/*
 * entries, full wipes, per-entry evictions and the raw info array.
 * keepsake keeps APCu's key names (num_entries, expunges) and adds its own
 * eviction counters by reason and a full-wipe counter; the names below are
 * the ones src/cache reports (see docs/benchmarks-cache.md if they change).
 */
function side_stats(): array
{
	$i = \keepsake_cache_info(true);
	if (!\is_array($i)) {
		return ['entries' => -1, 'wipes' => -1, 'evictions' => -1, 'raw' => []];
	}
	$ev = 0;
	$found = false;
	foreach ($i as $k => $v) {
		if (\is_string($k) && \str_starts_with($k, 'evictions') && \is_numeric($v)) {
			$ev += (int)$v;
			$found = true;
		} elseif ($k === 'evictions' && \is_array($v)) {
			foreach ($v as $n) {
				$ev += (int)$n;
			}
			$found = true;
		}
	}
	return [
		'entries' => side_pick($i, ['num_entries']) ?? -1,
		'wipes' => side_pick($i, ['full_wipes', 'wipes', 'expunges']) ?? -1,
		'evictions' => $found ? $ev : -1,
		'raw' => $i,
	];
}
