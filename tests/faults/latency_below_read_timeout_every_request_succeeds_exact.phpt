--TEST--
faults: 20 ms added to every reply (read timeout 300 ms), 8 processes: every request succeeds and the counter is exact
--SKIPIF--
<?php require __DIR__ . '/faults.inc'; ks_fault_skip(); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.gc_probability=0
keepsake.session.lock_ttl=800
--FILE--
<?php
require __DIR__ . '/faults.inc';
ob_start();
[$problems, $s] = ks_fault_scenario(["mode" => "latency", "ms" => 20]);
var_dump($problems);
echo "every reply delayed: ", $s["faults"] > 0 ? "yes" : "no", "\n";
echo "requests that failed: ", $s["failed"], " of ", $s["ok"] + $s["failed"], "\n";
?>
--EXPECT--
array(0) {
}
every reply delayed: yes
requests that failed: 0 of 160
