<?php
/*
 * bench/cache.d/zero-copy.php: issue 13's measurements, included by driver.php.
 *
 * Three columns, each a fresh `php -n` process per measurement (Runner):
 * "apcu", "keepsake_copy" (keepsake with keepsake.cache.zero_copy=0: every
 * fetch copies) and "keepsake" (the default, zero-copy). Rounds rotate the
 * order of the three so a slow phase of the machine hits each alike.
 *
 *  - routes: fetch of the route table (workload.php t_routes) at each size,
 *    in nanoseconds of CPU per fetch, and memory_get_usage() growth.
 *  - the 48-byte string and 50-element array rows of the main table, run a
 *    third time with keepsake copying (the driver's micro loop, ZC_MICRO).
 *  - the fpm page (fpm.php), reported here too.
 *
 * zc_report() prints the table, the ratios and the issue's targets with a
 * verdict; a verdict never changes the exit status. zc_svg() draws the
 * fetch cost against entries (log-log) by hand, no library.
 */

const ZC_MICRO = ['fetch_str', 'fetch_array'];
const ZC_SIDES = ['apcu', 'keepsake_copy', 'keepsake'];
const ZC_LABEL = ['apcu' => 'APCu', 'keepsake_copy' => 'keepsake copying', 'keepsake' => 'keepsake zero-copy'];
const ZC_COLOR = ['apcu' => '#d62728', 'keepsake_copy' => '#1f77b4', 'keepsake' => '#2ca02c'];

/* The three sides, rotated by $round. */
function zc_order(int $round): array
{
	$s = ZC_SIDES;
	for ($i = 0; $i < $round % \count($s); $i++) {
		$s[] = \array_shift($s);
	}
	return $s;
}

/*
 * Runs the routes workload $p['rounds'] times per side. Returns
 * ns[side][size] = [CPU ns per fetch, one per round], grew[side][size]
 * (bytes, last round), zc[side] (cache_info()['zero_copy'] or null) and
 * errors[side].
 */
function zc_routes(Runner $R, array $p): array
{
	$res = ['ns' => [], 'grew' => [], 'zc' => [], 'errors' => []];
	$params = ['sizes' => $p['sizes'], 'seconds' => $p['seconds'], 'chunks' => $p['chunks']];
	for ($r = 0; $r < $p['rounds']; $r++) {
		foreach (zc_order($r) as $side) {
			$x = $R->run($side, 'routes', $params, $p['size']);
			if (!$x['ok']) {
				$res['errors'][$side] = $x['error'];
				continue;
			}
			foreach ($x['sizes'] as $n => $m) {
				$res['ns'][$side][$n][] = $m['ns_cpu'] ?? $m['ns_wall'];
				$res['wall'][$side][$n][] = $m['ns_wall'];
				$res['grew'][$side][$n] = $m['grew'];
			}
			$res['zc'][$side] = $x['zero_copy'];
		}
	}
	return $res;
}

/* "123 ns", "4.5 us", "2.38 ms" */
function zc_time(?float $ns): string
{
	if ($ns === null) {
		return 'n/a';
	}
	if ($ns < 1000) {
		return \sprintf('%.0f ns', $ns);
	}
	if ($ns < 1e6) {
		return \sprintf($ns < 1e4 ? '%.2f us' : '%.1f us', $ns / 1e3);
	}
	return \sprintf('%.2f ms', $ns / 1e6);
}

/* Median over rounds of $a[i] / $b[i] (the two ran in the same round). */
function zc_paired(array $a, array $b): ?float
{
	$q = [];
	foreach ($a as $i => $x) {
		if (isset($b[$i]) && $b[$i] > 0) {
			$q[] = $x / $b[$i];
		}
	}
	return $q ? median($q) : null;
}

function zc_verdict(?float $v, callable $ok): string
{
	return $v === null ? 'n/a' : ($ok($v) ? 'met' : 'SHORT');
}

