<?php
/*
 * bench/cache.d/fpm.php: issue 13's web page, included by driver.php.
 *
 * One php-fpm master per side (APCu; keepsake copying, zero_copy=0;
 * keepsake zero-copy) with opcache on, as a production pool would run, and
 * one nginx in front of the three: /apcu/, /keepsake_copy/, /keepsake/.
 * The page fetches the 10,000-entry route table (workload.php's
 * route_table(); the first request builds and stores it), reads 10 of its
 * entries and prints the sum of their weights, which the driver checks
 * before it measures. wrk then loads each side in turn, rounds rotating the
 * order. Besides req/s the report gives the CPU the fpm master and workers
 * used per request (from /proc), which a busy machine disturbs less.
 *
 * Everything lives in <run dir>/fpm; every daemon is started with a pid
 * file and stopped (SIGQUIT, then SIGKILL after 5 s) before zc_fpm()
 * returns, also when a step fails. Each child process runs under
 * timeout(1), so no step can hang.
 */

require_once __DIR__ . '/../../tests/port.inc';   /* ks_free_port(): below the ephemeral range, never handed out twice */

const ZC_FPM_SUM = 44865;   /* the weights of /route/0, /route/997, ... /route/8973 */

/* Runs $argv under timeout(1); returns [exit code, stdout + stderr]. */
function zc_cmd(array $argv, int $timeout): array
{
	$cmd = \array_merge(['timeout', '-k', '2', (string)$timeout], $argv);
	$p = \proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes);
	if (!\is_resource($p)) {
		return [-1, 'proc_open failed'];
	}
	$out = (string)\stream_get_contents($pipes[1]);
	\fclose($pipes[1]);
	return [\proc_close($p), $out];
}

/* CPU seconds of the process in $pidfile and its children (/proc, 100 Hz ticks). */
function zc_tree_cpu(string $pidfile): ?float
{
	$master = (int)@\file_get_contents($pidfile);
	if ($master <= 0) {
		return null;
	}
	$ticks = 0;
	foreach (\glob('/proc/[0-9]*/stat') ?: [] as $f) {
		$st = @\file_get_contents($f);
		if ($st === false) {
			continue;
		}
		$rest = \explode(' ', \substr($st, \strrpos($st, ') ') + 2));
		$pid = (int)\basename(\dirname($f));
		if ($pid === $master || (int)$rest[1] === $master) {
			$ticks += (int)$rest[11] + (int)$rest[12];
		}
	}
	return $ticks / 100;
}

/* SIGQUIT (graceful for both fpm and nginx), up to 5 s, then SIGKILL. */
function zc_stop(string $pidfile): void
{
	$pid = (int)@\file_get_contents($pidfile);
	if ($pid <= 0 || !\file_exists("/proc/$pid")) {
		return;
	}
	/* the driver runs under php -n: no posix_kill(), kill(1) instead */
	zc_cmd(['kill', '-QUIT', (string)$pid], 5);
	for ($i = 0; $i < 100 && \file_exists("/proc/$pid"); $i++) {
		\usleep(50000);
	}
	if (\file_exists("/proc/$pid")) {
		zc_cmd(['kill', '-KILL', (string)$pid], 5);
	}
}

/* The page for $side: the cache's fetch and store functions put in. */
function zc_fpm_page(string $side): string
{
	[$fetch, $store] = $side === 'apcu' ? ['apcu_fetch', 'apcu_store'] : ['keepsake_cache_fetch', 'keepsake_cache_store'];
	return "<?php\n"
		. "\$t = $fetch('routes');\n"
		. "if (\$t === false) {\n"
		. "\t\$t = [];\n"
		. "\tfor (\$i = 0; \$i < 10000; \$i++) {\n"
		. "\t\t\$t[\"/route/\$i\"] = ['path' => \"/route/\$i\", 'methods' => ['GET', 'POST'],\n"
		. "\t\t\t'handler' => \"App\\\\Controller\\\\C\$i::run\", 'weight' => \$i];\n"
		. "\t}\n"
		. "\t$store('routes', \$t);\n"
		. "}\n"
		. "\$sum = 0;\n"
		. "for (\$i = 0; \$i < 10; \$i++) {\n"
		. "\t\$sum += \$t['/route/' . (\$i * 997)]['weight'];\n"
		. "}\n"
		. "echo \$sum, ' ', count(\$t);\n"
		. "if (isset(\$_GET['check']) && function_exists('keepsake_cache_info')) {\n"
		. "\techo ' zero_copy=', json_encode(keepsake_cache_info(true)['zero_copy'] ?? null);\n"
		. "}\n";
}

