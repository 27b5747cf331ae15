<?php
/*
 * bench/cache.d/workload.php: the cache workloads, written once for both sides.
 *
 * This file is never run alone. The driver (driver.php) prepends an adapter
 * (adapter-apcu.php or adapter-keepsake.php), which declares namespace KsBench
 * and aliases cache_fetch / cache_store / cache_inc to that side's functions,
 * and runs the result in a fresh `php -n` process per measurement:
 *
 *   php -n -d extension=... workload-<side>.php <test> '<json params>'
 *
 * It prints one JSON object on stdout: {"ok":true, ...numbers} or
 * {"ok":false,"error":"..."}. Timings use hrtime(); the timed loops are
 * unrolled 8x over a precomputed key array so the loop itself costs little,
 * and each runs until a time budget is spent (at least one batch).
 */

const BATCH = 1024;    /* ops between two clock reads */

function out(array $r): never
{
	echo \json_encode($r, JSON_PRESERVE_ZERO_FRACTION), "\n";
	exit(0);
}

function fail(string $why): never
{
	out(['ok' => false, 'error' => $why]);
}

/* A deterministic printable string of $len bytes, different per $seed. */
function payload(int $seed, int $len): string
{
	$s = '';
	for ($i = 0; \strlen($s) < $len; $i++) {
		$s .= \md5($seed . ':' . $i);
	}
	return \substr($s, 0, $len);
}

/* BATCH keys cycling over $nkeys distinct keys "<prefix><i>". */
function key_ring(string $prefix, int $nkeys): array
{
	$k = [];
	for ($i = 0; $i < BATCH; $i++) {
		$k[] = $prefix . ($i % $nkeys);
	}
	return $k;
}

/* CPU time (user + system) this process used so far, in ns. */
function cpu_ns(): int
{
	$r = \getrusage();
	return ($r['ru_utime.tv_sec'] + $r['ru_stime.tv_sec']) * 1000000000
		+ ($r['ru_utime.tv_usec'] + $r['ru_stime.tv_usec']) * 1000;
}

/*
 * A timed loop's numbers: ops_per_s over wall time, ops_per_cpu_s over the
 * CPU time the process got ($cpu0 = cpu_ns() at the loop's start). On a
 * machine shared with other jobs the second is the steadier estimate of
 * what one core does; on an idle machine the two agree.
 */
function result(int $ops, int $ns, array $extra = [], ?int $cpu0 = null): array
{
	$cpu = $cpu0 === null ? 0 : cpu_ns() - $cpu0;
	return ['ok' => true, 'ops' => $ops, 'seconds' => $ns / 1e9,
		'ops_per_s' => $ns > 0 ? $ops / ($ns / 1e9) : 0.0,
		'cpu_seconds' => $cpu / 1e9,
		'ops_per_cpu_s' => $cpu > 0 ? $ops / ($cpu / 1e9) : null] + $extra;
}

/*
 * fetch_str: fetch hits of small strings. params: keys, len, seconds.
 * Every value is checked once before timing, so a cache that returns wrong
 * data reports an error instead of a speed.
 */
function t_fetch_str(array $p): array
{
	$n = (int)$p['keys'];
	$vals = [];
	for ($i = 0; $i < $n; $i++) {
		$vals[$i] = payload($i, (int)$p['len']);
		if (!cache_store('s:' . $i, $vals[$i])) {
			fail("store of s:$i failed");
		}
	}
	for ($i = 0; $i < $n; $i++) {
		if (cache_fetch('s:' . $i) !== $vals[$i]) {
			fail("fetch of s:$i returned a different value");
		}
	}
	$k = key_ring('s:', $n);
	$deadline = \hrtime(true) + (int)($p['seconds'] * 1e9);
	$ops = 0;
	$cpu0 = cpu_ns();
	$t0 = \hrtime(true);
	do {
		for ($i = 0; $i < BATCH; $i += 8) {
			cache_fetch($k[$i]);
			cache_fetch($k[$i + 1]);
			cache_fetch($k[$i + 2]);
			cache_fetch($k[$i + 3]);
			cache_fetch($k[$i + 4]);
			cache_fetch($k[$i + 5]);
			cache_fetch($k[$i + 6]);
			cache_fetch($k[$i + 7]);
		}
		$ops += BATCH;
	} while (($t = \hrtime(true)) < $deadline);
	return result($ops, $t - $t0, ['untimed_calls' => $n], $cpu0);
}