/*
 * Prints issue 13's table and targets; returns them for the JSON file.
 * $rates: the driver's micro rates (ops per CPU-second per round) of
 * fetch_str and fetch_array; $fpm: fpm.php's result or null.
 */
function zc_report(array $routes, array $rates, ?array $fpm): array
{
	$best = [];
	foreach ($routes['ns'] as $side => $bySize) {
		foreach ($bySize as $n => $v) {
			$best[$side][$n] = \min($v);
		}
	}
	echo "\n== zero-copy fetch (issue 13): route table, CPU time per fetch (best round)\n";
	$hdr = \sprintf('%-12s %11s %11s %11s %9s %9s %9s', 'entries', 'APCu', 'copying', 'zero-copy', 'A/zc', 'A/zc med', 'copy/zc');
	echo $hdr, "\n", \str_repeat('-', \strlen($hdr)), "\n";
	$sizes = \array_keys($best['apcu'] ?? $best['keepsake'] ?? $best['keepsake_copy'] ?? []);
	$ratio = fn($a, $b) => ($a !== null && $b) ? $a / $b : null;
	$fx = fn(?float $x) => $x === null ? 'n/a' : ($x >= 100 ? \sprintf('%.0fx', $x) : \sprintf('%.2fx', $x));
	$out = ['best_ns' => $best, 'sizes' => []];
	foreach ($sizes as $n) {
		$a = $best['apcu'][$n] ?? null;
		$c = $best['keepsake_copy'][$n] ?? null;
		$z = $best['keepsake'][$n] ?? null;
		$med = zc_paired($routes['ns']['apcu'][$n] ?? [], $routes['ns']['keepsake'][$n] ?? []);
		\printf("%-12s %11s %11s %11s %9s %9s %9s\n", \number_format((int)$n), zc_time($a), zc_time($c), zc_time($z),
			$fx($ratio($a, $z)), $fx($med), $fx($ratio($c, $z)));
		$out['sizes'][$n] = ['apcu' => $a, 'copy' => $c, 'zero_copy' => $z, 'apcu_over_zc_paired' => $med];
	}
	echo "memory_get_usage() growth of one fetch, by entries:\n";
	foreach (ZC_SIDES as $side) {
		$g = $routes['grew'][$side] ?? [];
		echo \sprintf('  %-20s', ZC_LABEL[$side]), \implode('  ', \array_map(fn($n) => \number_format((int)$n) . ': ' .
			\number_format($g[$n]) . ' B', \array_keys($g))), "\n";
	}
	$zc = $routes['zc']['keepsake'] ?? null;
	if (\is_array($zc)) {
		\printf("  keepsake zero-copy side: cache_info()['zero_copy'] enabled=%s, entries=%d (the copying side: enabled=%s)\n",
			\var_export($zc['enabled'] ?? null, true), $zc['entries'] ?? -1,
			\var_export($routes['zc']['keepsake_copy']['enabled'] ?? null, true));
	}

	/* the targets */
	$m = fn(string $t, string $s) => isset($rates[$t][$s]) ? \max($rates[$t][$s]) : null;
	$t = [];
	$a10k = $out['sizes']['10000']['apcu'] ?? null;
	$z10k = $out['sizes']['10000']['zero_copy'] ?? null;
	$t[] = ['10,000-entry fetch, APCu / zero-copy', $ratio($a10k, $z10k), '>= 1000x', fn($v) => $v >= 1000];
	$zs = \array_filter(\array_column($out['sizes'], 'zero_copy'));
	$flat = \count($zs) >= 2 ? \max($zs) / \min($zs) : null;
	$t[] = ['zero-copy, slowest / fastest size', $flat, '<= 2x (flat)', fn($v) => $v <= 2];
	$fa = $ratio($m('fetch_array', 'keepsake'), $m('fetch_array', 'apcu'));
	$t[] = ['50-elem nested array, zero-copy / APCu', $fa, '>= 10x', fn($v) => $v >= 10];
	$fs = zc_paired($rates['fetch_str']['keepsake'] ?? [], $rates['fetch_str']['keepsake_copy'] ?? []);
	$t[] = ['48 B string, zero-copy on / off (med)', $fs, '>= 0.95x', fn($v) => $v >= 0.95];
	$g = $routes['grew']['keepsake']['10000'] ?? null;
	$t[] = ['memory growth, 10,000 entries, bytes', $g === null ? null : (float)$g, '< 1024', fn($v) => $v < 1024];
	echo "\nrates (ops per CPU-second, best round)    APCu   copying  zero-copy\n";
	foreach (['fetch_array' => '50-elem nested array', 'fetch_str' => '48 B string'] as $test => $label) {
		\printf("  %-36s %9s %9s %10s\n", $label, fmt_rate($m($test, 'apcu')), fmt_rate($m($test, 'keepsake_copy')),
			fmt_rate($m($test, 'keepsake')));
	}
	if ($fpm !== null) {
		zc_fpm_print($fpm);
	}
	echo "\nissue 13 targets (reported, never enforced)\n";
	foreach ($t as [$label, $v, $target, $ok]) {
		$shown = $v === null ? 'n/a' : (\str_contains($label, 'bytes') ? \number_format($v) : $fx($v));
		\printf("  %-42s %10s  %-14s %s\n", $label, $shown, $target, zc_verdict($v, $ok));
		$out['targets'][] = ['target' => $label, 'value' => $v, 'want' => $target, 'met' => $v === null ? null : $ok($v)];
	}
	echo "  (the 48 B string is below the 64-byte zero-copy threshold, so both keepsake columns copy it: the row checks\n",
		"   that zero-copy's checks cost nothing measurable; 5% is this row's run-to-run noise)\n";
	return $out;
}

