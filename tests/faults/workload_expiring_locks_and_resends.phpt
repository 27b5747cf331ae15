--TEST--
the 8-process workload with locks that expire while held (acquire replies delayed past the lock TTL) and release replies cut: exact counter, no overwrite
--SKIPIF--
<?php require __DIR__ . '/faults.inc'; ks_fault_skip(); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.gc_probability=0
keepsake.session.lock_ttl=150
--FILE--
<?php
require __DIR__ . '/faults.inc';
ob_start();
/*
 * The suite's workloads never hold a lock past its TTL, so the fence (and
 * the receipt check that sits in front of it) is never reached by them.
 * Here the fault alternates every 80 ms between "every reply held 220 ms"
 * (under the 300 ms read timeout, over the 150 ms lock TTL: a lock expires
 * before its holder even sees it, so releases find it taken) and "half of
 * the release replies cut". The usual checks apply.
 */
$during = function (KsFaultProxy $p) {
    for ($i = 0; $i < 60; $i++) {
        $p->set('latency', ['ms' => 220, 'p' => 0.5, 'seed' => $i]);
        usleep(80000);
        $p->set('drop', ['match' => KS_FAULT_MATCH_RELEASE, 'p' => 0.5, 'seed' => 100 + $i]);
        usleep(80000);
    }
};
/* Whether a release finds its lock taken depends on how the delays fall
 * on a loaded machine: a run where none did proves nothing about the fence,
 * so the scenario runs again (at most 3 times). Every run's problems count. */
$all = [];
$lost = 0;
for ($run = 0; $run < 3 && $lost === 0; $run++) {
    [$problems, $s] = ks_fault_scenario(null, ['during' => $during, 'warm' => true, 'n' => 15]);
    $all = array_merge($all, $problems);
    $lost = count(array_filter($s['events'], fn($e) => ks_fault_is_release($e['req']) && str_starts_with($e['reply'], ':0')));
}
var_dump($all);
echo 'some releases found their lock taken: ', $lost > 0 ? 'yes' : 'no', "\n";
?>
--EXPECT--
array(0) {
}
some releases found their lock taken: yes