/* Starts the php-fpm master of $side; true or a reason. */
function zc_fpm_start(Runner $R, string $side, array $p, string $d): bool|string
{
	$ini = "memory_limit=256M\nzend_extension=opcache.so\nopcache.enable=1\nopcache.validate_timestamps=0\n"
		. "display_errors=0\nlog_errors=1\nerror_log=$d/php-$side.log\n";
	$ini .= $side === 'apcu'
		? "extension=apcu.so\napc.enabled=1\napc.shm_size={$p['size']}\n"
		: "extension={$R->o['so']}\nkeepsake.cache.size={$p['size']}\nkeepsake.cache.zero_copy="
			. ($side === 'keepsake' ? 1 : 0) . "\n";
	\file_put_contents("$d/php-$side.ini", $ini);
	$page = $side === 'apcu' ? 'apcu' : 'keepsake';
	\file_put_contents("$d/page-$page.php", zc_fpm_page($side));
	\file_put_contents("$d/fpm-$side.conf", "[global]\npid = $d/fpm-$side.pid\nerror_log = $d/fpm-$side.log\n"
		. "daemonize = yes\nprocess_control_timeout = 5\n[bench]\nlisten = $d/fpm-$side.sock\nlisten.mode = 0666\n"
		. "listen.backlog = 4096\npm = static\npm.max_children = {$p['children']}\n");
	@\unlink("$d/fpm-$side.sock");
	[$rc, $out] = zc_cmd(['php-fpm8.2', '-n', '-c', "$d/php-$side.ini", '-y', "$d/fpm-$side.conf", '-R'], 20);
	for ($i = 0; $i < 100 && !\file_exists("$d/fpm-$side.sock"); $i++) {
		\usleep(50000);
	}
	return ($rc === 0 && \file_exists("$d/fpm-$side.sock")) ? true
		: "php-fpm for $side did not start (exit $rc): " . \trim(\substr($out . @\file_get_contents("$d/fpm-$side.log"), 0, 300));
}

/* Starts nginx with one location per side; its port or a reason. */
function zc_nginx_start(string $d): int|string
{
	$port = \ks_free_port();
	$loc = '';
	foreach (ZC_SIDES as $side) {
		$page = $side === 'apcu' ? 'apcu' : 'keepsake';
		$loc .= "        location = /$side/ {\n            include /etc/nginx/fastcgi_params;\n"
			. "            fastcgi_param SCRIPT_FILENAME $d/page-$page.php;\n"
			. "            fastcgi_pass unix:$d/fpm-$side.sock;\n        }\n";
	}
	@\mkdir("$d/nginx-tmp", 0755, true);
	\file_put_contents("$d/nginx.conf", "user root root;\nworker_processes 1;\npid $d/nginx.pid;\n"
		. "error_log $d/nginx-error.log warn;\nevents { worker_connections 4096; }\nhttp {\n    access_log off;\n"
		. "    client_body_temp_path $d/nginx-tmp/body;\n    fastcgi_temp_path $d/nginx-tmp/fastcgi;\n"
		. "    proxy_temp_path $d/nginx-tmp/proxy;\n    uwsgi_temp_path $d/nginx-tmp/uwsgi;\n"
		. "    scgi_temp_path $d/nginx-tmp/scgi;\n    server {\n        listen 127.0.0.1:$port;\n$loc    }\n}\n");
	[$rc, $out] = zc_cmd(['nginx', '-p', $d, '-c', "$d/nginx.conf", '-e', "$d/nginx-error.log"], 15);
	for ($i = 0; $i < 100 && !@\stream_socket_client("tcp://127.0.0.1:$port", $en, $em, 0.5); $i++) {
		\usleep(50000);
	}
	return $rc === 0 ? $port : 'nginx did not start: ' . \trim(\substr($out, 0, 300));
}