/* The php-fpm + nginx + wrk rows (fpm.php's result). */
function zc_fpm_print(array $f): void
{
	echo "\nphp-fpm + nginx + wrk: a page fetching the 10,000-entry table and reading 10 entries\n";
	if (isset($f['error'])) {
		echo "  n/a: {$f['error']}\n";
		return;
	}
	echo "  ", $f['setup'], "\n";
	\printf("  %-20s %12s %12s %16s\n", '', 'req/s best', 'req/s med', 'fpm CPU-ms/req');
	foreach (ZC_SIDES as $side) {
		$r = $f['rps'][$side] ?? [];
		$c = $f['cpu_ms'][$side] ?? [];
		\printf("  %-20s %12s %12s %16s\n", ZC_LABEL[$side], $r ? \sprintf('%.0f', \max($r)) : 'n/a',
			$r ? \sprintf('%.0f', median($r)) : 'n/a', $c ? \sprintf('%.3f', median($c)) : 'n/a');
	}
	$za = zc_paired($f['rps']['keepsake'] ?? [], $f['rps']['apcu'] ?? []);
	$zc = zc_paired($f['rps']['keepsake'] ?? [], $f['rps']['keepsake_copy'] ?? []);
	\printf("  zero-copy / APCu req/s (median of rounds): %s; zero-copy / copying: %s\n",
		$za === null ? 'n/a' : \sprintf('%.2fx', $za), $zc === null ? 'n/a' : \sprintf('%.2fx', $zc));
	foreach ($f['errors'] ?? [] as $side => $e) {
		echo "  n/a: $side: $e\n";
	}
}

/*
 * Writes the chart: fetch cost (log) against entries (log) for the three
 * sides, best round of each. Plain SVG 1.1 text; returns false when there
 * is nothing to draw or the file cannot be written.
 */
