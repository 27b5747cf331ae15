<?php
/*
 * bench/cache.d/adapter-apcu.php: binds the workload to APCu.
 *
 * The driver writes this header and the body of workload.php into one file,
 * so the `use function` aliases below make every cache call in the workload a
 * direct call of the extension's function: no userland wrapper sits between
 * the loop and the cache, and both sides run byte-identical loop code.
 */
namespace KsBench;

use function apcu_fetch as cache_fetch;
use function apcu_store as cache_store;
use function apcu_inc as cache_inc;

const SIDE = 'apcu';

/* Why this side cannot run, or null. */
function side_check(): ?string
{
	if (!\function_exists('apcu_fetch')) {
		return 'apcu.so is not loaded';
	}
	if (!\apcu_enabled()) {
		return 'apcu_enabled() is false (apc.enable_cli=1 missing?)';
	}
	return null;
}

function side_version(): string
{
	return (string)\phpversion('apcu');
}

/*
 * The numbers the workload needs, from apcu_cache_info(true):
 * entries, full wipes (APCu's "expunges": each one empties the whole cache),
 * per-entry evictions (APCu has none) and the raw array for the report.
 */
function side_stats(): array
{
	$i = \apcu_cache_info(true);
	if (!\is_array($i)) {
		return ['entries' => -1, 'wipes' => -1, 'evictions' => 0, 'raw' => []];
	}
	return [
		'entries' => (int)$i['num_entries'],
		'wipes' => (int)$i['expunges'],
		'evictions' => 0,
		'raw' => $i,
	];
}
