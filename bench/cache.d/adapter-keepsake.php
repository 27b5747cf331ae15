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
		$ok = @\keepsake_cache_store('ksbench:probe', 'x') && @\keepsake_cache_fetch('ksbench:probe') === 'x';
		@\keepsake_cache_delete('ksbench:probe');   /* leave the segment as APCu's: empty */
		if (!$ok) {
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

/*
 * entries, full wipes, per-entry evictions and the raw info array, from
 * keepsake_cache_info(true). keepsake keeps APCu's key names (num_entries,
 * expunges) and adds full_wipes (must stay 0), num_evictions and
 * evictions => [reason => count] (expired, capacity, recovery).
 */
function side_stats(): array
{
	$i = \keepsake_cache_info(true);
	if (!\is_array($i)) {
		return ['entries' => -1, 'wipes' => -1, 'evictions' => -1, 'raw' => []];
	}
	$ev = $i['num_evictions'] ?? null;
	if ($ev === null && \is_array($i['evictions'] ?? null)) {
		$ev = \array_sum($i['evictions']);
	}
	return [
		'entries' => (int)($i['num_entries'] ?? -1),
		'wipes' => (int)($i['full_wipes'] ?? -1),
		'evictions' => (int)($ev ?? -1),
		'raw' => $i,
	];
}