function zc_svg(array $best, string $file, string $caption): bool
{
	$pts = [];
	foreach (ZC_SIDES as $side) {
		foreach ($best[$side] ?? [] as $n => $ns) {
			if ($ns > 0) {
				$pts[$side][(int)$n] = (float)$ns;
			}
		}
	}
	if (!$pts) {
		return false;
	}
	$all = \array_merge(...\array_map('array_values', \array_values($pts)));
	$ylo = (int)\floor(\log10(\min($all)));
	$yhi = (int)\ceil(\log10(\max($all)));
	$yhi = \max($yhi, $ylo + 1);
	[$xlo, $xhi] = [1, 5];   /* 10 .. 100,000 entries */
	[$W, $H, $L, $R, $T, $B] = [720, 460, 80, 190, 40, 60];
	$pw = $W - $L - $R;
	$ph = $H - $T - $B;
	$X = fn(float $n) => $L + (\log10($n) - $xlo) / ($xhi - $xlo) * $pw;
	$Y = fn(float $ns) => $T + ($yhi - \log10($ns)) / ($yhi - $ylo) * $ph;
	$e = fn(string $s) => \htmlspecialchars($s, ENT_XML1 | ENT_QUOTES);
	$s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		. "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"$W\" height=\"$H\" viewBox=\"0 0 $W $H\" font-family=\"sans-serif\" font-size=\"12\">\n"
		. "<rect width=\"$W\" height=\"$H\" fill=\"#ffffff\"/>\n"
		. \sprintf("<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>\n", $L,
			$e('Fetch of a route table: CPU time per fetch against entries'));
	for ($d = $xlo; $d <= $xhi; $d++) {
		$x = $X(10 ** $d);
		$s .= \sprintf("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#dddddd\"/>\n", $x, $T, $x, $T + $ph);
		$s .= \sprintf("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", $x, $T + $ph + 18, \number_format(10 ** $d));
	}
	$unit = fn(int $d) => $d < 3 ? (10 ** $d) . ' ns' : ($d < 6 ? (10 ** ($d - 3)) . ' µs'
		: ($d < 9 ? (10 ** ($d - 6)) . ' ms' : (10 ** ($d - 9)) . ' s'));
	for ($d = $ylo; $d <= $yhi; $d++) {
		$y = $Y(10 ** $d);
		$s .= \sprintf("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#dddddd\"/>\n", $L, $y, $L + $pw, $y);
		$s .= \sprintf("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", $L - 6, $y + 4, $e($unit($d)));
	}
	$s .= \sprintf("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444444\"/>\n", $L, $T, $pw, $ph);
	$s .= \sprintf("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", $L + $pw / 2, $H - 22,
		$e('entries in the table (log scale)'));
	$s .= \sprintf("<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 18 %.1f)\">%s</text>\n",
		$T + $ph / 2, $T + $ph / 2, $e('CPU time per fetch (log scale)'));
	$s .= \sprintf("<text x=\"%d\" y=\"%d\" font-size=\"10\" fill=\"#555555\">%s</text>\n", $L, $H - 6, $e($caption));
	$ly = $T + 10;
	foreach ($pts as $side => $p) {
		\ksort($p);
		$c = ZC_COLOR[$side];
		$path = \implode(' ', \array_map(fn($n, $ns) => \sprintf('%.1f,%.1f', $X($n), $Y($ns)), \array_keys($p), $p));
		$s .= "<polyline fill=\"none\" stroke=\"$c\" stroke-width=\"2\" points=\"$path\"/>\n";
		foreach ($p as $n => $ns) {
			$s .= \sprintf("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>%s, %s entries: %s</title></circle>\n",
				$X($n), $Y($ns), $c, $e(ZC_LABEL[$side]), \number_format($n), $e(zc_time($ns)));
		}
		$s .= \sprintf("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>\n",
			$L + $pw + 12, $ly, $L + $pw + 36, $ly, $c);
		$s .= \sprintf("<text x=\"%d\" y=\"%d\">%s</text>\n", $L + $pw + 42, $ly + 4, $e(ZC_LABEL[$side]));
		$ly += 22;
	}
	$s .= "</svg>\n";
	@\mkdir(\dirname($file), 0777, true);
	return \file_put_contents($file, $s) !== false;
}
