--TEST--
faults: 5% of replies delayed 700 ms past the 300 ms read timeout, 8 processes: each request succeeds or warns once, in bounded time, nothing lost
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
[$problems, $s] = ks_fault_scenario(["mode" => "latency", "ms" => 700, "p" => 0.05, "seed" => 11]);
var_dump($problems);
echo "the fault hit some requests and others succeeded: ", ($s["faults"] > 0 && $s["failed"] > 0 && $s["ok"] > 0) ? "yes" : json_encode($s), "\n";
?>
--EXPECT--
array(0) {
}
the fault hit some requests and others succeeded: yes