/*
 * Runs the page benchmark. Returns setup (a line for the report),
 * rps[side] and cpu_ms[side] (one per round), check[side] (the checked
 * body) and errors[side]; or ['error' => reason] when it cannot run.
 */
function zc_fpm(Runner $R, array $p, string $run_dir): array
{
	foreach (['php-fpm8.2', 'nginx', 'wrk', 'timeout'] as $bin) {
		if (\trim((string)\shell_exec('command -v ' . \escapeshellarg($bin) . ' 2>/dev/null')) === '') {
			return ['error' => "$bin is not installed"];
		}
	}
	if ($R->sides['keepsake']['error'] !== null) {
		return ['error' => 'keepsake: ' . $R->sides['keepsake']['error']];
	}
	$d = $run_dir . '/fpm';
	@\mkdir($d, 0755, true);
	$pids = ["$d/nginx.pid"];
	foreach (ZC_SIDES as $side) {
		$pids[] = "$d/fpm-$side.pid";
	}
	try {
		return zc_fpm_measure($R, $p, $d);
	} finally {
		foreach ($pids as $f) {
			zc_stop($f);
		}
	}
}

/* zc_fpm()'s body, with the daemons' cleanup left to it. */
function zc_fpm_measure(Runner $R, array $p, string $d): array
{
	$res = ['rps' => [], 'cpu_ms' => [], 'check' => [], 'errors' => []];
	$sides = [];
	foreach (ZC_SIDES as $side) {
		$ok = zc_fpm_start($R, $side, $p, $d);
		if ($ok === true) {
			$sides[] = $side;
		} else {
			$res['errors'][$side] = $ok;
		}
	}
	$port = zc_nginx_start($d);
	if (\is_string($port)) {
		return ['error' => $port];
	}
	$ctx = \stream_context_create(['http' => ['timeout' => 10, 'ignore_errors' => true]]);
	foreach ($sides as $i => $side) {
		/* the first request stores the table; every worker then fetches it */
		$body = '';
		for ($k = 0; $k < 4 * $p['children']; $k++) {
			$body = (string)@\file_get_contents("http://127.0.0.1:$port/$side/?check=1", false, $ctx);
		}
		$res['check'][$side] = $body;
		if (!\str_starts_with($body, ZC_FPM_SUM . ' ' . $p['entries'])) {
			$res['errors'][$side] = 'the page answered ' . \var_export(\substr($body, 0, 200), true) . ', not ' . ZC_FPM_SUM;
			unset($sides[$i]);
		}
	}
	$res['setup'] = \sprintf('php-fpm8.2 pm=static, %d children per side, opcache on; nginx 1 worker; wrk -t2 -c%d -d%ds; %d rounds',
		$p['children'], $p['connections'], $p['seconds'], $p['rounds']);
	for ($r = 0; $r < $p['rounds']; $r++) {
		foreach (zc_order($r) as $side) {
			if (!\in_array($side, $sides, true)) {
				continue;
			}
			$cpu0 = zc_tree_cpu("$d/fpm-$side.pid");
			[$rc, $out] = zc_cmd(['wrk', '-t2', '-c' . $p['connections'], '-d' . $p['seconds'] . 's',
				"http://127.0.0.1:$port/$side/"], $p['seconds'] + 30);
			$cpu1 = zc_tree_cpu("$d/fpm-$side.pid");
			if ($rc !== 0 || !\preg_match('/Requests\/sec:\s*([\d.]+)/', $out, $m)
				|| !\preg_match('/(\d+) requests in/', $out, $n)) {
				$res['errors'][$side] = "wrk failed (exit $rc): " . \trim(\substr($out, -300));
				continue;
			}
			if (\preg_match('/Non-2xx or 3xx responses:\s*(\d+)/', $out, $bad)) {
				$res['errors'][$side] = "{$bad[1]} responses were errors";
			}
			$res['rps'][$side][] = (float)$m[1];
			if ($cpu0 !== null && $cpu1 !== null && (int)$n[1] > 0) {
				$res['cpu_ms'][$side][] = 1000 * ($cpu1 - $cpu0) / (int)$n[1];
			}
		}
	}
	return $res;
}
