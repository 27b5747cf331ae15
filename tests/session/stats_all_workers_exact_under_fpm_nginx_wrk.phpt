--TEST--
keepsake_session_stats(true) under php-fpm (4 workers) + nginx + wrk: all-workers lock_acquisitions equals the requests served, exactly; the wait histogram sums to lock_waits
--SKIPIF--
<?php require __DIR__ . '/sess.inc'; ks_redis_skip_if_down(); require __DIR__ . '/web.inc'; if ($why = ks_web_skip_reason()) die("skip $why"); ?>
--FILE--
<?php
require __DIR__ . '/sess.inc';
require __DIR__ . '/web.inc';
$sids = [];
for ($i = 0; $i < 4; $i++) $sids[] = ks_sess_new_id();
$ini = ['session.save_handler' => 'keepsake', 'session.save_path' => ks_sess_path(), 'session.use_strict_mode' => '0',
    'session.serialize_handler' => 'php_serialize', 'session.gc_probability' => '0', 'keepsake.session.lock_wait' => '20000'];
$w = ks_web_start([
    /* each request: one locked session update, remembering which worker served it */
    'counter.php' => '<?php session_start(); $_SESSION["n"] = ($_SESSION["n"] ?? 0) + 1; $_SESSION["pids"][getmypid()] = 1; echo $_SESSION["n"];',
    'stats.php' => '<?php echo json_encode(["all" => keepsake_session_stats(true), "mine" => keepsake_session_stats()]);',
], 4, $ini);
$base = json_decode(ks_web_get($w, '/stats.php'), true);
$lua = 'local ids = {"' . implode('","', $sids) . '"}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", nil, { ["Cookie"] = "PHPSESSID=" .. ids[n % #ids + 1] })
end';
$wrk = ks_wrk($w, '/counter.php', 8, 2, $lua);
/* What Redis holds: the requests that wrote, and the workers that served. */
$stored = function () use ($sids): array {
    $served = 0; $pids = [];
    foreach ($sids as $sid) {
        $data = unserialize((string)ks_redis()->cmd('GET', ks_sess_key($sid)));   /* php_serialize */
        $served += $data['n'] ?? 0;
        $pids += $data['pids'] ?? [];
    }
    return [$served, $pids];
};
/* wrk stops counting at its deadline while nginx may still finish a few
 * requests: wait (bounded, 20 s) until neither the sum nor what Redis holds
 * has moved for two readings 200 ms apart. (Stopping at the first equal
 * pair of sums let a request that a loaded box held up longer than 200 ms
 * end between the two reads, and the test compare counts of different
 * moments.) */
$prev = null; $same = 0;
for ($i = 0; $i < 100 && $same < 2; $i++) {
    usleep(200000);
    $now = json_decode(ks_web_get($w, '/stats.php'), true);
    [$served, $pids] = $stored();
    $reading = [$now['all']['lock_acquisitions'], $served];
    $same = $reading === $prev ? $same + 1 : 0;
    $prev = $reading;
}
$all = $now['all'];
$d = fn($k) => $all[$k] - $base['all'][$k];
$N = $d('lock_acquisitions');
echo "wrk ran: ", var_export($wrk['requests'] > 0 && $wrk['non2xx'] === 0 && $wrk['errors'] === '', true), "\n";
echo "workers that served: ", count($pids), "\n";
echo "all-workers lock_acquisitions == requests stored in Redis: ", var_export($N === $served, true), "\n";
echo "wrk's count <= N <= wrk's count + 8 in flight: ", var_export($wrk['requests'] <= $N && $N <= $wrk['requests'] + 8, true), "\n";
echo "one worker's own count is less: ", var_export($now['mine']['lock_acquisitions'] < $all['lock_acquisitions'], true), "\n";
echo "waits > 0: ", var_export($d('lock_waits') > 0, true), "\n";
echo "histogram sums to lock_waits: ", var_export(array_sum($all['lock_wait_histogram']) - array_sum($base['all']['lock_wait_histogram']) === $d('lock_waits'), true), "\n";
echo "no errors: ", var_export(array_sum($all['errors']) === 0 && $all['lock_timeouts'] === 0 && $all['lost_locks'] === 0, true), "\n";
echo "php errors: ", ks_web_php_errors($w), "\n";
file_put_contents(getenv('KEEPSAKE_TEST_NUMBERS') ?: '/dev/null', sprintf("wrk requests %d, stored %d, all-workers lock_acquisitions %d, lock_waits %d, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %d ms, workers %d\n",
    $wrk['requests'], $served, $N, $d('lock_waits'), $all['lock_wait_ms_p50'], $all['lock_wait_ms_p95'], $all['lock_wait_ms_p99'], $all['lock_wait_ms_max'], count($pids)), FILE_APPEND);
ks_web_stop($w);
?>
--EXPECT--
wrk ran: true
workers that served: 4
all-workers lock_acquisitions == requests stored in Redis: true
wrk's count <= N <= wrk's count + 8 in flight: true
one worker's own count is less: true
waits > 0: true
histogram sums to lock_waits: true
no errors: true
php errors: 
