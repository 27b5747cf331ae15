--TEST--
keepsake_metrics(): Prometheus text that `promtool check metrics` accepts, whose values are those of keepsake_session_stats(true), keepsake_cache_info() and keepsake_cache_sma_info(), with shard and node labels and no secret
--SKIPIF--
<?php require __DIR__ . '/../session/sess.inc'; ks_redis_skip_if_down(); require __DIR__ . '/metrics.inc'; if ($why = ks_promtool_skip_reason()) die("skip $why"); ?>
--INI--
keepsake.cache.enable_cli=1
keepsake.session.sentinel_auth=Sekr3tPassw0rd
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.gc_probability=0
--FILE--
<?php
require __DIR__ . '/../session/sess.inc';
require __DIR__ . '/metrics.inc';
ob_start();
ks_sess_use();
$sid = ks_sess_new_id();
for ($i = 0; $i < 3; $i++) ks_sess_request($sid, function () { $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1; });
for ($i = 0; $i < 50; $i++) keepsake_cache_store("k$i", str_repeat('v', 100 * $i));
for ($i = 0; $i < 70; $i++) keepsake_cache_fetch("k$i");
keepsake_cache_delete('k1');
$text = keepsake_metrics();
$sess = keepsake_session_stats(true);
$info = keepsake_cache_info(true);
$sma = keepsake_cache_sma_info();
ob_end_flush();

$check = ks_promtool_check($text);
echo "promtool: rc {$check['rc']}", $check['out'] !== '' ? ": {$check['out']}" : '', "\n";
$m = ks_metrics_parse($text);
$s = $m['samples'];
$bad = [];
$eq = function (string $k, $want) use ($s, &$bad) {
    if (!array_key_exists($k, $s)) { $bad[] = "missing $k"; return; }
    if (abs($s[$k] - $want) > 1e-9) $bad[] = "$k = {$s[$k]}, want $want";
};
foreach (['lock_acquisitions' => 'lock_acquisitions', 'lock_waits' => 'lock_waits', 'lock_timeouts' => 'lock_timeouts',
    'lost_locks' => 'lost_locks', 'release_resends' => 'release_resends', 'readonly_sessions' => 'readonly_sessions',
    'replica_shortfalls' => 'replica_shortfalls',
    'redis_round_trips' => 'round_trips', 'redis_commands' => 'commands', 'redis_connects' => 'connects',
    'redis_reconnects' => 'reconnects'] as $name => $key) {
    $eq("keepsake_session_{$name}_total", $sess[$key]);
}
foreach ($sess['errors'] as $kind => $n) $eq("keepsake_session_errors_total{kind=\"$kind\"}", $n);
$eq('keepsake_session_lock_wait_seconds_count', $sess['lock_waits']);
$eq('keepsake_session_lock_wait_seconds_bucket{le="+Inf"}', array_sum($sess['lock_wait_histogram']));
$eq('keepsake_session_lock_wait_seconds_sum', $sess['lock_wait_ms_total'] / 1000);
$eq('keepsake_session_stats_start_time_seconds', $sess['since']);
foreach ($sess['nodes'] as $node) $eq("keepsake_session_node_info{topology=\"{$sess['topology']}\",node=\"$node\"}", 1);
foreach (['hits' => 'num_hits', 'misses' => 'num_misses', 'inserts' => 'num_inserts', 'deletes' => 'num_deletes',
    'expunges' => 'expunges', 'store_failures' => 'store_failures', 'lock_waits' => 'lock_waits',
    'lock_timeouts' => 'lock_timeouts', 'read_fallbacks' => 'read_fallbacks', 'recoveries' => 'recoveries'] as $name => $key) {
    $eq("keepsake_cache_{$name}_total", $info[$key]);
}
foreach (['entries' => 'num_entries', 'leases' => 'leases', 'shards' => 'shards', 'memory_used_bytes' => 'mem_size',
    'memory_free_bytes' => 'mem_free', 'memory_size_bytes' => 'mem_total'] as $name => $key) {
    $eq("keepsake_cache_$name", $info[$key]);
}
foreach ($info['evictions'] as $cause => $n) $eq("keepsake_cache_evictions_total{cause=\"$cause\"}", $n);
foreach ($sma['free_histogram'] as $size => $n) $eq("keepsake_cache_free_blocks{size=\"$size\"}", $n);
$used = 0;
foreach ($sma['block_lists'] as $shard => $blocks) {
    $eq("keepsake_cache_shard_memory_free_bytes{shard=\"$shard\"}", array_sum(array_column($blocks, 'size')));
    $used += $s["keepsake_cache_shard_memory_used_bytes{shard=\"$shard\"}"] ?? 0;
}
$eq('keepsake_cache_memory_used_bytes', $used);   /* the shards' used memory adds up */
echo "mismatches: ", json_encode($bad), "\n";
echo "values: acquisitions {$s['keepsake_session_lock_acquisitions_total']}, hits {$s['keepsake_cache_hits_total']}, misses {$s['keepsake_cache_misses_total']}, entries {$s['keepsake_cache_entries']}\n";
echo "node label: ", var_export(count($sess['nodes']) === 1 && str_contains($text, 'node="tcp://' . ks_redis_host() . ':' . ks_redis_port() . '"'), true), "\n";
echo "shard labels: ", count(preg_grep('/^keepsake_cache_shard_memory_free_bytes\{shard="\d+"\}$/', array_keys($s))), "\n";
echo "types: ", $m['types']['keepsake_session_lock_wait_seconds'], ' ', $m['types']['keepsake_cache_hits_total'], ' ', $m['types']['keepsake_cache_entries'], "\n";
echo "every counter ends in _total: ", var_export(!array_filter($m['types'], fn($t, $n) => $t === 'counter' && !str_ends_with($n, '_total'), ARRAY_FILTER_USE_BOTH), true), "\n";
echo "secret shown: ", var_export(str_contains($text, 'Sekr3t'), true), "\n";
?>
--EXPECT--
promtool: rc 0
mismatches: []
values: acquisitions 3, hits 50, misses 20, entries 49
node label: true
shard labels: 8
types: histogram counter gauge
every counter ends in _total: true
secret shown: false
