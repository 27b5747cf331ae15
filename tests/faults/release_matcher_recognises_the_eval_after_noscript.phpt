--TEST--
faults harness: KS_FAULT_MATCH_RELEASE recognises the release script however keepsake sends it, EVALSHA and the EVAL that follows a NOSCRIPT (whose text starts with the script's first line), and nothing else
--SKIPIF--
<?php require __DIR__ . '/faults.inc'; ks_fault_skip(); ?>
--INI--
session.use_cookies=0
session.cache_limiter=
session.use_strict_mode=0
session.serialize_handler=php
session.gc_maxlifetime=1440
session.gc_probability=0
session.lazy_write=1
--FILE--
<?php
/* The fault tests cut or delay "the release" through this one pattern, and
 * count applied writes by it: a release it misses is never faulted, and a
 * lost one would go uncounted. A private server holds no script, so the
 * release's EVALSHA gets NOSCRIPT and the EVAL follows. */
require __DIR__ . '/faults.inc';
ob_start();
$port = ks_redis_start();
$proxy = new KsFaultProxy($port);
ks_sess_use(ks_fault_query(), $proxy->port);
$proxy->set('latency', ['ms' => 1, 'match' => KS_FAULT_MATCH_RELEASE]);
$proxy->stats(true);
var_dump(ks_sess_request(ks_sess_new_id(), function () { $_SESSION['n'] = 1; }));
$seen = array_map(fn($e) => preg_match('/^\*\d+\r\n\$\d+\r\n(EVALSHA|EVAL)\r\n/', $e['req'], $m) ? $m[1] : 'other',
    $proxy->stats()['events']);
echo json_encode($seen), "\n";
$proxy->stop();
?>
--EXPECT--
bool(true)
["EVALSHA","EVAL"]
