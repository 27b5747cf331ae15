--TEST--
faults: 10% of replies replaced by invalid RESP, then by a reply of the wrong type, 8 processes: each request succeeds or warns once, nothing lost
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
foreach (["junk", "type"] as $kind) {
    [$problems, $s] = ks_fault_scenario(["mode" => "garbage", "kind" => $kind, "p" => 0.1, "seed" => 3]);
    echo "$kind: ";
    var_dump($problems);
    echo "the fault hit some requests and others succeeded: ", ($s["faults"] > 0 && $s["failed"] > 0 && $s["ok"] > 0) ? "yes" : json_encode($s), "\n";
}
?>
--EXPECT--
junk: array(0) {
}
the fault hit some requests and others succeeded: yes
type: array(0) {
}
the fault hit some requests and others succeeded: yes