/* store_str: overwrite small strings. params: keys, len, seconds. */
function t_store_str(array $p): array
{
	$n = (int)$p['keys'];
	$k = key_ring('s:', $n);
	$v = [];
	for ($i = 0; $i < BATCH; $i++) {
		$v[] = payload($i % $n, (int)$p['len']);
	}
	$deadline = \hrtime(true) + (int)($p['seconds'] * 1e9);
	$ops = 0;
	$cpu0 = cpu_ns();
	$t0 = \hrtime(true);
	do {
		for ($i = 0; $i < BATCH; $i += 8) {
			cache_store($k[$i], $v[$i]);
			cache_store($k[$i + 1], $v[$i + 1]);
			cache_store($k[$i + 2], $v[$i + 2]);
			cache_store($k[$i + 3], $v[$i + 3]);
			cache_store($k[$i + 4], $v[$i + 4]);
			cache_store($k[$i + 5], $v[$i + 5]);
			cache_store($k[$i + 6], $v[$i + 6]);
			cache_store($k[$i + 7], $v[$i + 7]);
		}
		$ops += BATCH;
	} while (($t = \hrtime(true)) < $deadline);
	$r = result($ops, $t - $t0, ['untimed_calls' => 0], $cpu0);
	for ($i = 0; $i < $n; $i++) {
		if (cache_fetch('s:' . $i) !== $v[$i]) {
			fail("after the stores, s:$i holds a different value");
		}
	}
	return $r;
}

/*
 * The nested array: 50 rows, each a 4-field record with a 2-element list,
 * like a cached query result (50 outer elements, 300 values in all).
 */
function nested_array(): array
{
	$a = [];
	for ($i = 0; $i < 50; $i++) {
		$a['row' . $i] = [
			'id' => $i,
			'name' => 'name-' . $i,
			'score' => $i * 1.5,
			'tags' => ['t' . ($i % 7), 't' . ($i % 11)],
		];
	}
	return $a;
}

/* fetch_array: fetch the nested array. params: keys, seconds. */
function t_fetch_array(array $p): array
{
	$n = (int)$p['keys'];
	$a = nested_array();
	for ($i = 0; $i < $n; $i++) {
		$a['owner'] = $i;
		if (!cache_store('a:' . $i, $a)) {
			fail("store of the nested array a:$i failed");
		}
		if (cache_fetch('a:' . $i) !== $a) {
			fail("fetch of the nested array a:$i returned a different value");
		}
	}
	$k = key_ring('a:', $n);
	$deadline = \hrtime(true) + (int)($p['seconds'] * 1e9);
	$ops = 0;
	$cpu0 = cpu_ns();
	$t0 = \hrtime(true);
	do {
		for ($i = 0; $i < BATCH; $i += 8) {
			cache_fetch($k[$i]);
			cache_fetch($k[$i + 1]);
			cache_fetch($k[$i + 2]);
			cache_fetch($k[$i + 3]);
			cache_fetch($k[$i + 4]);
			cache_fetch($k[$i + 5]);
			cache_fetch($k[$i + 6]);
			cache_fetch($k[$i + 7]);
		}
		$ops += BATCH;
	} while (($t = \hrtime(true)) < $deadline);
	return result($ops, $t - $t0, ['untimed_calls' => $n], $cpu0);
}

/*
 * The route table of issue 13: $n entries "/route/<i>", each an array of
 * path, methods (a 2-element list), handler and weight. Pure data, so
 * keepsake can store it in its zero-copy form.
 */
function route_table(int $n): array
{
	$t = [];
	for ($i = 0; $i < $n; $i++) {
		$t["/route/$i"] = ['path' => "/route/$i", 'methods' => ['GET', 'POST'],
			'handler' => "App\\Controller\\C$i::run", 'weight' => $i];
	}
	return $t;
}

