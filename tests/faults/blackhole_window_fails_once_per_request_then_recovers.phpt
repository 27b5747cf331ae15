--TEST--
faults: for 1.5 s the server accepts and never answers (new and open connections), 8 processes: each request in the window warns once after the read timeout, the rest succeed, nothing lost
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
[$problems, $s] = ks_fault_scenario(null, ["n" => 60, "during" => function ($proxy) {
    usleep(20000);   // early: the window (1.5 s, 0.3 s per failed request) must fall inside the workload
    $proxy->set("blackhole");
    usleep(1500000);
    $proxy->set("pass");
}]);
var_dump($problems);
echo "some requests failed in the window, others succeeded: ", ($s["failed"] > 0 && $s["ok"] > 0) ? "yes" : json_encode($s), "\n";
?>
--EXPECT--
array(0) {
}
some requests failed in the window, others succeeded: yes
