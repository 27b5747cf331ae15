--TEST--
faults: 20 ms added to every reply (read timeout 1 s), 8 processes: every request succeeds and the counter is exact
--SKIPIF--
<?php require __DIR__ . '/faults.inc'; ks_fault_skip(); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.gc_probability=0
keepsake.session.lock_ttl=5000
--FILE--
<?php
require __DIR__ . '/faults.inc';
ob_start();
// Generous timeouts (read 1 s, lock wait 5 s): 20 ms must cost nothing but time, even on a loaded box.
[$problems, $s] = ks_fault_scenario(["mode" => "latency", "ms" => 20], ["read_timeout" => 1.0]);
var_dump($problems);
echo "every reply delayed: ", $s["faults"] > 0 ? "yes" : "no", "\n";
echo "requests that failed: ", $s["failed"], " of ", $s["ok"] + $s["failed"], "\n";
echo implode("\n", $s["failures"]);
?>
--EXPECT--
array(0) {
}
every reply delayed: yes
requests that failed: 0 of 160