/*
 * routes: fetch cost of the route table against its size (issue 13).
 * params: sizes (entry counts), seconds (budget per size), chunks.
 * For each size: store the table, check that a fetch returns it, then fetch
 * it in a loop, `$v = cache_fetch(...)`, so each fetch also frees the value
 * the one before it returned, as a request's next fetch would. One fetch is
 * timed alone first to choose how many go between two clock reads (about
 * 1/20 of the budget's chunk, 1 to 512): a copying fetch of 100,000 entries
 * takes tens of milliseconds, a zero-copy one a tenth of a microsecond. The
 * budget is cut into `chunks` windows; each window's CPU and wall time per
 * fetch are kept and the report uses the least (noise only slows a window
 * down). grew = memory_get_usage() after one fetch minus before it.
 */
function t_routes(array $p): array
{
	$out = [];
	foreach ($p['sizes'] as $n) {
		$key = "routes:$n";
		$t = route_table((int)$n);
		if (!cache_store($key, $t)) {
			fail("store of the $n-entry route table failed");
		}
		if (cache_fetch($key) !== $t) {
			fail("fetch of the $n-entry route table returned a different value");
		}
		unset($t);
		$out[(string)$n] = routes_time($key, (float)$p['seconds'], (int)$p['chunks']);
	}
	$zc = side_stats()['raw']['zero_copy'] ?? null;
	return ['ok' => true, 'sizes' => $out, 'zero_copy' => $zc];
}

/* The timing part of t_routes for one stored key. */
function routes_time(string $key, float $seconds, int $chunks): array
{
	$t0 = \hrtime(true);
	$v = cache_fetch($key);
	$one = \max(1, \hrtime(true) - $t0);
	unset($v);
	$window = (int)($seconds * 1e9 / \max(1, $chunks));
	$batch = \max(1, \min(512, \intdiv($window, 20 * $one)));
	$cpu_best = INF;
	$wall_best = INF;
	$ops_all = 0;
	for ($c = 0; $c < $chunks; $c++) {
		$ops = 0;
		$cpu0 = cpu_ns();
		$t0 = \hrtime(true);
		$deadline = $t0 + $window;
		do {
			for ($i = 0; $i < $batch; $i++) {
				$v = cache_fetch($key);
			}
			$ops += $batch;
		} while (($t = \hrtime(true)) < $deadline);
		unset($v);
		$cpu = cpu_ns() - $cpu0;
		$wall_best = \min($wall_best, ($t - $t0) / $ops);
		if ($cpu > 0) {
			$cpu_best = \min($cpu_best, $cpu / $ops);
		}
		$ops_all += $ops;
	}
	$m0 = \memory_get_usage();
	$v = cache_fetch($key);
	$grew = \memory_get_usage() - $m0;
	unset($v);
	return ['ns_cpu' => \is_finite($cpu_best) ? $cpu_best : null, 'ns_wall' => $wall_best,
		'ops' => $ops_all, 'batch' => $batch, 'grew' => $grew];
}

/* inc: increment existing int counters. params: keys, seconds. */
function t_inc(array $p): array
{
	$n = (int)$p['keys'];
	for ($i = 0; $i < $n; $i++) {
		cache_store('c:' . $i, 0);
	}
	$k = key_ring('c:', $n);
	$deadline = \hrtime(true) + (int)($p['seconds'] * 1e9);
	$ops = 0;
	$cpu0 = cpu_ns();
	$t0 = \hrtime(true);
	do {
		for ($i = 0; $i < BATCH; $i += 8) {
			cache_inc($k[$i]);
			cache_inc($k[$i + 1]);
			cache_inc($k[$i + 2]);
			cache_inc($k[$i + 3]);
			cache_inc($k[$i + 4]);
			cache_inc($k[$i + 5]);
			cache_inc($k[$i + 6]);
			cache_inc($k[$i + 7]);
		}
		$ops += BATCH;
	} while (($t = \hrtime(true)) < $deadline);
	$sum = 0;
	for ($i = 0; $i < $n; $i++) {
		$sum += (int)cache_fetch('c:' . $i);
	}
	if ($sum !== $ops) {
		fail("the counters sum to $sum after $ops increments");
	}
	return result($ops, $t - $t0, ['untimed_calls' => 0], $cpu0);
}

/*
 * mix: $procs forked children share the segment and each runs rounds of
 * 10 fetches + 1 store on random keys for a fixed time, all starting at the
 * same instant. params: procs, keys, len, seconds.
 * Aggregate ops/s = all ops / (last child's end - common start).
 */
