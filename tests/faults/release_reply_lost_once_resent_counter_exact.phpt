--TEST--
faults: 20% of the releases lose their reply once: each is resent, and the counter equals the increments that reported success (no phantom update)
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
/*
 * Only the replies to the release (write + unlock) are cut, 20% of them,
 * each request at most once ("once": its resend, the same bytes, gets
 * through): one lost reply, which keepsake must recover from. The strict
 * promise: the counter equals the number of increments that reported
 * success. The harness's usual check also credits the writes the proxy saw
 * applied whose request failed (ks_fault_applied_unconfirmed); here that
 * credit is 0, so every phantom update shows. (Before the release was
 * idempotent and resent: counter 160, 125 reported success.) "warm" loads
 * the scripts first, so that no cut hits a NOSCRIPT reply: the EVAL that
 * follows one has other bytes, which "once" would not spare.
 */
[$problems, $s] = ks_fault_scenario(['mode' => 'drop', 'p' => 0.2, 'seed' => 5, 'match' => KS_FAULT_MATCH_RELEASE, 'once' => true],
    ['credit_unconfirmed' => false, 'warm' => true]);
var_dump($problems);
$applied = count(array_filter($s['events'], fn($e) => str_starts_with($e['reply'], ':1')));
echo 'release replies cut: ', $s['faults'] >= 10 ? 'at least 10' : $s['faults'], "; of writes applied: ", $applied >= 10 ? 'at least 10' : $applied, "\n";
?>
--EXPECT--
array(0) {
}
release replies cut: at least 10; of writes applied: at least 10