function t_mix(array $p): array
{
	$n = (int)$p['keys'];
	$len = (int)$p['len'];
	$procs = (int)$p['procs'];
	for ($i = 0; $i < $n; $i++) {
		if (!cache_store('m:' . $i, payload($i, $len))) {
			fail("store of m:$i failed");
		}
	}
	$start = \hrtime(true) + 300000000;  /* all children start 300 ms from now */
	$dur = (int)($p['seconds'] * 1e9);
	$kids = [];
	for ($c = 0; $c < $procs; $c++) {
		$pair = \stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, STREAM_IPPROTO_IP);
		if ($pair === false) {
			fail('stream_socket_pair failed');
		}
		$pid = \pcntl_fork();
		if ($pid < 0) {
			fail('pcntl_fork failed');
		}
		if ($pid === 0) {
			\fclose($pair[0]);
			\fwrite($pair[1], \json_encode(mix_child($c, $n, $len, $start, $dur)));
			\fclose($pair[1]);
			exit(0);
		}
		\fclose($pair[1]);
		$kids[$pid] = $pair[0];
	}
	$ops = 0;
	$end = $start;
	$bad = 0;
	$cpu = 0;
	$per = [];
	foreach ($kids as $pid => $sock) {
		$r = \json_decode((string)\stream_get_contents($sock), true);
		\fclose($sock);
		\pcntl_waitpid($pid, $status);
		if (!\is_array($r) || !\pcntl_wifexited($status) || \pcntl_wexitstatus($status) !== 0) {
			fail("child $pid failed (status $status)");
		}
		$ops += $r['ops'];
		$bad += $r['bad'];
		$cpu += $r['cpu'];
		$end = \max($end, $r['end']);
		$per[] = \round($r['ops'] / (($r['end'] - $start) / 1e9));
	}
	if ($bad > 0) {
		fail("$bad fetches in the children returned a wrong value");
	}
	/*
	 * ops_per_cpu_s: all children's ops per CPU-second they got, times the
	 * CPUs they could use: what the mix would do on an otherwise idle
	 * machine if no child ever sat blocked while a CPU idled.
	 */
	$ncpu = \min($procs, \max(1, (int)\shell_exec('nproc')));
	return ['ok' => true, 'ops' => $ops, 'seconds' => ($end - $start) / 1e9,
		'ops_per_s' => $ops / (($end - $start) / 1e9), 'cpu_seconds' => $cpu / 1e9,
		'ops_per_cpu_s' => $cpu > 0 ? $ncpu * $ops / ($cpu / 1e9) : null, 'cpus' => $ncpu,
		'per_child_ops_per_s' => $per, 'info' => side_stats()['raw']];
}

/* One child of t_mix: returns ops done, values found wrong, end time. */
function mix_child(int $c, int $n, int $len, int $start, int $dur): array
{
	\mt_srand(1000 + $c);
	$k = [];
	$w = [];
	for ($i = 0; $i < BATCH; $i++) {
		$k[] = 'm:' . \mt_rand(0, $n - 1);
	}
	for ($i = 0; $i < BATCH / 8; $i++) {
		$id = \mt_rand(0, $n - 1);
		$w[] = ['m:' . $id, payload($id, $len)];
	}
	/* Every fetched value must be a hit with its expected length. */
	$bad = 0;
	for ($i = 0; $i < BATCH; $i++) {
		$v = cache_fetch($k[$i]);
		if (!\is_string($v) || \strlen($v) !== $len) {
			$bad++;
		}
	}
	while (\hrtime(true) < $start) {
		\usleep(200);
	}
	$deadline = $start + $dur;
	$ops = 0;
	$j = 0;
	$cpu0 = cpu_ns();
	/* 102 groups of 10 fetches + 1 store per clock read. */
	do {
		for ($i = 0; $i < 1020; $i += 10) {
			cache_fetch($k[$i]);
			cache_fetch($k[$i + 1]);
			cache_fetch($k[$i + 2]);
			cache_fetch($k[$i + 3]);
			cache_fetch($k[$i + 4]);
			cache_fetch($k[$i + 5]);
			cache_fetch($k[$i + 6]);
			cache_fetch($k[$i + 7]);
			cache_fetch($k[$i + 8]);
			cache_fetch($k[$i + 9]);
			cache_store($w[$j][0], $w[$j][1]);
			$j = ($j + 1) & (BATCH / 8 - 1);
		}
		$ops += 102 * 11;
	} while (($t = \hrtime(true)) < $deadline);
	return ['ops' => $ops, 'bad' => $bad, 'end' => $t, 'cpu' => cpu_ns() - $cpu0];
}

/* The Zipf workload's value for key id $id: 900..1148 bytes, about 1 KB. */
function zipf_value(string $blob, int $id): string
{
	return \substr($blob, $id % 997, 900 + ($id * 7919) % 249);
}

/*
 * capacity: how many Zipf-workload entries the cache holds. Stores keys
 * z:0, z:1, ... with their workload values into an empty cache of the
 * workload's size. params: keys.
 * Reports max_entries (most entries seen before the first full wipe or
 * eviction) and steady_entries (entries after all keys were stored, when
 * the cache evicts per entry; equal to max_entries when it wipes).
 */
function t_capacity(array $p): array
{
	$n = (int)$p['keys'];
	$blob = payload(42, 2048);
	$s = side_stats();
	$prev = $s['entries'];
	$max = 0;
	$first = null;
	$stored = 0;
	$failed = 0;
	for ($id = 0; $id < $n; $id++) {
		if (cache_store('z:' . $id, zipf_value($blob, $id))) {
			$stored++;
		} else {
			$failed++;
		}
		$s = side_stats();
		if ($s['wipes'] > 0 || $s['evictions'] > 0 || $failed > 0) {
			if ($first === null) {
				$first = $id;
				$max = \max($max, $prev);
			}
			if ($s['wipes'] > 0) {
				break;  /* a wiping cache restarts from 0: its capacity is known */
			}
		} else {
			$max = \max($max, $s['entries']);
		}
		$prev = $s['entries'];
	}
	$s = side_stats();
	$steady = $s['wipes'] > 0 ? $max : $s['entries'];
	return ['ok' => true, 'max_entries' => $max, 'steady_entries' => $steady,
		'first_full_at' => $first, 'store_failures' => $failed,
		'wipes' => $s['wipes'], 'evictions' => $s['evictions'], 'info' => $s['raw']];
}

/*
 * zipf: get-or-set over the saved request sequence (uint32 LE key ids).
 * params: seq (file). A hit is a fetch that succeeds; its value is checked
 * against the expected one, so a cache returning wrong data shows up as
 * "wrong" instead of as a hit.
 */
function t_zipf(array $p): array
{
	$raw = \file_get_contents($p['seq']);
	if ($raw === false) {
		fail('cannot read ' . $p['seq']);
	}
	$seq = \unpack('V*', $raw);
	unset($raw);
	$blob = payload(42, 2048);
	$hits = 0;
	$wrong = 0;
	$sfail = 0;
	$cpu0 = cpu_ns();
	$t0 = \hrtime(true);
	foreach ($seq as $id) {
		$key = 'z:' . $id;
		$v = cache_fetch($key, $ok);
		if ($ok) {
			$hits++;
			if ($v !== zipf_value($blob, $id)) {
				$wrong++;
			}
		} elseif (!cache_store($key, zipf_value($blob, $id))) {
			$sfail++;
		}
	}
	$t = \hrtime(true) - $t0;
	$cpu = cpu_ns() - $cpu0;
	$s = side_stats();
	return ['ok' => true, 'requests' => \count($seq), 'hits' => $hits,
		'hit_ratio' => $hits / \max(1, \count($seq)), 'wrong' => $wrong,
		'store_failures' => $sfail, 'seconds' => $t / 1e9, 'cpu_seconds' => $cpu / 1e9,
		'wipes' => $s['wipes'], 'evictions' => $s['evictions'],
		'entries' => $s['entries'], 'info' => $s['raw']];
}

/* info: the side's version and whether it can run. */
function t_info(array $p): array
{
	$why = side_check();
	return ['ok' => $why === null, 'error' => $why, 'version' => side_version(),
		'stats' => $why === null ? side_stats()['raw'] : null];
}

$test = $argv[1] ?? '';
$params = \json_decode($argv[2] ?? '{}', true) ?? [];
if ($test !== 'info' && ($why = side_check()) !== null) {
	fail($why);
}
$fn = 'KsBench\\t_' . $test;
if (!\function_exists($fn)) {
	fail("unknown test '$test'");
}
out($fn($params));
